-- Custom migration (drizzle-kit cannot say WITHOUT ROWID): the two tables every
-- turn writes are keyed by text, so as rowid tables each write touched the
-- table and its primary-key index. Clustered on the key, a write touches one
-- B-tree. If a later generated migration rebuilds either table, keep this.
CREATE TABLE `conversations_clustered` (
	`bot_id` text NOT NULL,
	`channel` text NOT NULL,
	`user_id` text NOT NULL,
	`flow_id` text NOT NULL,
	`flow_version` text NOT NULL,
	`step_id` text,
	`locale` text NOT NULL,
	`data` text NOT NULL,
	`version` integer NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`bot_id`, `channel`, `user_id`)
) WITHOUT ROWID;--> statement-breakpoint
INSERT INTO `conversations_clustered` SELECT * FROM `conversations`;--> statement-breakpoint
DROP TABLE `conversations`;--> statement-breakpoint
ALTER TABLE `conversations_clustered` RENAME TO `conversations`;--> statement-breakpoint
CREATE TABLE `seen_events_clustered` (
	`key` text PRIMARY KEY NOT NULL,
	`at` integer NOT NULL
) WITHOUT ROWID;--> statement-breakpoint
INSERT INTO `seen_events_clustered` SELECT * FROM `seen_events`;--> statement-breakpoint
DROP TABLE `seen_events`;--> statement-breakpoint
ALTER TABLE `seen_events_clustered` RENAME TO `seen_events`;
