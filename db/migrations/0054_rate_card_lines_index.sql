-- A card's earnings lines through an index: the rate cards list counted them by reading every line of the business
-- (a second per visit at 3,000 customers), and the card's guard (its last day) and foreign key did the same.
CREATE INDEX "earnings_lines_rate_card_idx" ON "earnings_lines" USING btree ("rate_card_id","earned_on");
