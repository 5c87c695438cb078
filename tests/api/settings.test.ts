import { eq, sql } from 'drizzle-orm';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Ctx } from '../../api/lib/context.js';
import { addDays, financialYear, todayIST } from '../../api/lib/dates.js';
import { issueInvoice } from '../../api/modules/invoices/invoices.service.js';
import { gstinCheckCharacter } from '../../shared/supplier.js';
import { invoices, settings } from '../../db/schema/index.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { bodyOf, daysFromToday, makeCustomer, makeOrder, makeProduct, makeZone, problemOf, sqlRows } from '../helpers/chain-fixtures.js';

let t: TestApp;
let ctx: Ctx;
const db = () => t.database.db;

beforeAll(async () => {
  t = await createTestApp();
  ctx = {
    db: db(),
    inTx: false,
    actor: { id: t.userIds.finance, email: 'finance@milkrun.test', name: 'Farhan Finance', roles: ['finance'], permissions: [{ resource: '*', action: '*', conditions: null }] },
    requestId: 'settings-test',
    log: pino({ level: 'silent' }),
  };
});
afterAll(() => t?.close());

const get = (role: Parameters<TestApp['call']>[0] = 'admin') => t.call(role, 'GET', '/api/settings');
const patch = (body: unknown, role: Parameters<TestApp['call']>[0] = 'admin') => t.call(role, 'PATCH', '/api/settings', body);
const row = async () => (await db().select().from(settings))[0];
const settingsAudits = () => sqlRows<{ n: number }>(db(), sql`select count(*)::int as n from audit_logs where table_name = 'settings'`).then((r) => Number(r[0].n));

/** A delivered one-time order of `day` for a new customer, billed and ready for an invoice. */
async function deliveredOrder(day: string) {
  const customer = await makeCustomer(db(), { zone_id: (await makeZone(db())).id });
  const product = await makeProduct(db(), { gst_rate_bp: 500, hsn_code: '0405', price_paise: 10000 });
  const o = await makeOrder(db(), { customer, items: [{ product, quantity: 2 }], delivery_date: day });
  await bodyOf(await t.call('manager', 'POST', `/api/deliveries/${o.delivery.id}/confirm`, {}), 200);
  return customer.customer.id;
}
// The records are dated the day of confirmation (today), whatever the order's date: bill from the order's day to today.
const issue = (customerId: string, day: string) => issueInvoice(ctx, { customerId, periodStart: day, periodEnd: todayIST(), invoiceDate: todayIST() });

describe('who may read and change the settings', () => {
  test('admin reads them; other roles get a 403, before the body is even validated; no session is a 401', async () => {
    const s = await bodyOf(await get(), 200);
    expect(s).toMatchObject({ supplier_name: 'Milkrun Dairy Pvt Ltd', supplier_gstin: '29AAACM1234A1Z4', supplier_state_code: '29', series_taxed: 'MR', series_exempt: 'BS', payment_term_days: 15 });
    expect(s.supplier_address).toBe('No. 42, 3rd Cross, HSR Layout Sector 2\nBengaluru, Karnataka 560102');
    for (const role of ['finance', 'support', 'manager'] as const) {
      await problemOf(await get(role), 403, 'forbidden');
      await problemOf(await patch({ supplier_gstin: 'not a gstin' }, role), 403, 'forbidden');
    }
    await problemOf(await get(null), 401, 'unauthorized');
    expect(await settingsAudits()).toBe(0);
    expect((await row()).supplier_gstin).toBe('29AAACM1234A1Z4');
  });
});

