import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { parseRupees } from '../../admin/src/format.js';
import { paiseToRupees } from '../../shared/money.js';

// The payment and refund forms' amount: rupees typed as text, read into integer paise without a float ever holding them.
describe('parseRupees', () => {
  test('reads what people type', () => {
    expect(parseRupees('2000')).toBe(200000);
    expect(parseRupees('2,000')).toBe(200000);
    expect(parseRupees('₹ 2,000.5')).toBe(200050);
    expect(parseRupees('12.')).toBe(1200);
    expect(parseRupees('0')).toBe(0);
    // 12.34 * 100 is 1233.9999999999998 as a float; read as text it is 1234 exactly.
    expect(parseRupees('12.34')).toBe(1234);
    expect(parseRupees('1,00,00,000.99')).toBe(1_000_000_099);
  });
  test('refuses what is not an amount', () => {
    for (const bad of ['', ' ', '-5', '1.234', 'abc', '1e3', '12,3a', '.', '₹', '1.2.3', '0x10']) expect(parseRupees(bad), bad).toBeNull();
  });
  test('round-trips every amount in paise', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 10_000_000_000 }), (paise) => {
        expect(parseRupees(paiseToRupees(paise))).toBe(paise);
      }),
    );
  });
});
