CREATE TABLE `flow_versions` (
	`bot_id` text NOT NULL,
	`flow_id` text NOT NULL,
	`version_key` text NOT NULL,
	`flow` text NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`bot_id`, `flow_id`, `version_key`)
);
