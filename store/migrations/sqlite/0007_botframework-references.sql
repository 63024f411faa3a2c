CREATE TABLE `botframework_references` (
	`bot_id` text NOT NULL,
	`user_id` text NOT NULL,
	`reference` text NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`bot_id`, `user_id`)
);
