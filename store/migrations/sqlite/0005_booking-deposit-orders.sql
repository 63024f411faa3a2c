ALTER TABLE `bookings` ADD `order_id` integer;--> statement-breakpoint
ALTER TABLE `bookings` ADD `free_cancel_until` integer;--> statement-breakpoint
CREATE INDEX `bookings_order` ON `bookings` (`order_id`);