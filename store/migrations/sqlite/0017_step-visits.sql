CREATE TABLE `step_visits` (
	`bot_id` text NOT NULL,
	`channel` text NOT NULL,
	`user_id` text NOT NULL,
	`flow_id` text NOT NULL,
	`step_id` text NOT NULL,
	`day` text NOT NULL,
	`first_at` integer NOT NULL,
	`last_at` integer NOT NULL,
	`last_turn` integer NOT NULL,
	`last_entry` integer NOT NULL,
	PRIMARY KEY(`bot_id`, `channel`, `user_id`, `flow_id`, `step_id`, `day`)
);
--> statement-breakpoint
CREATE INDEX `step_visits_bot_day` ON `step_visits` (`bot_id`,`day`);