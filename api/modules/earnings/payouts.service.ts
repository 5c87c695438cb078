import { and, eq, getTableColumns, inArray, sql } from 'drizzle-orm';
import { payoutBatches, payoutItems, staff, users } from '../../../db/schema/index.js';
import { audit } from '../../lib/audit.js';
import { transaction, type Ctx } from '../../lib/context.js';
import { getRow, type Resource, type Row } from '../../lib/crud.js';
import { monthBounds } from '../../lib/dates.js';
import { AppError, conflict, forbidden, unprocessable } from '../../lib/errors.js';
import { rowsOf } from '../../lib/sql.js';
import { paiseToRupees } from '../../../shared/money.js';
import { csvText } from '../../lib/export.js';
import type { PayoutMarkFailed, PayoutMarkPaid } from './earnings.schemas.js';

const userName = (col: typeof payoutBatches.created_by | typeof payoutBatches.approved_by) =>
  sql<string | null>`(select ${users.name} from ${users} where ${users.id} = ${col})`;
const countOf = (status: 'pending' | 'paid') =>
  sql<number>`(select count(*)::int from payout_items pi where pi.batch_id = ${payoutBatches.id} and pi.status = ${status})`;

export const payoutBatchResource: Resource = {
  name: 'payout-batches',
  label: 'Payout batch',
  table: payoutBatches,
  selection: {
    ...getTableColumns(payoutBatches),
    created_by_name: userName(payoutBatches.created_by).as('created_by_name'),
    approved_by_name: userName(payoutBatches.approved_by).as('approved_by_name'),
    pending_count: countOf('pending').as('pending_count'),
    paid_count: countOf('paid').as('paid_count'),
  },
};

const itemColumns = { ...getTableColumns(payoutItems), staff_name: staff.name };

export async function batchItems(ctx: Ctx, batchId: string): Promise<Row[]> {
  await getRow(ctx, payoutBatchResource, batchId);
  return (await ctx.db
    .select(itemColumns)
    .from(payoutItems)
    .innerJoin(staff, eq(staff.id, payoutItems.staff_id))
    .where(eq(payoutItems.batch_id, batchId))
    .orderBy(staff.name)) as Row[];
}

// Drafts queue on this lock: two drafts (of one month or two) summing the same unpaid lines at once would each take
// lines the other counted. One at a time, each sees what the one before took.
const DRAFT_LOCK = sql`pg_advisory_xact_lock(hashtext('milkrun.payout-draft'))`;

/**
 * Drafts the batch of a month: every staff member's unpaid lines earned up to the month's end, one transfer each to
 * their bank account (or UPI id), when what they are owed is more than ₹0. Staff without payout details are left
 * out (their lines stay unpaid) and named in `skipped`. A month that already has a draft gets that draft back.
 */
