import { describe, expect, it } from 'vitest';
import { catalogMapping, skuFromName, uniqueSku } from '../../api/modules/imports/legacy.catalog.js';
import { orderDoc } from '../../api/modules/imports/legacy.docs.js';
import { LegacyIndex } from '../../api/modules/imports/legacy.index.js';
import { addressOf, dayOf, instantOf, locationOf, orderStatusOf, paiseOf, phoneOf, quantityOf } from '../../api/modules/imports/legacy.values.js';

describe('legacy values', () => {
  it('reads money as exact paise, never through float arithmetic', () => {
    expect(paiseOf(45.5)).toBe(4550);
    expect(paiseOf('45.50')).toBe(4550);
    expect(paiseOf({ $numberDecimal: '45.50' })).toBe(4550);
    expect(paiseOf(0.1)).toBe(10);
    expect(paiseOf(1.15)).toBe(115); // 1.15 * 100 = 114.99999999999999 as a float
    expect(paiseOf(4.35)).toBe(435); // 434.99999999999994
    expect(paiseOf('1,234.5')).toBe(123_450);
    expect(paiseOf('₹ 28')).toBe(2800);
    expect(paiseOf(28)).toBe(2800);
    expect(paiseOf('12.300')).toBe(1230);
    expect(() => paiseOf('12.345')).toThrow(/fraction of a paisa/);
    expect(() => paiseOf('-5')).toThrow(/negative/);
    expect(() => paiseOf('abc')).toThrow(/not a number/);
    expect(() => paiseOf(undefined, 'price')).toThrow(/price is missing/);
  });

  it('reads the three date forms and a zone-less timestamp as the IST day', () => {
    expect(dayOf({ $date: '2026-01-05T00:00:00Z' })).toBe('2026-01-05');
    // Midnight in India is the evening before in UTC: the instant's day is the Indian day.
    expect(dayOf({ $date: '2026-01-04T18:30:00Z' })).toBe('2026-01-05');
    expect(dayOf({ $date: { $numberLong: String(Date.parse('2026-01-05T00:00:00Z')) } })).toBe('2026-01-05');
    expect(dayOf('2026-01-05')).toBe('2026-01-05');
    expect(dayOf('05/01/2026')).toBe('2026-01-05');
    expect(dayOf('5/1/2026')).toBe('2026-01-05');
    expect(dayOf('2026-01-05T00:00:00')).toBe('2026-01-05');
    expect(dayOf('2026-01-05T23:30:00')).toBe('2026-01-05');
    expect(dayOf({ $date: '2026-01-05T23:30:00' })).toBe('2026-01-05');
    expect(() => dayOf('31/02/2026')).toThrow(/not a real day/);
    expect(() => dayOf('yesterday')).toThrow(/not a date/);
    expect(() => dayOf(null, 'delivery_date')).toThrow(/delivery_date is missing/);
    expect(instantOf('2026-01-05T06:00:00')?.toISOString()).toBe('2026-01-05T00:30:00.000Z');
    expect(instantOf(undefined)).toBeNull();
  });

  it('reads the four phone forms and the spreadsheet number', () => {
    for (const p of ['+91 98765 43210', '+919876543210', '09876543210', '9876543210', '9876543210.0', 9876543210]) expect(phoneOf(p)).toBe('+919876543210');
    expect(() => phoneOf('12345')).toThrow(/not an Indian mobile number/);
    expect(() => phoneOf('5876543210')).toThrow(/not an Indian mobile number/);
    expect(() => phoneOf(null)).toThrow(/missing/);
  });

  it('splits the one-line address and reads the location', () => {
    expect(addressOf('684, 17th Cross, Jayanagar, Bengaluru 560041')).toEqual({ line1: '684, 17th Cross, Jayanagar', city: 'Bengaluru', pin_code: '560041' });
    expect(addressOf('12 MG Road Bengaluru - 560 001')).toEqual({ line1: '12 MG Road Bengaluru', city: null, pin_code: '560001' });
    expect(() => addressOf('12 MG Road')).toThrow(/no 6-digit PIN/);
    expect(locationOf({ lat: 12.9, lng: 77.6 })).toEqual({ lat: 12.9, lng: 77.6 });
    expect(locationOf({ type: 'Point', coordinates: [77.6, 12.9] })).toEqual({ lat: 12.9, lng: 77.6 });
    expect(locationOf({ lat: 120, lng: 77 })).toBeNull();
    expect(locationOf(null)).toBeNull();
  });

  it('reads statuses in either case and quantities', () => {
    expect(orderStatusOf('DELIVERED')).toBe('delivered');
    expect(orderStatusOf('not_delivered')).toBe('failed');
    expect(orderStatusOf('failed')).toBe('failed');
    expect(() => orderStatusOf('lost')).toThrow(/not one the importer knows/);
    expect(quantityOf('2')).toBe(2);
    expect(quantityOf({ $numberInt: '3' })).toBe(3);
    expect(() => quantityOf(1.5)).toThrow(/whole number/);
  });

  it('maps products to unit, HSN and GST by what they are', () => {
    expect(catalogMapping('Toned Milk 500ml', 'milk', '500ml')).toMatchObject({ unit: 'packet', unit_size: '500 ml', hsn_code: '0401', gst_rate_bp: 0, category: 'milk' });
    expect(catalogMapping('Buttermilk 200ml', 'dairy', '200ml')).toMatchObject({ hsn_code: '0403', gst_rate_bp: 0, category: 'beverages' });
    expect(catalogMapping('Butter 100g', 'dairy', '100g')).toMatchObject({ unit: 'piece', hsn_code: '0405', gst_rate_bp: 500 });
    expect(catalogMapping('Ghee 200ml', 'dairy', '200ml')).toMatchObject({ unit: 'bottle', hsn_code: '0405', gst_rate_bp: 500 });
    expect(catalogMapping('Cow Milk 1L', 'milk', '1L')).toMatchObject({ unit_size: '1 L', hsn_code: '0401' });
    expect(catalogMapping('Loose Milk', 'milk', 'litre')).toMatchObject({ unit: 'litre', unit_size: '' });
    expect(catalogMapping('Honey 250g', 'grocery', '250g')).toMatchObject({ hsn_code: '2106', gst_rate_bp: 1800, classified: false });
    expect(skuFromName('Eggs (6)')).toBe('EGGS-6');
    const taken = new Set(['EGGS-6']);
    expect(uniqueSku('EGGS-6', taken)).toBe('EGGS-6-2');
  });

  it('adds up repeated lines of one product and refuses them at two prices', () => {
    const base = { _id: { $oid: 'a'.repeat(24) }, customer_id: 'b'.repeat(24), order_type: 'one-time', delivery_date: '2026-01-05', status: 'delivered' };
    const p = 'c'.repeat(24);
    expect(orderDoc({ ...base, items: [{ product_id: p, quantity: 1, price: 10 }, { product_id: p, quantity: 2, price: '10.00' }] }).items).toEqual([{ product_ref: p, quantity: 3, unit_price_paise: 1000 }]);
    expect(() => orderDoc({ ...base, items: [{ product_id: p, quantity: 1, price: 10 }, { product_id: p, quantity: 2, price: 11 }] })).toThrow(/twice at different prices/);
    expect(() => orderDoc({ ...base, items: [] })).toThrow(/no items/);
  });
});

