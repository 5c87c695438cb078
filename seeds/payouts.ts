import { asc, eq } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { rateCards, staff, zones } from '../db/schema/index.js';
import { addDays, todayIST } from '../api/lib/dates.js';
import { approveBatch, draftBatch, settleItems } from '../api/modules/earnings/payouts.service.js';
import { systemCtx } from './history.js';

// Staff pay of the demo business: a rate card per zone (before the history, so its deliveries earn at them), payout
// details for every delivery person, and two payout batches: the month before last paid, last month's a draft
// waiting for a second person's approval.

/** Each zone's card from well before the history: a little more in the zones with longer runs. */
export async function seedRateCards(db: Db, managerId: string, opts: { today?: string } = {}): Promise<void> {
  const from = addDays(opts.today ?? todayIST(), -400);
  const zoneRows = await db.select({ id: zones.id }).from(zones).orderBy(asc(zones.name));
  await db.insert(rateCards).values(
    zoneRows.map((z, i) => ({
      zone_id: z.id,
      effective_from: from,
      base_per_drop_paise: 1200 + (i % 3) * 100,
      per_litre_paise: 150 + (i % 2) * 50,
      on_time_bonus_paise: 300,
      failure_deduction_paise: 2500,
      failed_attempt_paise: 500,
      note: 'Rates agreed with the delivery staff',
      created_by: managerId,
    })),
  );
}

/** Payout details for every delivery person (a bank account for most, UPI for every third), then the batches. */
export async function seedPayouts(db: Db, userIds: Record<string, string>, opts: { today?: string; log?: (l: string) => void } = {}): Promise<void> {
  const members = await db.select({ id: staff.id }).from(staff).orderBy(asc(staff.phone));
  const banks = ['SBIN0001234', 'HDFC0000512', 'ICIC0002211', 'CNRB0000789', 'KKBK0008066'];
  for (const [i, m] of members.entries()) {
    const upi = i % 3 === 2;
    await db
      .update(staff)
      .set(
        upi
          ? { upi_id: `staff${String(i + 1).padStart(2, '0')}@okaxis` }
          : { bank_account_number: `5010${String(20260000 + i * 7919).padStart(10, '0')}`, bank_ifsc: banks[i % banks.length] },
      )
      .where(eq(staff.id, m.id));
  }
  const today = opts.today ?? todayIST();
  const monthOf = (back: number) => {
    const d = new Date(`${today.slice(0, 7)}-01T00:00:00Z`);
    d.setUTCMonth(d.getUTCMonth() - back);
    return d.toISOString().slice(0, 7);
  };
  const manager = await systemCtx(db, userIds.manager);
  const finance = await systemCtx(db, userIds.finance);
  // The month before last: drafted by the manager, approved by finance, paid with the bank's reference.
  const older = monthOf(2);
  const paid = await draftBatch(manager, older).catch(() => undefined);
  if (paid) {
    const id = String(paid.body.id);
    await approveBatch(finance, id);
    await settleItems(finance, id, { to: 'paid', from: 'pending', input: { bank_reference: `UTR${older.replace('-', '')}0042` } });
  }
  // Last month: drafted by finance, for a manager to review and approve.
  const draft = await draftBatch(finance, monthOf(1)).catch(() => undefined);
  opts.log?.(`payout batches: ${paid ? `${older} paid` : 'none paid'}, ${draft ? `${monthOf(1)} drafted` : 'no draft'}`);
}