export async function draftBatch(ctx: Ctx, month: string): Promise<{ status: 200 | 201; body: Row }> {
  return transaction(ctx, async (tx) => {
    const { start, end } = monthBounds(month);
    await tx.db.execute(sql`select ${DRAFT_LOCK}`);
    const [existing] = await tx.db.select({ id: payoutBatches.id }).from(payoutBatches).where(and(eq(payoutBatches.month, start), eq(payoutBatches.status, 'draft')));
    if (existing) return { status: 200, body: { ...(await getRow(tx, payoutBatchResource, existing.id)), existing: true, skipped: [] } };
    const actorId = tx.actor?.id;
    if (!actorId) throw forbidden('A payout batch is drafted by a signed-in user.');
    // ON CONFLICT: the partial unique key payout_batches_one_draft_per_month is the rule; the lock above makes it rare.
    const [batch] = rowsOf<{ id: string }>(
      await tx.db.execute(sql`insert into payout_batches (month, period_end, created_by) values (${start}::date, ${end}::date, ${actorId}::uuid)
        on conflict (month) where status = 'draft' do nothing returning id`),
    );
    if (!batch) throw conflict('Another draft of this month was made at the same moment; open it instead.', 'draft_exists');
    // One statement, one snapshot: the sums, the transfers and the lines they take agree (payout_items_sum_of_lines).
    const owed = rowsOf<{ staff_id: string; name: string; total: unknown; lines: number; payable: boolean }>(
      await tx.db.execute(sql`with sums as (
          select e.staff_id, sum(e.amount_paise) as total, count(*)::int as lines from earnings_lines e
          where e.payout_item_id is null and e.earned_on <= ${end}::date group by e.staff_id having sum(e.amount_paise) > 0
        ), items as (
          insert into payout_items (batch_id, staff_id, beneficiary_name, account_number, ifsc, upi_id, amount_paise, line_count)
          select ${batch.id}::uuid, s.id, s.name, s.bank_account_number, s.bank_ifsc, case when s.bank_account_number is null then s.upi_id end, sums.total, sums.lines
          from sums join staff s on s.id = sums.staff_id
          where s.bank_account_number is not null or s.upi_id is not null
          returning id, staff_id
        ), taken as (
          update earnings_lines e set payout_item_id = items.id, payout_batch_id = ${batch.id}::uuid
          from items where e.staff_id = items.staff_id and e.payout_item_id is null and e.earned_on <= ${end}::date
          returning e.id
        )
        select sums.staff_id, s.name, sums.total, sums.lines, (s.bank_account_number is not null or s.upi_id is not null) as payable,
               (select count(*) from taken) as taken
        from sums join staff s on s.id = sums.staff_id order by s.name`),
    );
    const payable = owed.filter((o) => o.payable);
    if (!payable.length) {
      throw unprocessable(
        owed.length ? 'Nobody owed money up to this month has payout details yet: add their bank account or UPI id on the staff page.' : `Nothing is owed up to ${end}: every line is paid or in a batch.`,
        'nothing_to_pay',
      );
    }
    await tx.db
      .update(payoutBatches)
      .set({ total_paise: payable.reduce((s, o) => s + Number(o.total), 0), staff_count: payable.length })
      .where(eq(payoutBatches.id, batch.id));
    const row = await getRow(tx, payoutBatchResource, batch.id);
    const skipped = owed.filter((o) => !o.payable).map((o) => ({ staff_id: o.staff_id, name: o.name, amount_paise: Number(o.total), why: 'no bank account or UPI id' }));
    await audit(tx, { action: 'create', table: 'payout-batches', recordId: batch.id, after: { ...row, lines: payable.reduce((s, o) => s + o.lines, 0), skipped } });
    return { status: 201, body: { ...row, existing: false, skipped } };
  });
}

/**
 * Approves a draft: never by whoever drafted it (a 403 here, and payout_batches_four_eyes in the database). Two
 * approvals at once: the conditional update lets one through, the other is a 409.
 */
export async function approveBatch(ctx: Ctx, id: string): Promise<Row> {
  return transaction(ctx, async (tx) => {
    const before = await getRow(tx, payoutBatchResource, id, { lock: true });
    if (before.created_by === tx.actor?.id) throw new AppError(403, 'own_batch', 'You drafted this batch: someone else must approve it.');
    if (before.status !== 'draft') throw conflict(`This batch is already ${before.status}.`, 'batch_already_decided');
    await tx.db
      .update(payoutBatches)
      .set({ status: 'approved', approved_by: tx.actor?.id ?? null, approved_at: new Date() })
      .where(and(eq(payoutBatches.id, id), eq(payoutBatches.status, 'draft')));
    const after = await getRow(tx, payoutBatchResource, id);
    await audit(tx, { action: 'approve', table: 'payout-batches', recordId: id, before, after });
    return after;
  });
}

/** Whether the batch must be refused the approval up front: the creator's own (the admin disables the button too). */
export async function assertNotOwnBatch(ctx: Ctx, id: string) {
  const row = await getRow(ctx, payoutBatchResource, id);
  if (row.created_by === ctx.actor?.id) throw new AppError(403, 'own_batch', 'You drafted this batch: someone else must approve it.');
}

type Outcome = { to: 'paid'; from: 'pending'; input: PayoutMarkPaid } | { to: 'failed'; from: 'pending'; input: PayoutMarkFailed } | { to: 'reversed'; from: 'paid'; input: PayoutMarkFailed };

