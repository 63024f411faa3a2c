CREATE TABLE `merchant_events` (
	`id` integer PRIMARY KEY NOT NULL,
	`bot_id` text NOT NULL,
	`type` text NOT NULL,
	`data` text NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `merchant_events_bot` ON `merchant_events` (`bot_id`,`id`);