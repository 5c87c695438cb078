import { createHash } from 'node:crypto';
import { eq, getTableColumns, sql } from 'drizzle-orm';
import { settlementExceptions, settlementLines, settlementUploads } from '../../../db/schema/index.js';
import { audit } from '../../lib/audit.js';
import { transaction, type Ctx } from '../../lib/context.js';
import { getRow, listRows, type ListPage, type Resource, type Row } from '../../lib/crud.js';
import { conflict, unprocessable } from '../../lib/errors.js';
import type { ListQuery } from '../../lib/rest.js';
import { rowsOf } from '../../lib/sql.js';
import { parseSettlementCsv, type CsvProblem, type SettlementCsvLine } from './settlements.csv.js';

// Settlement reconciliation (issue 12, item 5): finance uploads the gateway's settlement file; each line is matched
// to a captured gateway payment of its amount (which then shows its UTR), the rest go to the exceptions queue with
// the payments captured and still not settled three days later. A dry run answers what applying would do.

export type Verdict = 'matched' | 'unknown_payment' | 'amount_mismatch' | 'not_captured' | 'already_recorded';

export interface PreviewLine extends Omit<SettlementCsvLine, 'settled_at'> {
  settled_at: string;
  verdict: Verdict;
  detail: string;
  gateway_payment_id: string | null;
  expected_paise: number | null;
}

export interface SettlementPreview {
  dry_run: boolean;
  file_name: string;
  file_sha256: string;
  /** The file was uploaded before (the same bytes): applying it again changes nothing. */
  already_uploaded: string | null;
  upload_id: string | null;
  totals: { lines: number; matched: number; exceptions: number; skipped: number; amount_paise: number; fee_paise: number; tax_paise: number };
  lines: PreviewLine[];
  problems: CsvProblem[];
}

const rupees = (p: number) => new Intl.NumberFormat('en-IN', { style: 'currency', currency: 'INR' }).format(p / 100);

/** At most this many lines come back in an answer (the rest are counted in the totals; the upload page lists them all). */
const PREVIEW_LINES = 500;

interface Known {
  id: string;
  gateway_payment_id: string;
  status: string;
  amount_paise: number;
}

/** Each line's verdict from the gateway payments it names and the lines recorded before. */
async function judge(ctx: Ctx, lines: SettlementCsvLine[]): Promise<PreviewLine[]> {
  const refs = lines.map((l) => l.payment_ref);
  const known = new Map<string, Known>();
  const recorded = new Map<string, string>();
  // In chunks: one array parameter per query, the unique keys serving each lookup.
  for (let i = 0; i < refs.length; i += 5000) {
    const chunk = `{${refs.slice(i, i + 5000).map((r) => `"${r.replace(/["\\]/g, '\\$&')}"`).join(',')}}`;
    for (const g of rowsOf<Known>(await ctx.db.execute(sql`select id, gateway_payment_id, status, amount_paise::bigint as amount_paise from gateway_payments where gateway_payment_id = any(${chunk}::text[])`))) {
      known.set(g.gateway_payment_id, { ...g, amount_paise: Number(g.amount_paise) });
    }
    for (const l of rowsOf<{ payment_ref: string; settlement_id: string }>(await ctx.db.execute(sql`select payment_ref, settlement_id from settlement_lines where payment_ref = any(${chunk}::text[])`))) {
      recorded.set(l.payment_ref, l.settlement_id);
    }
  }
  return lines.map((l) => {
    const base = { ...l, settled_at: l.settled_at.toISOString() };
    const g = known.get(l.payment_ref);
    const earlier = recorded.get(l.payment_ref);
    if (earlier) return { ...base, verdict: 'already_recorded', detail: `Recorded before (settlement ${earlier}): not again.`, gateway_payment_id: g?.id ?? null, expected_paise: g?.amount_paise ?? null };
    if (!g) return { ...base, verdict: 'unknown_payment', detail: `No gateway payment ${l.payment_ref} is known to Milkrun.`, gateway_payment_id: null, expected_paise: null };
    if (g.status !== 'captured' && g.status !== 'refunded') {
      return { ...base, verdict: 'not_captured', detail: `Payment ${l.payment_ref} is ${g.status}, not captured, here.`, gateway_payment_id: g.id, expected_paise: g.amount_paise };
    }
    if (g.amount_paise !== l.amount_paise) {
      return {
        ...base,
        verdict: 'amount_mismatch',
        detail: `Settled ${rupees(l.amount_paise)} for a payment of ${rupees(g.amount_paise)}.`,
        gateway_payment_id: g.id,
        expected_paise: g.amount_paise,
      };
    }
    return { ...base, verdict: 'matched', detail: `Payment ${l.payment_ref} of ${rupees(g.amount_paise)}, UTR ${l.utr}.`, gateway_payment_id: g.id, expected_paise: g.amount_paise };
  });
}