/**
 * Records the bank's answer for the whole batch (every transfer in the state it applies to) or for the transfers
 * named: paid with the bank's reference, failed, or reversed after being paid (a failed or reversed transfer's lines
 * are unpaid again: payout_items_release). The batch follows its transfers: approved while any is pending, then paid
 * (some paid), reversed (all reversed) or failed.
 */
export async function settleItems(ctx: Ctx, id: string, outcome: Outcome): Promise<Row> {
  return transaction(ctx, async (tx) => {
    const before = await getRow(tx, payoutBatchResource, id, { lock: true });
    if (before.status === 'draft') throw conflict('This batch is not approved yet: nothing can be paid from it.', 'batch_not_approved');
    const named = outcome.input.item_ids;
    const items = await tx.db
      .select({ id: payoutItems.id, status: payoutItems.status })
      .from(payoutItems)
      .where(and(eq(payoutItems.batch_id, id), named ? inArray(payoutItems.id, named) : undefined))
      .for('update');
    if (named && items.length !== new Set(named).size) throw unprocessable('Some of those transfers are not in this batch.', 'item_not_in_batch');
    const targets = items.filter((i) => i.status === outcome.from);
    if (named && targets.length !== items.length) {
      throw conflict(`Only ${outcome.from} transfers can be marked ${outcome.to}; some of those are not.`, 'transfer_already_decided');
    }
    if (!targets.length) throw conflict(`No ${outcome.from} transfer in this batch to mark ${outcome.to}.`, 'transfer_already_decided');
    const now = new Date();
    const set =
      outcome.to === 'paid'
        ? { status: 'paid' as const, bank_reference: outcome.input.bank_reference, paid_at: now, settled_by: tx.actor?.id ?? null }
        : outcome.to === 'failed'
          ? { status: 'failed' as const, failure_reason: outcome.input.reason, settled_by: tx.actor?.id ?? null }
          : { status: 'reversed' as const, failure_reason: outcome.input.reason };
    await tx.db.update(payoutItems).set(set).where(inArray(payoutItems.id, targets.map((t) => t.id)));
    const [counts] = rowsOf<{ pending: number; paid: number; reversed: number }>(
      await tx.db.execute(sql`select count(*) filter (where status = 'pending')::int as pending, count(*) filter (where status = 'paid')::int as paid,
          count(*) filter (where status = 'reversed')::int as reversed from payout_items where batch_id = ${id}::uuid`),
    );
    const status = counts.pending ? 'approved' : counts.paid ? 'paid' : counts.reversed ? 'reversed' : 'failed';
    if (status !== before.status) await tx.db.update(payoutBatches).set({ status }).where(eq(payoutBatches.id, id));
    const after = await getRow(tx, payoutBatchResource, id);
    await audit(tx, { action: `mark-${outcome.to}`, table: 'payout-batches', recordId: id, before, after: { ...after, items: targets.map((t) => t.id), ...set } });
    return after;
  });
}

/**
 * The bank's bulk-transfer file of an approved batch: one row per transfer still to make, with its reference (the
 * batch's month and the transfer's id) that the bank echoes back. Downloading it is audited.
 */
export async function bankFile(ctx: Ctx, id: string): Promise<{ name: string; csv: string }> {
  return transaction(ctx, async (tx) => {
    const batch = await getRow(tx, payoutBatchResource, id);
    if (batch.status === 'draft') throw conflict('A draft is not sent to the bank: it must be approved first.', 'batch_not_approved');
    const items = (await batchItems(tx, id)).filter((i) => i.status === 'pending');
    const month = String(batch.month).slice(0, 7);
    const rows = items.map((i) => ({
      beneficiary_name: i.beneficiary_name,
      account_number: i.account_number ?? '',
      ifsc: i.ifsc ?? '',
      upi_id: i.upi_id ?? '',
      amount: paiseToRupees(Number(i.amount_paise)),
      reference: `MRPAY-${month}-${String(i.id).slice(0, 8).toUpperCase()}`,
    }));
    await audit(tx, { action: 'export', table: 'payout-batches', recordId: id, after: { format: 'bank-csv', rows: rows.length } });
    return { name: `payout-${month}-${String(id).slice(0, 8)}.csv`, csv: csvText(['beneficiary_name', 'account_number', 'ifsc', 'upi_id', 'amount', 'reference'], rows) };
  });
}
