import { useSelect } from '@refinedev/antd';
import dayjs, { type Dayjs } from 'dayjs';
import { BUSINESS_TZ, formatPaise, formatPhone } from '../../format';
import type { Address, Customer, Product } from '../../types';

// Pieces shared by the operations forms and filters: IST dates, customer / address / product pickers.

/** Today's date in Bengaluru, 'YYYY-MM-DD', whatever the browser's zone. */
export const todayIST = () => dayjs().tz(BUSINESS_TZ).format('YYYY-MM-DD');

/** A DatePicker bound to a 'YYYY-MM-DD' string field: the form holds (and submits) the string the API wants. */
export const dateField = {
  getValueProps: (v?: string | null) => ({ value: v ? dayjs(v) : null }),
  normalize: (d?: Dayjs | null) => (d ? d.format('YYYY-MM-DD') : null),
};

/** How date pickers show a day (first) and what else they accept when a day is typed. */
export const dayFormats = ['D MMM YYYY', 'YYYY-MM-DD', 'D/M/YYYY'];
export const weekdayFormats = ['ddd, D MMM YYYY', ...dayFormats];

/** Days before today (IST) cannot be chosen. */
export const beforeToday = (d: Dayjs) => d.format('YYYY-MM-DD') < todayIST();

export const addressLabel = (a: Pick<Address, 'label' | 'line1' | 'line2' | 'pin_code' | 'is_default'>) =>
  `${a.label ? `${a.label}: ` : ''}${[a.line1, a.line2].filter(Boolean).join(', ')} – ${a.pin_code}${a.is_default ? ' (default)' : ''}`;

/** "Toned Milk 1 L" rather than "Toned Milk 1 L · 1 L": the size only when the name does not say it. */
export const productText = (name: string, size: string | null | undefined) => (size && !name.toLowerCase().includes(size.toLowerCase()) ? `${name} · ${size}` : name);

export const productLabel = (p: Pick<Product, 'name' | 'unit_size' | 'price_paise'>) => `${productText(p.name, p.unit_size)} · ${formatPaise(p.price_paise)}`;

/** Customers by name, phone or email, searched on the server. */
export function useCustomerSelect(opts: { defaultValue?: string; activeOnly?: boolean } = {}) {
  return useSelect<Customer>({
    resource: 'customers',
    optionLabel: (c) => `${c.name} · ${formatPhone(c.phone)}`,
    optionValue: 'id',
    defaultValue: opts.defaultValue,
    sorters: [{ field: 'name', order: 'asc' }],
    pagination: { pageSize: 20 },
    // An inactive customer cannot get orders or subscriptions: do not offer one.
    filters: opts.activeOnly ? [{ field: 'status', operator: 'ne', value: 'inactive' }] : [],
    onSearch: (value) => [{ field: 'q', operator: 'eq', value: value.trim() || undefined }],
    debounce: 300,
  });
}

/** The addresses of one customer (none until a customer is chosen). */
export function useAddressSelect(customerId: string | undefined) {
  return useSelect<Address>({
    resource: 'addresses',
    optionLabel: (a) => addressLabel(a),
    optionValue: 'id',
    filters: [{ field: 'customer_id', operator: 'eq', value: customerId }],
    sorters: [{ field: 'created_at', order: 'asc' }],
    pagination: { mode: 'off' },
    queryOptions: { enabled: Boolean(customerId) },
  });
}

/** Products on sale (or all, for filters), searched on the server; labels show the price. */
export function useProductSelect(opts: { defaultValue?: string; activeOnly?: boolean; withPrice?: boolean } = {}) {
  return useSelect<Product>({
    resource: 'products',
    optionLabel: (p) => (opts.withPrice === false ? p.name : productLabel(p)),
    optionValue: 'id',
    defaultValue: opts.defaultValue,
    sorters: [{ field: 'name', order: 'asc' }],
    pagination: { pageSize: 100 },
    filters: opts.activeOnly ? [{ field: 'is_active', operator: 'eq', value: 'true' }] : [],
    onSearch: (value) => [{ field: 'q', operator: 'eq', value: value.trim() || undefined }],
    debounce: 300,
  });
}

/** A random v4 UUID, also outside secure contexts (an admin opened over plain http on the LAN has no crypto.randomUUID). */
export function newUuid(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

const weekdayNames = ['', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
export const weekdayOptions = [1, 2, 3, 4, 5, 6, 7].map((d) => ({ value: d, label: weekdayNames[d] }));

/** "Daily", "Alternate days", "Mon, Wed, Fri". */
export function scheduleText(s: { schedule: string; weekdays?: number[] | null }): string {
  if (s.schedule === 'daily') return 'Daily';
  if (s.schedule === 'alternate') return 'Alternate days';
  return (s.weekdays ?? []).map((d) => weekdayNames[d]).join(', ') || 'Weekdays (none chosen)';
}

/** 'YYYY-MM-DD' -> "Tue, 12 May 2026" (a calendar date: no time zone shift). */
export const formatDay = (d: string | null | undefined) => (d ? dayjs(d).format('ddd, D MMM YYYY') : '—');
