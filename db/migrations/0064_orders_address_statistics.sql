-- An order's address is one of its customer's, so address_id decides customer_id. PostgreSQL takes the two as
-- independent unless told: a search by pin code (the customers who have an address there, and the orders at those
-- addresses: api/lib/search.ts, KeyedTerm.exact) was estimated at a tenth of its rows, so its list showed "about
-- 10,001" for 94,000 deliveries. Functional-dependency statistics give the estimate the list's total then shows.
CREATE STATISTICS IF NOT EXISTS orders_customer_address_stats (dependencies) ON customer_id, address_id FROM orders;
--> statement-breakpoint
ANALYZE orders;
