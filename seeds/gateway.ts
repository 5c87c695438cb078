import pino from 'pino';
import { sql } from 'drizzle-orm';
import type { Ctx } from '../api/lib/context.js';
import { rowsOf } from '../api/lib/sql.js';
import { receiveWebhook } from '../api/modules/gateway/webhook.service.js';
import { uploadSettlement } from '../api/modules/settlements/settlements.service.js';
import type { Db } from '../db/client.js';

// The demo's gateway payments (issue 12, item 4): Razorpay events as the webhook receives them (through the same
// service verb, signed-in as nobody): payments authorized then captured for customers with open invoices, one
// captured before its authorization arrived, one that failed, one only authorized, and two for no customer we know
// (the unmatched queue finance assigns).

const at = (daysAgo: number, hour: number) => Math.floor((Date.now() - daysAgo * 86_400_000) / 1000 / 3600) * 3600 + hour * 60;

function event(name: string, id: string, amount: number, customerId: string | null, createdAt: number, extra: Record<string, unknown> = {}) {
  return JSON.stringify({
    entity: 'event',
    account_id: 'acc_MilkrunDemo',
    event: name,
    contains: ['payment'],
    payload: {
      payment: {
        entity: {
          id,
          entity: 'payment',
          amount,
          currency: 'INR',
          status: name.split('.')[1],
          method: 'upi',
          vpa: 'customer@okaxis',
          email: 'void@razorpay.com',
          contact: '+919900000000',
          notes: customerId ? { customer_id: customerId } : {},
          created_at: createdAt,
          ...extra,
        },
      },
    },
    created_at: createdAt,
  });
}

export async function seedGateway(db: Db, opts: { log?: (line: string) => void; finance?: Ctx } = {}): Promise<void> {
  const ctx: Ctx = { db, inTx: false, actor: null, requestId: 'seed-gateway', log: pino({ level: 'silent' }) };
  // Customers owing the most: their gateway payments settle part of it (whole rupees).
  const owing = rowsOf<{ customer_id: string; due: number }>(
    await db.execute(sql`select customer_id, balance_due_paise::int as due from customer_balances where balance_due_paise >= 20000 order by balance_due_paise desc, customer_id limit 6`),
  );
  let n = 0;
  const send = async (name: string, id: string, amount: number, customerId: string | null, createdAt: number, extra: Record<string, unknown> = {}) =>
    receiveWebhook(ctx, `evt_Demo${String(++n).padStart(4, '0')}`, event(name, id, amount, customerId, createdAt, extra));
  for (const [i, c] of owing.entries()) {
    const id = `pay_DemoUpi${String(i + 1).padStart(4, '0')}`;
    const amount = Math.max(100, Math.floor((c.due * (i % 2 === 0 ? 1 : 0.5)) / 100) * 100);
    const when = at(i + 2, 9 + i);
    if (i === 5) {
      await send('payment.authorized', id, amount, c.customer_id, when); // still waiting for its capture
    } else if (i === 4) {
      await send('payment.authorized', id, amount, c.customer_id, when);
      await send('payment.failed', id, amount, c.customer_id, when + 60, { error_description: 'Payment was declined by the bank' });
    } else if (i === 3) {
      await send('payment.captured', id, amount, c.customer_id, when + 60); // captured first, the authorization late
      await send('payment.authorized', id, amount, c.customer_id, when);
    } else {
      await send('payment.authorized', id, amount, c.customer_id, when);
      await send('payment.captured', id, amount, c.customer_id, when + 60);
    }
  }
  // For finance to assign: notes with no customer, and a customer id of the old system.
  await send('payment.captured', 'pay_DemoUnmatched01', 45000, null, at(2, 11));
  await send('payment.captured', 'pay_DemoUnmatched02', 120000, null, at(1, 18), { notes: { customer_id: 'CUST-00817' }, method: 'card' });
  // Finance's first settlement file: one payment settled, one settled a rupee over, one Milkrun does not know; the
  // others captured days ago and in no settlement yet (the scan after the upload puts them in the exceptions queue).
  const captured = rowsOf<{ gateway_payment_id: string; amount: number }>(
    await db.execute(sql`select gateway_payment_id, amount_paise::int as amount from gateway_payments where status = 'captured' and customer_id is not null order by gateway_payment_id limit 2`),
  );
  const rupees = (p: number) => (p / 100).toFixed(2);
  const day = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
  const rows = [
    ...captured.map((p, i) => ['setl_DemoA01', 'UTR000DEMO0001', p.gateway_payment_id, rupees(i === 0 ? p.amount : p.amount + 100), rupees(Math.round(p.amount * 0.02)), rupees(Math.round(p.amount * 0.0036)), `${day} 10:30:00`]),
    ['setl_DemoA01', 'UTR000DEMO0001', 'pay_DemoNotOurs01', '250.00', '5.00', '0.90', `${day} 10:30:00`],
  ];
  const content = ['settlement_id,utr,payment_id,amount,fee,tax,settled_at', ...rows.map((r) => r.join(','))].join('\r\n') + '\r\n';
  if (captured.length) await uploadSettlement(opts.finance ?? ctx, { file_name: `razorpay-settlements-${day}.csv`, content, dry_run: false });
  opts.log?.(`gateway payments: ${owing.length + 2} (two unmatched), ${n} webhook events, one settlement file`);
}