describe('validation', () => {
  test('one field at a time: a 400 that says what is wrong, and nothing changes', async () => {
    const before = await row();
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ supplier_gstin: '29AAACM1234A1Z' }, /GSTIN is 15 characters/],
      [{ supplier_gstin: '29AAACM1234A1Z5' }, /check character does not match \(for 29AAACM1234A1Z it is 4\)/],
      [{ supplier_pan: 'AAAC1234MA' }, /PAN is 5 letters, 4 digits and a letter/],
      [{ supplier_state_code: '2' }, /two digits/],
      [{ supplier_upi_id: 'milkrun' }, /UPI id is name@bank/],
      [{ supplier_upi_id: 'milk run@upi' }, /UPI id is name@bank/],
      [{ supplier_email: 'billing' }, /valid email/],
      [{ supplier_phone: 'call us' }, /phone number/],
      [{ supplier_name: '  ' }, /Enter the business name/],
      [{ supplier_address: 'a\nb\nc\nd\ne' }, /at most 4 lines/],
      [{ supplier_address: `${'x'.repeat(101)}` }, /at most 100 characters/],
      [{ payment_term_days: 366 }, /at most 365 days/],
      [{ payment_term_days: -1 }, /cannot be negative/],
      [{ payment_term_days: 1.5 }, /whole number/],
      [{ series_taxed: 'MRX1' }, /1 to 3 letters or digits, so that an invoice number/],
      [{ series_exempt: 'B/S' }, /1 to 3 letters or digits/],
      [{ series_exempt: '' }, /1 to 3 letters or digits/],
      [{ colour: 'blue' }, /colour/],
    ];
    for (const [body, message] of cases) {
      // A NUL is refused at the edge for every route (api/lib/edge.ts), with its own code.
      const p = await problemOf(await patch(body), 400, JSON.stringify(body).includes('\\u0000') ? 'bad_text' : 'validation_failed');
      expect(p.message, JSON.stringify(body)).toMatch(message);
    }
    // NUL is refused at the edge for every route, with its own code.
    await problemOf(await patch({ supplier_name: 'Milk\u0000run' }), 400, 'bad_text');
    expect(await row()).toEqual(before);
    expect(await settingsAudits()).toBe(0);
  });

  test('rules across fields are CHECKs on the row: 422 naming the rule, whichever fields were sent', async () => {
    const before = await row();
    // A valid GSTIN of another PAN, with the old PAN left in place.
    const cases: [Record<string, unknown>, string, string][] = [
      [{ supplier_gstin: '29AAGCB7383J1Z4' }, 'pan_not_in_gstin', 'settings_pan_in_gstin'],
      [{ supplier_state_code: '27' }, 'state_code_not_of_gstin', 'settings_state_code_of_gstin'],
      [{ series_exempt: 'MR' }, 'series_not_distinct', 'settings_series_distinct'],
    ];
    for (const [body, code, constraint] of cases) {
      const p = await problemOf(await patch(body), 422, code);
      expect(p.constraint).toBe(constraint);
    }
    expect(await row()).toEqual(before);
    expect(await settingsAudits()).toBe(0);
  });

  test('the database refuses a bad row written without the API too', async () => {
    const refused = async (set: string) => {
      const err = await db()
        .execute(sql.raw(`update settings set ${set}`))
        .then(() => undefined, (e: { cause?: { constraint?: string; constraint_name?: string } }) => e.cause?.constraint ?? e.cause?.constraint_name);
      return err;
    };
    expect(await refused(`series_taxed = 'MRXX'`)).toBe('settings_series_format');
    expect(await refused(`supplier_upi_id = 'nobody'`)).toBe('settings_upi_id_format');
    expect(await refused(`supplier_pan = 'AAGCB7383J'`)).toBe('settings_pan_in_gstin');
    expect(await refused(`payment_term_days = 400`)).toBe('settings_payment_term_range');
    expect(await refused(`supplier_address = E'one\\n\\nthree'`)).toBe('settings_supplier_address_lines');
    const second = await db()
      .execute(sql`insert into settings select 2, supplier_name, supplier_address, supplier_gstin, supplier_pan, supplier_state, supplier_state_code,
        supplier_phone, supplier_email, supplier_upi_id, payment_term_days, series_taxed, series_exempt from settings`)
      .then(() => undefined, (e: { cause?: { constraint?: string; constraint_name?: string } }) => e.cause?.constraint ?? e.cause?.constraint_name);
    expect(second).toBe('settings_single_row');
  });

  test('the GSTIN check character: known real GSTINs pass, one changed character fails', () => {
    expect(gstinCheckCharacter('27AAPFU0939F1Z')).toBe('V');
    expect(gstinCheckCharacter('29AAGCB7383J1Z')).toBe('4');
    expect(gstinCheckCharacter('29AAGCB7384J1Z')).not.toBe('4');
  });
});

