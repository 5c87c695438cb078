import { type CrudFilter, stringifyTableParams, useLink, useResourceParams } from '@refinedev/core';
import { Tag, Tooltip, Typography } from 'antd';
import dayjs from 'dayjs';
import type { ReactNode } from 'react';

// Records of the billing side as the API returns them (snake_case columns, money in paise, days as YYYY-MM-DD in IST).

export type InvoiceKind = 'tax_invoice' | 'bill_of_supply' | 'invoice_cum_bill_of_supply';
export type InvoiceStatus = 'issued' | 'void';
export type RunStatus = 'running' | 'completed' | 'failed';

export interface BillingRecord {
  id: string;
  delivery_item_id: string;
  quantity: number;
  customer_id: string;
  customer_name: string;
  order_id: string;
  product_id: string;
  product_name: string;
  service_date: string;
  unit_price_paise: number;
  hsn_code: string;
  gst_rate_bp: number;
  taxable_paise: number;
  cgst_paise: number;
  sgst_paise: number;
  total_paise: number;
  source: 'delivery' | 'legacy_import';
  legacy_billed: boolean;
  invoice_id: string | null;
  invoice_number: string | null;
  is_invoiced: boolean;
  created_at: string;
}

export interface Invoice {
  id: string;
  number: string;
  series: string;
  financial_year: string;
  seq: number;
  kind: InvoiceKind;
  status: InvoiceStatus;
  customer_id: string;
  customer_name: string;
  period_start: string;
  period_end: string;
  issued_at: string;
  invoice_date: string;
  due_date: string;
  place_of_supply: string;
  taxable_paise: number;
  exempt_paise: number;
  cgst_paise: number;
  sgst_paise: number;
  total_paise: number;
  run_id: string | null;
  replaces_invoice_id: string | null;
  replaced_by_invoice_id: string | null;
  void_reason: string | null;
  voided_at: string | null;
  voided_by: string | null;
  created_by: string | null;
  created_at: string;
}

export interface InvoiceLine {
  id: string;
  invoice_id: string;
  product_id: string;
  description: string;
  hsn_code: string;
  unit: string;
  quantity: number;
  unit_price_paise: number;
  gst_rate_bp: number;
  taxable_paise: number;
  cgst_paise: number;
  sgst_paise: number;
  total_paise: number;
}

export interface InvoiceRun {
  id: string;
  month: string;
  customer_id: string | null;
  customer_name: string | null;
  status: RunStatus;
  total_customers: number;
  processed_customers: number;
  invoices_created: number;
  amount_paise: number;
  error: string | null;
  started_by: string | null;
  started_by_name: string | null;
  created_at: string;
  updated_at: string;
  finished_at: string | null;
}

export const kindLabels: Record<InvoiceKind, string> = {
  tax_invoice: 'Tax invoice',
  bill_of_supply: 'Bill of supply',
  invoice_cum_bill_of_supply: 'Invoice-cum-bill of supply',
};
const kindColors: Record<InvoiceKind, string> = { tax_invoice: 'blue', bill_of_supply: 'green', invoice_cum_bill_of_supply: 'purple' };
const kindHelp: Record<InvoiceKind, string> = {
  tax_invoice: 'Taxed goods only (GST charged)',
  bill_of_supply: 'Exempt goods only (fresh milk, paneer): no GST',
  invoice_cum_bill_of_supply: 'Taxed and exempt goods together',
};

export const InvoiceKindTag = ({ kind }: { kind: InvoiceKind }) => (
  <Tooltip title={kindHelp[kind]}>
    <Tag color={kindColors[kind]}>{kindLabels[kind]}</Tag>
  </Tooltip>
);

export const InvoiceStatusTag = ({ status }: { status: InvoiceStatus }) => <Tag color={status === 'issued' ? 'green' : 'red'}>{status === 'issued' ? 'Issued' : 'Void'}</Tag>;

