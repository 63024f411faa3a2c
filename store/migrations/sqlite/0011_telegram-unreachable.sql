CREATE TABLE `unreachable_customers` (
	`bot_id` text NOT NULL,
	`channel` text NOT NULL,
	`user_id` text NOT NULL,
	`reason` text NOT NULL,
	`since` integer NOT NULL,
	PRIMARY KEY(`bot_id`, `channel`, `user_id`)
);
