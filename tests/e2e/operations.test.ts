import { and, asc, eq, gt } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { todayIST } from '../../api/lib/dates.js';
import { addresses, billingRecords, customers, deliveries, deliveryItems, idempotencyKeys, orderItems, orders, products } from '../../db/schema/index.js';
import { seedDemo } from '../../seeds/demo.js';
import { type AdminHarness, hasChromium, SHOTS, startAdmin, openFromMenu } from './harness.js';

// The operations side of the chain in a real browser: a one-time order made through its form, its delivery confirmed
// through the Confirm dialog, and the rows that leaves (delivery, delivery items, billing records) checked in the database.

if (!hasChromium) console.warn('Skipping the operations browser test: no chromium (apt-get install chromium; CI installs it).');

const inr = new Intl.NumberFormat('en-IN', { style: 'currency', currency: 'INR' });
const rupees = (paise: number) => inr.format(paise / 100);
/** What one delivered line bills, worked out here on its own: CGST = SGST = half the rate, rounded half up, in paise. */
const billed = (quantity: number, pricePaise: number, gstBp: number) => {
  const taxable = quantity * pricePaise;
  return taxable + 2 * Math.floor((taxable * gstBp + 10000) / 20000);
};
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

let h: AdminHarness;

describe.skipIf(!hasChromium)('operations in a browser', () => {
  beforeAll(async () => {
    h = await startAdmin((db) => seedDemo(db, { scale: 1, seed: 1 }));
  }, 240_000);

  afterAll(async () => {
    await h?.close();
  });

  test('an admin creates a one-time order for today through the form, confirms its delivery in the dialog, and it is billed exactly once', async () => {
    const { database, base } = h;
    const db = database.db;
    const today = todayIST();

    // An active customer with a default address, one taxed product (5% GST) and one exempt product (fresh milk).
    const [customer] = await db
      .select({ id: customers.id, name: customers.name, phone: customers.phone, address_id: addresses.id })
      .from(customers)
      .innerJoin(addresses, and(eq(addresses.customer_id, customers.id), eq(addresses.is_default, true)))
      .where(eq(customers.status, 'active'))
      .orderBy(asc(customers.name))
      .limit(1);
    const [taxed] = await db.select().from(products).where(and(eq(products.is_active, true), gt(products.gst_rate_bp, 0))).orderBy(asc(products.name)).limit(1);
    const [exempt] = await db.select().from(products).where(and(eq(products.is_active, true), eq(products.gst_rate_bp, 0))).orderBy(asc(products.name)).limit(1);
    expect(customer && taxed && exempt).toBeTruthy();
    const lines = [
      { product: taxed, quantity: 2 },
      { product: exempt, quantity: 3 },
    ];
    const expectedTotal = lines.reduce((s, l) => s + billed(l.quantity, l.product.price_paise, l.product.gst_rate_bp), 0);

    const errors: string[] = [];
    const page = await h.loggedIn('admin', errors);
    page.setDefaultTimeout(20_000);

    // Orders from the menu, then the one-time order form.
    await openFromMenu(page, 'Orders');
    await page.waitForURL(/\/orders/);
    await page.getByRole('button', { name: 'New one-time order' }).click();
    await page.waitForURL(/\/orders\/create/);

    // Customer: searched on the server by phone (names repeat), then chosen; their default address fills itself in.
    const form = page.locator('form');
    await form.locator('.ant-form-item', { has: page.getByText('Customer', { exact: true }) }).locator('.ant-select-selector').click();
    await page.keyboard.type(customer.phone.slice(3));
    await page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: customer.name }).first().click();
    await form.locator('.ant-form-item', { has: page.getByText('Delivery address', { exact: true }) }).locator('.ant-select-selection-item').waitFor();
    // The delivery date defaults to today (IST).
    expect(await form.locator('.ant-picker input').first().inputValue()).toContain(String(Number(today.slice(8))));

    // Two item lines: product chosen by its label (name · size · price), quantity typed.
    const itemRows = page.locator('.ant-card', { hasText: 'Items' }).locator('.ant-table-tbody .ant-table-row');
    for (const [n, l] of lines.entries()) {
      if (n > 0) await page.getByRole('button', { name: 'Add item' }).click();
      const row = itemRows.nth(n);
      await row.locator('.ant-select-selector').click();
      await page.keyboard.type(l.product.name);
      await page.locator('.ant-select-dropdown:visible').getByTitle(new RegExp(`^${escape(l.product.name)} · `)).first().click();
      await row.locator('.ant-input-number-input').fill(String(l.quantity));
    }
    // The running total shows what delivering everything will bill, tax included.
    await page.getByTestId('order-total').getByText(rupees(expectedTotal)).waitFor();
    await page.screenshot({ path: `${SHOTS}/e2e-operations-order-form.png`, fullPage: true });

    await page.getByRole('button', { name: 'Create order' }).click();
    await page.waitForURL(/\/orders\/show\/[0-9a-f-]{36}/);
    const orderId = page.url().split('/').pop()!.split('?')[0];
    await page.getByText('open the delivery').waitFor();

    const [order] = await db.select().from(orders).where(eq(orders.id, orderId));
    expect(order).toMatchObject({ customer_id: customer.id, address_id: customer.address_id, kind: 'one_time', delivery_date: today, status: 'pending', subscription_id: null });
    const items = await db.select().from(orderItems).where(eq(orderItems.order_id, orderId));
    expect(items.map((i) => [i.product_id, i.quantity, i.unit_price_paise]).sort()).toEqual(lines.map((l) => [l.product.id, l.quantity, l.product.price_paise]).sort());

    // Its delivery, confirmed through the dialog with every item delivered in full. A double click must bill once.
    await page.getByText('open the delivery').click();
    await page.waitForURL(/\/deliveries\/show\//);
    const deliveryId = page.url().split('/').pop()!.split('?')[0];
    await page.getByRole('button', { name: 'Confirm delivery' }).click();
    const dialog = page.locator('.ant-modal:visible');
    await expect.poll(() => dialog.locator('.ant-input-number-input').count()).toBe(2);
    for (const input of await dialog.locator('.ant-input-number-input').all()) expect(['2', '3']).toContain(await input.inputValue());
    await dialog.getByLabel('Proof note (optional)').fill('Handed over at the door (browser test)');
    await dialog.getByRole('button', { name: 'Confirm delivery' }).dblclick();
    await dialog.getByTestId('billed-total').getByText(rupees(expectedTotal)).waitFor();
    await page.screenshot({ path: `${SHOTS}/e2e-operations-confirm-result.png` });
    await dialog.getByRole('button', { name: 'Done' }).click();
    await page.locator('.ant-descriptions').getByText('delivered', { exact: true }).first().waitFor();
    await page.getByTestId('delivery-billed-total').getByText(rupees(expectedTotal)).waitFor();
    await page.waitForLoadState('networkidle');
    await page.screenshot({ path: `${SHOTS}/e2e-operations-delivery-confirmed.png`, fullPage: true });

    // The rows it left: a delivered delivery, one delivery item per order item, one billing record per delivered item.
    const [delivery] = await db.select().from(deliveries).where(eq(deliveries.id, deliveryId));
    expect(delivery).toMatchObject({ order_id: orderId, status: 'delivered', delivered_on: today, proof_note: 'Handed over at the door (browser test)' });
    const [after] = await db.select({ status: orders.status }).from(orders).where(eq(orders.id, orderId));
    expect(after.status).toBe('delivered');
    const delivered = await db.select().from(deliveryItems).where(eq(deliveryItems.delivery_id, deliveryId));
    expect(delivered).toHaveLength(2);
    expect(delivered.every((d) => d.quantity === d.ordered_quantity)).toBe(true);
    const bills = await db.select().from(billingRecords).where(eq(billingRecords.order_id, orderId));
    expect(bills).toHaveLength(2);
    expect(new Set(bills.map((b) => b.delivery_item_id))).toEqual(new Set(delivered.map((d) => d.id)));
    for (const l of lines) {
      const b = bills.find((x) => x.product_id === l.product.id)!;
      expect(b).toMatchObject({ customer_id: customer.id, quantity: l.quantity, unit_price_paise: l.product.price_paise, gst_rate_bp: l.product.gst_rate_bp, service_date: today, invoice_id: null });
      expect(b.total_paise).toBe(billed(l.quantity, l.product.price_paise, l.product.gst_rate_bp));
    }
    expect(bills.reduce((s, b) => s + b.total_paise, 0)).toBe(expectedTotal);
    // The dialog sent its Idempotency-Key: one claimed key for this confirmation, however many clicks.
    const keys = await db.select().from(idempotencyKeys).where(eq(idempotencyKeys.scope, `deliveries.confirm:${deliveryId}`));
    expect(keys).toHaveLength(1);
    expect(keys[0].status).toBe(200);

    // The customer's calendar shows today's one-time order as delivered.
    await page.goto(`${base}/customers/show/${customer.id}`);
    const todayCell = page.getByTestId('customer-calendar').locator(`[data-date="${today}"]`);
    await expect.poll(() => todayCell.locator('[data-status="delivered"]').count(), { timeout: 20_000 }).toBe(2);

    expect(errors).toEqual([]);
    await page.context().close();
  }, 180_000);

  test("a customer's language is chosen on their form (each in its own script) and shown on their page", async () => {
    const db = h.database.db;
    const [customer] = await db.select({ id: customers.id }).from(customers).where(eq(customers.language, 'en')).orderBy(asc(customers.name)).limit(1);
    const errors: string[] = [];
    const page = await h.loggedIn('admin', errors, { startPath: `/customers/show/${customer.id}` });
    page.setDefaultTimeout(20_000);
    await page.getByTestId('customer-language').getByText('English', { exact: true }).waitFor();
    await page.goto(`${h.base}/customers/edit/${customer.id}`);
    const language = page.locator('.ant-form-item', { has: page.getByText('Language', { exact: true }) });
    await language.locator('.ant-select-selection-item', { hasText: 'English' }).waitFor();
    await language.locator('.ant-select-selector').click();
    const options = page.locator('.ant-select-dropdown:visible .ant-select-item-option');
    // The dropdown renders its options a moment after the click: poll, do not read once.
    await expect.poll(() => options.allTextContents()).toEqual(['English', 'ಕನ್ನಡ', 'हिन्दी']);
    await options.filter({ hasText: 'ಕನ್ನಡ' }).click();
    await page.getByRole('button', { name: 'Save' }).click();
    await page.waitForURL(/\/customers\/show\//);
    await page.getByTestId('customer-language').getByText('ಕನ್ನಡ', { exact: true }).waitFor();
    const [row] = await db.select({ language: customers.language }).from(customers).where(eq(customers.id, customer.id));
    expect(row.language).toBe('kn');
    expect(errors).toEqual([]);
    await page.context().close();
  }, 120_000);

  test('filtered lists keep their filters in the URL: a reload (or a shared link) shows the same rows and filter bar', async () => {
    const errors: string[] = [];
    const page = await h.loggedIn('admin', errors);
    page.setDefaultTimeout(20_000);
    const filter = (field: string, value: string, operator = 'eq') => `filters[0][field]=${field}&filters[0][operator]=${operator}&filters[0][value]=${value}`;

    await page.goto(`${h.base}/customers?${filter('status', 'paused')}`);
    await page.locator('.ant-table-row').first().waitFor();
    // The filter bar shows the filter it was opened with, and every row matches it.
    await expect.poll(() => page.locator('.ant-select-selection-item', { hasText: /^Paused$/ }).count()).toBe(1);
    const rows = await page.locator('.ant-table-row').evaluateAll((trs) => trs.map((r) => r.textContent ?? ''));
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((t) => /paused/i.test(t))).toBe(true);
    await page.screenshot({ path: `${SHOTS}/e2e-customers-filtered.png` });
    // Clearing the filters empties the bar and the URL's filter, and lists everyone again.
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await expect.poll(() => page.locator('.ant-select-selection-item', { hasText: /^Paused$/ }).count()).toBe(0);
    await expect.poll(() => decodeURIComponent(page.url())).not.toContain('[value]=paused');

    await page.goto(`${h.base}/products?${filter('is_active', 'true')}`);
    await page.locator('.ant-table-row').first().waitFor();
    await expect.poll(() => page.locator('.ant-select-selection-item', { hasText: /^Active only$/ }).count()).toBe(1);
    await page.screenshot({ path: `${SHOTS}/e2e-products-filtered.png` });
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await expect.poll(() => page.locator('.ant-select-selection-item', { hasText: /^Active only$/ }).count()).toBe(0);
    expect(errors).toEqual([]);
    await page.context().close();
  }, 120_000);
});