const runColors: Record<RunStatus, string> = { running: 'processing', completed: 'success', failed: 'error' };
export const RunStatusTag = ({ status }: { status: RunStatus }) => <Tag color={runColors[status]}>{status}</Tag>;

export const kindOptions = (Object.keys(kindLabels) as InvoiceKind[]).map((k) => ({ value: k, label: kindLabels[k] }));

/** A service or invoice day ("2026-11-01") as "1 Nov 2026". Days are already IST: no time-zone shift here. */
export const formatDay = (day: string | null | undefined) => (day ? dayjs(day, 'YYYY-MM-DD').format('D MMM YYYY') : '—');

export const Day = ({ value }: { value: string | null | undefined }) => <span style={{ whiteSpace: 'nowrap' }}>{formatDay(value)}</span>;

/** "2026-11-01" (or "2026-11") as "November 2026". */
export const monthLabel = (month: string) => dayjs(`${month.slice(0, 7)}-01`, 'YYYY-MM-DD').format('MMMM YYYY');

/** An invoice period: a whole month as "November 2026", anything else as a range of days. */
export function periodLabel(start: string, end: string): string {
  const s = dayjs(start, 'YYYY-MM-DD');
  const e = dayjs(end, 'YYYY-MM-DD');
  if (s.date() === 1 && e.isSame(s.endOf('month'), 'day')) return s.format('MMMM YYYY');
  return `${formatDay(start)} – ${formatDay(end)}`;
}

/** India's financial year of a day as "26-27" (1 April to 31 March), as invoice numbers carry it. */
export function financialYearOf(day: dayjs.Dayjs): string {
  const y = day.month() >= 3 ? day.year() : day.year() - 1;
  return `${String(y % 100).padStart(2, '0')}-${String((y + 1) % 100).padStart(2, '0')}`;
}

/** The current and the three previous financial years, newest first. */
export function recentFinancialYears(today = dayjs()): { value: string; label: string }[] {
  return [0, 1, 2, 3].map((k) => {
    const fy = financialYearOf(today.subtract(k, 'year'));
    const start = 2000 + Number(fy.slice(0, 2));
    return { value: fy, label: `FY ${start}-${String((start + 1) % 100).padStart(2, '0')}` };
  });
}

/** A list page URL with Refine's own filter parameters, so the page opens filtered (and shows it in its form). */
export function listUrl(path: string, filters: { field: string; value: string | boolean; operator?: 'eq' | 'gte' | 'lte' | 'contains' }[]): string {
  const crud: CrudFilter[] = filters.map((f) => ({ field: f.field, operator: f.operator ?? 'eq', value: String(f.value) }));
  return `${path}?${stringifyTableParams({ pagination: { currentPage: 1, pageSize: 25 }, sorters: [], filters: crud })}`;
}

/** The show page of a record of another resource, when that page exists in this admin. */
export function useShowPath(): (resource: string, id: string) => string | null {
  const { resources } = useResourceParams();
  return (resource, id) => {
    const show = resources.find((r) => r.name === resource)?.show;
    return typeof show === 'string' ? show.replace(':id', id) : null;
  };
}

/** A record id: a link to its page when there is one, else the id's first characters (copyable). */
export function RecordRef({ resource, id, children }: { resource: string; id: string | null | undefined; children?: ReactNode }) {
  const Link = useLink();
  const showPath = useShowPath();
  if (!id) return <Typography.Text type="secondary">—</Typography.Text>;
  const path = showPath(resource, id);
  const label = children ?? <span style={{ fontFamily: 'monospace', fontSize: 12 }}>{id.slice(0, 8)}</span>;
  return path ? (
    <Link to={path}>{label}</Link>
  ) : (
    <Typography.Text copyable={{ text: id, tooltips: ['Copy id', 'Copied'] }}>{label}</Typography.Text>
  );
}

export const nowrap = { whiteSpace: 'nowrap' } as const;
