CREATE TABLE `platform_messages` (
	`channel` text NOT NULL,
	`platform_id` text NOT NULL,
	`outbox_id` integer NOT NULL,
	`status` text NOT NULL,
	`error` text,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`channel`, `platform_id`),
	FOREIGN KEY (`outbox_id`) REFERENCES `outbox`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `platform_messages_outbox` ON `platform_messages` (`outbox_id`);