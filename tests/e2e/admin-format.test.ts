import dayjs from 'dayjs';
import { describe, expect, test } from 'vitest';
import { formatDateTime, formatGst, formatPaise, formatPhone, isIndianMobile, istDayRange, rupeesToPaise } from '../../admin/src/format.js';

// The admin's money and time helpers: what a form sends and what a page shows.
describe('admin formatting', () => {
  test('rupees typed in a form become whole paise, without float drift', () => {
    expect(rupeesToPaise(12.34)).toBe(1234); // 12.34 * 100 is 1233.9999999999998
    expect(rupeesToPaise(0.29)).toBe(29); // 0.29 * 100 is 28.999999999999996
    expect(rupeesToPaise(27)).toBe(2700);
    expect(rupeesToPaise(99999.99)).toBe(9_999_999);
  });

  test('paise are shown as Indian rupees with lakh grouping', () => {
    expect(formatPaise(123456)).toBe('₹1,234.56');
    expect(formatPaise(1_00_00_000_00)).toBe('₹1,00,00,000.00');
    expect(formatPaise(0)).toBe('₹0.00');
    expect(formatPaise(null)).toBe('—');
  });

  test('times are shown in Bengaluru time whatever the machine zone', () => {
    expect(formatDateTime('2026-11-25T18:45:00Z')).toBe('26 Nov 2026, 12:15 AM');
    // A day picked in the filter covers that IST day: 00:00 IST is 18:30 UTC the day before.
    const [from, to] = istDayRange(dayjs('2026-11-25'), dayjs('2026-11-25'));
    expect(from).toBe('2026-11-24T18:30:00.000Z');
    expect(to).toBe('2026-11-25T18:29:59.999Z');
  });

  test('GST basis points, phones', () => {
    expect(formatGst(500)).toBe('5%');
    expect(formatGst(0)).toBe('0%');
    expect(formatPhone('+919876543210')).toBe('+91 98765 43210');
    for (const ok of ['98765 43210', '09876543210', '+91 98765 43210', '919876543210']) expect(isIndianMobile(ok)).toBe(true);
    for (const bad of ['12345 67890', '98765', '+1 415 555 0100']) expect(isIndianMobile(bad)).toBe(false);
  });
});
