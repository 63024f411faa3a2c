CREATE TABLE `booking_transitions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`booking_id` integer NOT NULL,
	`from_status` text NOT NULL,
	`to_status` text NOT NULL,
	`cause` text NOT NULL,
	`at` integer NOT NULL,
	FOREIGN KEY (`booking_id`) REFERENCES `bookings`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `booking_transitions_booking` ON `booking_transitions` (`booking_id`);--> statement-breakpoint
CREATE TABLE `bookings` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`bot_id` text NOT NULL,
	`channel` text NOT NULL,
	`user_id` text NOT NULL,
	`service_id` text NOT NULL,
	`resource_id` text NOT NULL,
	`start` integer NOT NULL,
	`end` integer NOT NULL,
	`status` text NOT NULL,
	`price` integer NOT NULL,
	`deposit` integer NOT NULL,
	`deposit_paid` integer DEFAULT 0 NOT NULL,
	`deposit_refunded` integer DEFAULT 0 NOT NULL,
	`currency` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `bookings_resource_start` ON `bookings` (`bot_id`,`resource_id`,`start`);--> statement-breakpoint
CREATE INDEX `bookings_customer` ON `bookings` (`bot_id`,`channel`,`user_id`);