function totalsOf(lines: PreviewLine[]): SettlementPreview['totals'] {
  const counted = lines.filter((l) => l.verdict !== 'already_recorded');
  return {
    lines: lines.length,
    matched: lines.filter((l) => l.verdict === 'matched').length,
    exceptions: counted.filter((l) => l.verdict !== 'matched').length,
    skipped: lines.length - counted.length,
    amount_paise: counted.reduce((s, l) => s + l.amount_paise, 0),
    fee_paise: counted.reduce((s, l) => s + l.fee_paise, 0),
    tax_paise: counted.reduce((s, l) => s + l.tax_paise, 0),
  };
}

/**
 * Reads a settlement file and, unless it is a dry run, records it in one transaction: the upload (once per file: its
 * SHA-256 is unique), its lines (once per payment: the id is unique among all lines), an exception per line that does
 * not match, then the scan for payments still not settled; audited. Uploads are serialised (an advisory lock), so
 * two files naming one payment at once record it once and count it right. A file with unreadable lines is refused
 * (422, the lines named) when applied; its dry run lists them.
 */
export async function uploadSettlement(ctx: Ctx, input: { file_name: string; content: string; dry_run: boolean }): Promise<SettlementPreview> {
  const sha = createHash('sha256').update(input.content, 'utf8').digest('hex');
  const { lines, problems } = parseSettlementCsv(input.content);
  if (!input.dry_run && problems.length) {
    const first = problems.slice(0, 3).map((p) => `line ${p.line_no}: ${p.message}`).join('; ');
    throw unprocessable(`The file cannot be applied: ${problems.length} line${problems.length === 1 ? '' : 's'} cannot be read (${first}${problems.length > 3 ? '; ...' : ''}). Run a dry run to see them all.`, 'bad_settlement_file');
  }
  return transaction(ctx, async (tx) => {
    if (!input.dry_run) await tx.db.execute(sql`select pg_advisory_xact_lock(hashtext('settlement_uploads'))`);
    const [before] = await tx.db.select({ id: settlementUploads.id }).from(settlementUploads).where(eq(settlementUploads.file_sha256, sha));
    const judged = await judge(tx, lines);
    const answer = (over: Partial<SettlementPreview>): SettlementPreview => ({
      dry_run: input.dry_run,
      file_name: input.file_name,
      file_sha256: sha,
      already_uploaded: before?.id ?? null,
      upload_id: before?.id ?? null,
      totals: totalsOf(judged),
      lines: judged.slice(0, PREVIEW_LINES),
      problems: problems.slice(0, PREVIEW_LINES),
      ...over,
    });
    // The same file again: nothing to do (its lines are all recorded already).
    if (input.dry_run || before) return answer({});
    const totals = totalsOf(judged);
    const [upload] = await tx.db
      .insert(settlementUploads)
      .values({
        file_sha256: sha,
        file_name: input.file_name,
        uploaded_by: tx.actor?.id ?? null,
        line_count: totals.lines,
        matched_count: totals.matched,
        exception_count: totals.exceptions,
        skipped_count: totals.skipped,
        amount_paise: totals.amount_paise,
        fee_paise: totals.fee_paise,
        tax_paise: totals.tax_paise,
      })
      .returning();
    const fresh = judged.filter((l) => l.verdict !== 'already_recorded');
    for (let i = 0; i < fresh.length; i += 1000) {
      const chunk = fresh.slice(i, i + 1000);
      const inserted = await tx.db
        .insert(settlementLines)
        .values(
          chunk.map((l) => ({
            upload_id: upload.id,
            line_no: l.line_no,
            settlement_id: l.settlement_id,
            utr: l.utr,
            payment_ref: l.payment_ref,
            amount_paise: l.amount_paise,
            fee_paise: l.fee_paise,
            tax_paise: l.tax_paise,
            settled_at: new Date(l.settled_at),
            status: l.verdict as 'matched' | 'unknown_payment' | 'amount_mismatch' | 'not_captured',
            gateway_payment_id: l.gateway_payment_id,
          })),
        )
        .returning({ id: settlementLines.id, payment_ref: settlementLines.payment_ref, status: settlementLines.status });
      const byRef = new Map(chunk.map((l) => [l.payment_ref, l]));
      const exceptions = inserted
        .filter((r) => r.status !== 'matched')
        .map((r) => {
          const l = byRef.get(r.payment_ref)!;
          return {
            kind: r.status as 'unknown_payment' | 'amount_mismatch' | 'not_captured',
            settlement_line_id: r.id,
            gateway_payment_id: l.gateway_payment_id,
            expected_paise: l.expected_paise,
            actual_paise: l.amount_paise,
            detail: `${l.settlement_id} / UTR ${l.utr}: ${l.detail}`.slice(0, 500),
          };
        });
      if (exceptions.length) await tx.db.insert(settlementExceptions).values(exceptions);
    }
    const scan = await scanIn(tx, new Date());
    await audit(tx, { action: 'upload', table: 'settlements', recordId: upload.id, after: { ...upload, scan } });
    return answer({ upload_id: upload.id, already_uploaded: null });
  });
}

