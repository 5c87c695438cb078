CREATE INDEX "gateway_payments_email_trgm_idx" ON "gateway_payments" USING gin ("email" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "gateway_payments_contact_trgm_idx" ON "gateway_payments" USING gin ("contact" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "settlement_exceptions_detail_trgm_idx" ON "settlement_exceptions" USING gin ("detail" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "settlement_lines_payment_ref_trgm_idx" ON "settlement_lines" USING gin ("payment_ref" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "settlement_lines_utr_trgm_idx" ON "settlement_lines" USING gin ("utr" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "settlement_lines_settlement_trgm_idx" ON "settlement_lines" USING gin ("settlement_id" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "settlement_uploads_name_trgm_idx" ON "settlement_uploads" USING gin ("file_name" gin_trgm_ops);