CREATE TABLE `customer_activity` (
	`bot_id` text NOT NULL,
	`channel` text NOT NULL,
	`user_id` text NOT NULL,
	`last_inbound_at` integer NOT NULL,
	PRIMARY KEY(`bot_id`, `channel`, `user_id`)
);
