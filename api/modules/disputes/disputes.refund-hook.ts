import { eq } from 'drizzle-orm';
import { disputes } from '../../../db/schema/index.js';
import { audit } from '../../lib/audit.js';
import { nowOf, type Ctx } from '../../lib/context.js';
import { getRow, type Row } from '../../lib/crud.js';
import { formatRupees } from '../../../shared/money.js';
import { notifyCustomer } from '../notifications/outbox.js';
import { activity, disputeResource, slaOnMove } from './disputes.thread.js';

/**
 * A refund requested to resolve a dispute was decided (refunds.service approve/reject call this in their own
 * transaction, so the refund and its dispute never disagree): approved resolves the dispute with the refund as its
 * outcome; rejected hands it back to support (awaiting_support) with an activity entry saying why. A dispute closed
 * meanwhile only gets the entry (closed is final).
 */
export async function refundDecided(tx: Ctx, refund: Row, decision: 'approved' | 'rejected'): Promise<void> {
  const disputeId = refund.dispute_id as string | null;
  if (!disputeId) return;
  const before = await getRow(tx, disputeResource, disputeId, { lock: true });
  const amount = formatRupees(Number(refund.amount_paise));
  const who = tx.actor?.name ?? 'the system';
  if (decision === 'approved') {
    const open = before.status !== 'resolved' && before.status !== 'closed';
    await activity(tx, before, `Refund of ${amount} approved by ${who}${open ? ': dispute resolved (outcome: refund).' : '.'}`);
    if (!open) return;
    await tx.db
      .update(disputes)
      .set({ ...(await slaOnMove(tx, before, 'resolved')), status: 'resolved', outcome: 'refund', outcome_note: String(refund.note ?? '').slice(0, 1000) || null, resolved_at: nowOf(tx) })
      .where(eq(disputes.id, disputeId));
    await notifyCustomer(tx.db, before.customer_id as string, 'dispute.resolved', { dispute_number: before.number, subject: before.subject, outcome: `a refund of ${amount}`, note: String(refund.note ?? 'Approved.') }, `dispute-resolved:${disputeId}:refund:${String(refund.id)}`);
  } else {
    const reason = refund.rejection_reason ? `: ${refund.rejection_reason}` : '';
    const back = before.status === 'open' || before.status === 'awaiting_customer';
    await activity(tx, before, `Refund of ${amount} rejected by ${who}${reason}.${back ? ' Back to support (awaiting support).' : ''}`);
    if (!back) return;
    await tx.db.update(disputes).set({ ...(await slaOnMove(tx, before, 'awaiting_support')), status: 'awaiting_support' }).where(eq(disputes.id, disputeId));
  }
  const after = await getRow(tx, disputeResource, disputeId);
  await audit(tx, { action: decision === 'approved' ? 'resolve' : 'refund-rejected', table: 'disputes', recordId: disputeId, before, after });
}