describe('an issued invoice keeps the supplier block it was issued with', () => {
  test('change the settings: the old invoice (JSON and PDF) is unchanged, the next one uses the new block, term and prefix', async () => {
    const day = daysFromToday(-2);
    const fy = financialYear(todayIST());
    const old = (await issue(await deliveredOrder(day), day))!;
    const oldJson = await bodyOf(await t.call('finance', 'GET', `/api/invoices/${old.id}`), 200);
    const block = {
      name: 'Milkrun Dairy Pvt Ltd',
      address_lines: ['No. 42, 3rd Cross, HSR Layout Sector 2', 'Bengaluru, Karnataka 560102'],
      gstin: '29AAACM1234A1Z4',
      pan: 'AAACM1234A',
      state: 'Karnataka',
      state_code: '29',
      phone: '+91 80 4000 1234',
      email: 'billing@milkrun.example',
      upi_id: 'milkrun@upi',
    };
    expect(oldJson.supplier).toEqual(block);
    expect(oldJson.place_of_supply).toBe('Karnataka (29)');
    expect(oldJson.due_date).toBe(addDays(todayIST(), 15));
    expect(oldJson.number).toMatch(new RegExp(`^MR/${fy}/\\d{6}$`));
    const oldPdf = Buffer.from(await (await t.call('finance', 'GET', `/api/invoices/${old.id}/pdf`)).arrayBuffer());

    // A new GSTIN and PAN (another state), name, address with Windows line ends and blank lines, lower-case input.
    const changed = await bodyOf(
      await patch({
        supplier_name: 'Nandini Fresh LLP',
        supplier_address: '  7 Anna Salai \r\n\r\nChennai 600002  ',
        supplier_gstin: '33aaaci1195h1zt',
        supplier_pan: 'aaaci1195h',
        supplier_state: 'Tamil Nadu',
        supplier_state_code: '33',
        supplier_phone: '+91 44 2222 3333',
        supplier_email: 'accounts@nandini.example',
        supplier_upi_id: 'nandini@okaxis',
        payment_term_days: 30,
        series_taxed: 'nf',
      }),
      200,
    );
    expect(changed).toMatchObject({ supplier_gstin: '33AAACI1195H1ZT', supplier_pan: 'AAACI1195H', supplier_address: '7 Anna Salai\nChennai 600002', series_taxed: 'NF', series_exempt: 'BS', updated_by: t.userIds.admin });
    // Audited in the same transaction: who, before and after.
    const [audit] = await sqlRows(db(), sql`select user_id, action, before, after from audit_logs where table_name = 'settings' order by created_at desc limit 1`);
    expect(audit).toMatchObject({ user_id: t.userIds.admin, action: 'update' });
    expect(audit.before).toMatchObject({ supplier_name: 'Milkrun Dairy Pvt Ltd', series_taxed: 'MR' });
    expect(audit.after).toMatchObject({ supplier_name: 'Nandini Fresh LLP', series_taxed: 'NF', payment_term_days: 30 });

    // The old invoice: the same JSON, the same PDF (the same supplier in its metadata and body).
    expect(await bodyOf(await t.call('finance', 'GET', `/api/invoices/${old.id}`), 200)).toEqual(oldJson);
    const oldPdfAgain = Buffer.from(await (await t.call('finance', 'GET', `/api/invoices/${old.id}/pdf`)).arrayBuffer());
    expect(oldPdfAgain.toString('latin1')).toContain('(Milkrun Dairy Pvt Ltd)');
    expect(withoutDates(oldPdfAgain)).toBe(withoutDates(oldPdf));

    // The next invoice: the new block, term and prefix; the NF series of this year starts at 1.
    const fresh = (await issue(await deliveredOrder(day), day))!;
    const freshJson = await bodyOf(await t.call('finance', 'GET', `/api/invoices/${fresh.id}`), 200);
    expect(freshJson.supplier).toEqual({
      name: 'Nandini Fresh LLP',
      address_lines: ['7 Anna Salai', 'Chennai 600002'],
      gstin: '33AAACI1195H1ZT',
      pan: 'AAACI1195H',
      state: 'Tamil Nadu',
      state_code: '33',
      phone: '+91 44 2222 3333',
      email: 'accounts@nandini.example',
      upi_id: 'nandini@okaxis',
    });
    expect(freshJson.place_of_supply).toBe('Tamil Nadu (33)');
    expect(freshJson.due_date).toBe(addDays(todayIST(), 30));
    expect(freshJson.number).toBe(`NF/${fy}/000001`);
    const freshPdf = Buffer.from(await (await t.call('finance', 'GET', `/api/invoices/${fresh.id}/pdf`)).arrayBuffer());
    expect(freshPdf.toString('latin1')).toContain('(Nandini Fresh LLP)');

    // Back to MR: that series continues from its last number, so each series stays consecutive with no gap.
    await bodyOf(await patch({ series_taxed: 'MR' }), 200);
    const again = (await issue(await deliveredOrder(day), day))!;
    expect(again.number).toBe(`MR/${fy}/${String(old.seq + 1).padStart(6, '0')}`);
    const seqs = await sqlRows<{ series: string; seqs: string; next_seq: number }>(
      db(),
      sql`select i.series, string_agg(i.seq::text, ',' order by i.seq) as seqs, max(s.next_seq) as next_seq
          from invoices i join document_series s using (series, financial_year) where i.financial_year = ${fy} group by i.series order by i.series`,
    );
    for (const s of seqs) {
      const list = s.seqs.split(',').map(Number);
      expect(list, s.series).toEqual(list.map((_, i) => i + 1));
      expect(Number(s.next_seq)).toBe(list.length + 1);
    }
    expect(seqs.map((s) => s.series)).toEqual(['MR', 'NF']);

    // And the stored block of an issued invoice cannot be edited afterwards.
    const edit = await db()
      .update(invoices)
      .set({ supplier: { ...block, name: 'Someone else' } })
      .where(eq(invoices.id, old.id))
      .then(() => undefined, (e: { cause?: { constraint?: string; constraint_name?: string } }) => e.cause?.constraint ?? e.cause?.constraint_name);
    expect(edit).toBe('invoices_immutable');
  });
});

/** A PDF with its creation date taken out (pdfkit stamps the time of rendering). */
const withoutDates = (pdf: Buffer) => pdf.toString('latin1').replace(/\(D:[0-9Z'+-]*\)/g, '').replace(/\/ID \[[^\]]*\]/g, '');
