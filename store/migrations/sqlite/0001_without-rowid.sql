-- Custom migration (drizzle-kit cannot say WITHOUT ROWID): every turn inserts
-- an idempotency key, and as a rowid table each insert touched the table and
-- its primary-key index. Clustered on the key, it touches one B-tree.
-- (Conversations stay a rowid table: their rows grow past what a clustered
-- index keeps in-page, and overflow pages cost more than the second index.)
-- If a later generated migration rebuilds seen_events, keep this.
CREATE TABLE `seen_events_clustered` (
	`key` text PRIMARY KEY NOT NULL,
	`at` integer NOT NULL
) WITHOUT ROWID;--> statement-breakpoint
INSERT INTO `seen_events_clustered` SELECT * FROM `seen_events`;--> statement-breakpoint
DROP TABLE `seen_events`;--> statement-breakpoint
ALTER TABLE `seen_events_clustered` RENAME TO `seen_events`;
