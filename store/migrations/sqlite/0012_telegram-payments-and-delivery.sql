CREATE TABLE `refunds` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`bot_id` text NOT NULL,
	`channel` text NOT NULL,
	`user_id` text NOT NULL,
	`order_id` integer NOT NULL,
	`provider` text NOT NULL,
	`payment_reference` text NOT NULL,
	`provider_reference` text,
	`amount` integer NOT NULL,
	`currency` text NOT NULL,
	`reason` text NOT NULL,
	`status` text NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`next_attempt_at` integer,
	`last_error` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `refunds_payment` ON `refunds` (`provider`,`payment_reference`);--> statement-breakpoint
CREATE INDEX `refunds_status` ON `refunds` (`status`);--> statement-breakpoint
CREATE INDEX `refunds_order` ON `refunds` (`order_id`);--> statement-breakpoint
PRAGMA foreign_keys=OFF;--> statement-breakpoint
CREATE TABLE `__new_unreachable_customers` (
	`bot_id` text NOT NULL,
	`channel` text NOT NULL,
	`user_id` text NOT NULL,
	`reason` text,
	`since` integer NOT NULL,
	`changed_at` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`bot_id`, `channel`, `user_id`)
);
--> statement-breakpoint
INSERT INTO `__new_unreachable_customers`("bot_id", "channel", "user_id", "reason", "since", "changed_at") SELECT "bot_id", "channel", "user_id", "reason", "since", "since" FROM `unreachable_customers`;--> statement-breakpoint
DROP TABLE `unreachable_customers`;--> statement-breakpoint
ALTER TABLE `__new_unreachable_customers` RENAME TO `unreachable_customers`;--> statement-breakpoint
PRAGMA foreign_keys=ON;--> statement-breakpoint
ALTER TABLE `orders` ADD `shipping` text;--> statement-breakpoint
ALTER TABLE `outbox` ADD `calls_done` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `payments` ADD `provider_reference` text;