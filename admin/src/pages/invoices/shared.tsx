import { type CrudFilter, stringifyTableParams, useLink, useResourceParams } from '@refinedev/core';
import { Tag, Tooltip, Typography } from 'antd';
import dayjs from 'dayjs';
import type { ReactNode } from 'react';

// Records of the billing side, inferred from the API's response schemas (type-only: nothing of the server reaches the bundle).
import type { Invoice, InvoiceRun } from '../../../../api/modules/invoices/invoices.schemas';

export type { BillingRecord } from '../../../../api/modules/billing/billing.schemas';
export type { Invoice, InvoiceLine, InvoiceRun } from '../../../../api/modules/invoices/invoices.schemas';
export type InvoiceKind = Invoice['kind'];
export type InvoiceStatus = Invoice['status'];
export type RunStatus = InvoiceRun['status'];

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
