ALTER TABLE `checkout_sessions` ADD `closed_at` integer;--> statement-breakpoint
ALTER TABLE `checkout_sessions` ADD `close_note` text;--> statement-breakpoint
CREATE INDEX `checkout_sessions_open` ON `checkout_sessions` (`order_id`) WHERE "checkout_sessions"."closed_at" IS NULL;