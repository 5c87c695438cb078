-- Orders grow by a business's day of drops every night, and the newest rows (today's and tomorrow's, the pending
-- ones) are the most read: lists filter and count them. Autovacuum's default waits for 20% of the table in new rows
-- (weeks at 50,000 orders a day), and until a page is vacuumed an index-only count must visit the heap for every
-- row on it. Vacuum after ~1% instead, so the visibility map keeps up with each night's orders.
ALTER TABLE "orders" SET (autovacuum_vacuum_insert_scale_factor = 0.01, autovacuum_analyze_scale_factor = 0.02);
--> statement-breakpoint
ALTER TABLE "deliveries" SET (autovacuum_vacuum_insert_scale_factor = 0.01, autovacuum_analyze_scale_factor = 0.02);