describe('the compact legacy index', () => {
  it('finds a document by either id form, in any case, and refuses a duplicate', () => {
    const idx = new LegacyIndex();
    const n = 50_000;
    const oid = (i: number) => i.toString(16).padStart(24, '0');
    const uuid = (i: number) => `${i.toString(16).padStart(8, '0')}-0000-4000-8000-${i.toString(16).padStart(12, '0')}`;
    const added = Array.from({ length: n }, (_, i) => idx.add(oid(i), i % 3 ? uuid(i) : null));
    expect(added.every((v, i) => v === i)).toBe(true);
    for (const i of [0, 1, 2, 4095, 4096, n - 1]) {
      expect(idx.find(oid(i))).toBe(i);
      expect(idx.find(oid(i).toUpperCase())).toBe(i);
      expect(idx.find(uuid(i))).toBe(i % 3 ? i : -1);
      expect(idx.oid(i)).toBe(oid(i));
      expect(idx.label(i)).toBe(i % 3 ? uuid(i) : oid(i));
    }
    expect(idx.find(oid(n))).toBe(-1);
    expect(idx.find('not-an-id')).toBe(-1);
    expect(idx.add(oid(7), null)).toBe(-1);
    expect(idx.add(null, uuid(8))).toBe(-1);
    expect(idx.bytes / n).toBeLessThan(100);
  });
});
