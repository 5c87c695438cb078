import { z } from '@hono/zod-openapi';
import { settlementExceptions, settlementLines, settlementUploads } from '../../../db/schema/index.js';
import { tableRow } from '../../lib/schemas.js';

export const settlementLineStatuses = ['matched', 'unknown_payment', 'amount_mismatch', 'not_captured'] as const;
export const exceptionKinds = ['unknown_payment', 'amount_mismatch', 'not_captured', 'not_settled'] as const;
export const exceptionStatuses = ['open', 'resolved'] as const;

/** Larger than the API's 1 MB: a month of a busy gateway's settlements (the route's own bound, api/app.ts). */
export const SETTLEMENT_BODY_LIMIT = 10 * 1024 * 1024;

export const SettlementUploadBody = z
  .object({
    file_name: z.string().trim().min(1, 'file_name: name the file.').max(200, 'file_name: at most 200 characters.'),
    content: z.string().min(1, 'content: the file is empty.').openapi({ description: 'The CSV file as text (header: settlement_id, utr, payment_id, amount, fee, tax, settled_at)' }),
    dry_run: z.boolean().default(true).openapi({ description: 'true (the default): only say what applying would do' }),
  })
  .strict()
  .openapi('SettlementUpload');

const PreviewLine = z.object({
  line_no: z.number().int(),
  settlement_id: z.string(),
  utr: z.string(),
  payment_ref: z.string(),
  amount_paise: z.number().int(),
  fee_paise: z.number().int(),
  tax_paise: z.number().int(),
  settled_at: z.string(),
  verdict: z.enum([...settlementLineStatuses, 'already_recorded']),
  detail: z.string(),
  gateway_payment_id: z.string().nullable(),
  expected_paise: z.number().int().nullable(),
});

export const SettlementPreview = z
  .object({
    dry_run: z.boolean(),
    file_name: z.string(),
    file_sha256: z.string(),
    already_uploaded: z.string().nullable(),
    upload_id: z.string().nullable(),
    totals: z.object({
      lines: z.number().int(),
      matched: z.number().int(),
      exceptions: z.number().int(),
      skipped: z.number().int(),
      amount_paise: z.number().int(),
      fee_paise: z.number().int(),
      tax_paise: z.number().int(),
    }),
    lines: z.array(PreviewLine),
    problems: z.array(z.object({ line_no: z.number().int(), message: z.string() })),
  })
  .openapi('SettlementPreview');

export const SettlementUploadRow = tableRow(settlementUploads).extend({ uploaded_by_name: z.string().nullable() }).openapi('SettlementFile');
export const SettlementLineRow = tableRow(settlementLines)
  .extend({ customer_id: z.string().nullable(), customer_name: z.string().nullable(), file_name: z.string() })
  .openapi('SettlementLine');
export const SettlementExceptionRow = tableRow(settlementExceptions)
  .extend({
    payment_ref: z.string().nullable(),
    utr: z.string().nullable(),
    settlement_id: z.string().nullable(),
    upload_id: z.string().nullable(),
    customer_name: z.string().nullable(),
    resolved_by_name: z.string().nullable(),
  })
  .openapi('SettlementException');

export const ResolveBody = z
  .object({ resolution: z.string().trim().min(3, 'resolution: say what was done (at least 3 characters).').max(500, 'resolution: at most 500 characters.') })
  .strict()
  .openapi('SettlementExceptionResolve');

export const ScanBody = z
  .object({ as_of: z.iso.datetime({ offset: true, message: 'as_of: a date and time like 2026-12-09T10:00:00+05:30.' }).optional() })
  .strict()
  .openapi('SettlementScan');
export const ScanResult = z.object({ opened: z.number().int(), closed: z.number().int() }).openapi('SettlementScanResult');

export type SettlementPreview = z.infer<typeof SettlementPreview>;
export type SettlementUploadRow = z.infer<typeof SettlementUploadRow>;
export type SettlementLineRow = z.infer<typeof SettlementLineRow>;
export type SettlementExceptionRow = z.infer<typeof SettlementExceptionRow>;