async function scanIn(tx: Ctx, asOf: Date): Promise<{ opened: number; closed: number }> {
  const [row] = rowsOf<{ opened: number; closed: number }>(await tx.db.execute(sql`select opened, closed from settlement_exceptions_scan(${asOf.toISOString()}::timestamptz)`));
  return { opened: Number(row?.opened ?? 0), closed: Number(row?.closed ?? 0) };
}

/**
 * The "not settled after three days" scan as of an instant (now by default; a date lets finance look ahead, and the
 * tests). Idempotent: run by the job in every API process, after each upload, or by hand.
 */
export async function scanSettlements(ctx: Ctx, asOf: Date = new Date()): Promise<{ opened: number; closed: number }> {
  return transaction(ctx, async (tx) => {
    const result = await scanIn(tx, asOf);
    if (result.opened || result.closed) await audit(tx, { action: 'scan', table: 'settlement-exceptions', after: { as_of: asOf.toISOString(), ...result } });
    return result;
  });
}

// --- lists -------------------------------------------------------------------------------------------------------

export const uploadResource: Resource = {
  name: 'settlements',
  label: 'Settlement file',
  table: settlementUploads,
  selection: {
    ...getTableColumns(settlementUploads),
    uploaded_by_name: sql<string | null>`(select u.name from users u where u.id = settlement_uploads.uploaded_by)`.as('uploaded_by_name'),
  },
};

export const lineResource: Resource = {
  name: 'settlements/lines',
  label: 'Settlement line',
  table: settlementLines,
  selection: {
    ...getTableColumns(settlementLines),
    customer_id: sql<string | null>`(select g.customer_id from gateway_payments g where g.id = settlement_lines.gateway_payment_id)`.as('customer_id'),
    customer_name: sql<string | null>`(select c.name from gateway_payments g join customers c on c.id = g.customer_id where g.id = settlement_lines.gateway_payment_id)`.as('customer_name'),
    file_name: sql<string>`(select s.file_name from settlement_uploads s where s.id = settlement_lines.upload_id)`.as('file_name'),
  },
};

export const exceptionResource: Resource = {
  name: 'settlements/exceptions',
  label: 'Settlement exception',
  table: settlementExceptions,
  selection: {
    ...getTableColumns(settlementExceptions),
    payment_ref: sql<string | null>`coalesce((select g.gateway_payment_id from gateway_payments g where g.id = settlement_exceptions.gateway_payment_id),
      (select l.payment_ref from settlement_lines l where l.id = settlement_exceptions.settlement_line_id))`.as('payment_ref'),
    utr: sql<string | null>`(select l.utr from settlement_lines l where l.id = settlement_exceptions.settlement_line_id)`.as('utr'),
    settlement_id: sql<string | null>`(select l.settlement_id from settlement_lines l where l.id = settlement_exceptions.settlement_line_id)`.as('settlement_id'),
    upload_id: sql<string | null>`(select l.upload_id from settlement_lines l where l.id = settlement_exceptions.settlement_line_id)`.as('upload_id'),
    customer_name: sql<string | null>`(select c.name from gateway_payments g join customers c on c.id = g.customer_id where g.id = settlement_exceptions.gateway_payment_id)`.as('customer_name'),
    resolved_by_name: sql<string | null>`(select u.name from users u where u.id = settlement_exceptions.resolved_by)`.as('resolved_by_name'),
  },
};

export const listUploads = (ctx: Ctx, q: ListQuery): Promise<ListPage> => listRows(ctx, uploadResource, q);
export const listLines = (ctx: Ctx, q: ListQuery): Promise<ListPage> => listRows(ctx, lineResource, q);
export const listExceptions = (ctx: Ctx, q: ListQuery): Promise<ListPage> => listRows(ctx, exceptionResource, q);
export const getUpload = (ctx: Ctx, id: string): Promise<Row> => getRow(ctx, uploadResource, id);
export const getException = (ctx: Ctx, id: string): Promise<Row> => getRow(ctx, exceptionResource, id);

/** Finance resolves (or acknowledges) an open exception with what was done about it; two at once: one 200, one 409. */
export async function resolveException(ctx: Ctx, id: string, resolution: string): Promise<Row> {
  return transaction(ctx, async (tx) => {
    const before = await getRow(tx, exceptionResource, id, { lock: true });
    // Race: two people resolve one exception; the row lock queues the second, who finds it resolved.
    if (before.status !== 'open') throw conflict('This exception is already resolved.', 'exception_resolved');
    await tx.db
      .update(settlementExceptions)
      .set({ status: 'resolved', resolved_by: tx.actor?.id ?? null, resolved_at: new Date(), resolution })
      .where(eq(settlementExceptions.id, id));
    const after = await getRow(tx, exceptionResource, id);
    await audit(tx, { action: 'resolve', table: 'settlement-exceptions', recordId: id, before, after });
    return after;
  });
}
