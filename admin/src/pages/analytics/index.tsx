import { DownloadOutlined } from '@ant-design/icons';
import { useCustom, useSelect } from '@refinedev/core';
import { Button, Card, Col, DatePicker, Empty, Row, Select, Skeleton, Space, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import type { ComponentType, ReactNode } from 'react';
import { useSearchParams } from 'react-router';
import { QueryError } from '../../components/QueryError';
import { usePhone } from '../../components/responsive';
import { formatPaise } from '../../format';
import * as C from './charts';
import type { ChartRow } from './charts';

interface ChartAnswer {
  chart: string;
  title: string;
  columns: { key: string; label: string; kind: string }[];
  rows: ChartRow[];
  totals: ChartRow;
}

const MAX_DAYS = 92;
const dayRe = /^\d{4}-\d{2}-\d{2}$/;
const n = (v: unknown) => Number(v ?? 0);
const count = (v: unknown) => n(v).toLocaleString('en-IN');
const pct = (v: unknown) => (v === null || v === undefined ? '–' : `${v}%`);

/** Each chart: its endpoint, its component, the line of totals under it, and whether its rows can be empty of data. */
const CHARTS: { name: string; component: ComponentType<{ rows: ChartRow[] }>; totals: (t: ChartRow) => ReactNode; empty: (a: ChartAnswer) => boolean; wide?: boolean }[] = [
  { name: 'revenue-by-day', component: C.RevenueByDay, totals: (t) => `${formatPaise(n(t.total_paise))} billed · ${count(t.orders)} orders`, empty: (a) => n(a.totals.records) === 0 },
  { name: 'collections', component: C.Collections, totals: (t) => `${formatPaise(n(t.total_paise))} received in ${count(t.payments)} payments`, empty: (a) => n(a.totals.payments) === 0 },
  {
    name: 'delivery-outcomes',
    component: C.DeliveryOutcomes,
    totals: (t) => `${pct(t.on_time_rate)} on time · ${count(t.late)} late · ${count(t.partial)} partial · ${count(t.failed)} failed · ${count(t.pending)} not yet made`,
    empty: (a) => n(a.totals.on_time) + n(a.totals.late) + n(a.totals.partial) + n(a.totals.failed) === 0,
  },
  { name: 'failure-reasons', component: C.FailureReasons, totals: (t) => `${count(t.failed)} failed deliveries`, empty: (a) => a.rows.length === 0 },
  {
    name: 'product-shift',
    component: C.ProductShift,
    totals: (t) => `${count(t.units)} units · ${n(t.litres).toLocaleString('en-IN', { maximumFractionDigits: 1 })} litres of liquids`,
    empty: (a) => a.rows.length === 0,
  },
  { name: 'top-products', component: C.TopProducts, totals: (t) => `Top ten: ${formatPaise(n(t.total_paise))}`, empty: (a) => a.rows.length === 0 },
  {
    name: 'subscriptions',
    component: C.Subscriptions,
    totals: (t) => `${count(t.active)} active at the end · ${count(t.started)} new · ${count(t.cancelled)} cancelled · churn ${pct(t.churn_rate)} of ${count(t.active_at_start)} active at the start`,
    empty: (a) => a.rows.every((r) => n(r.active) === 0 && n(r.started) === 0),
  },
  { name: 'new-customers', component: C.NewCustomers, totals: (t) => `${count(t.customers)} new customers`, empty: () => false },
  {
    name: 'zone-comparison',
    component: C.ZoneComparison,
    totals: (t) => `${formatPaise(n(t.total_paise))} billed · ${count(t.deliveries)} deliveries · ${count(t.failed)} failed`,
    empty: (a) => a.rows.length === 0,
  },
  {
    name: 'staff-performance',
    component: C.StaffPerformance,
    totals: (t) => `${count(t.drops)} drops · ${count(t.failed)} failed · ${pct(t.on_time_rate)} on time (the 15 busiest shown)`,
    empty: (a) => a.rows.length === 0,
  },
  { name: 'receivables-ageing', component: C.ReceivablesAgeing, totals: (t) => `${formatPaise(n(t.amount_paise))} due, as of ${t.as_of ?? 'today'}`, empty: () => false },
];

function csvUrl(name: string, query: Record<string, string>) {
  return `/api/analytics/${name}?${new URLSearchParams({ ...query, format: 'csv' })}`;
}

function ChartCard({ spec, query }: { spec: (typeof CHARTS)[number]; query: Record<string, string> }) {
  const { query: q } = useCustom<ChartAnswer>({ url: `/analytics/${spec.name}`, method: 'get', config: { query } });
  const a = q.data?.data;
  const Chart = spec.component;
  return (
    <Card
      size="small"
      style={{ height: '100%' }}
      data-testid={`card-${spec.name}`}
      title={<span style={{ whiteSpace: 'normal' }}>{a?.title ?? ' '}</span>}
      extra={
        <Button size="small" icon={<DownloadOutlined />} href={csvUrl(spec.name, query)} download aria-label={`Download ${spec.name} as CSV`}>
          CSV
        </Button>
      }
    >
      <QueryError error={q.error} onRetry={() => q.refetch()} />
      {q.isLoading && <Skeleton active paragraph={{ rows: 6 }} />}
      {a && (spec.empty(a) ? <Empty description="Nothing in this range" /> : <Chart rows={a.rows} />)}
      {a && (
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {spec.totals(a.totals)}
        </Typography.Text>
      )}
    </Card>
  );
}

/** Analytics: ten-odd charts of a range of days (at most 92), optionally one zone, each with its CSV. */
export function AnalyticsPage() {
  const phone = usePhone();
  const [params, setParams] = useSearchParams();
  const today = dayjs().tz('Asia/Kolkata').format('YYYY-MM-DD');
  const from = dayRe.test(params.get('from') ?? '') ? params.get('from')! : dayjs(today).subtract(29, 'day').format('YYYY-MM-DD');
  const to = dayRe.test(params.get('to') ?? '') ? params.get('to')! : today;
  const zone = params.get('zone_id') ?? '';
  const set = (next: Partial<Record<'from' | 'to' | 'zone_id', string>>) => {
    const merged = { from, to, zone_id: zone, ...next };
    setParams(Object.fromEntries(Object.entries(merged).filter(([, v]) => v)));
  };
  const { options: zones } = useSelect({ resource: 'zones', optionValue: 'id', optionLabel: 'name', sorters: [{ field: 'name', order: 'asc' }], pagination: { pageSize: 100 } });
  const query: Record<string, string> = zone ? { from, to, zone_id: zone } : { from, to };

  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }}>
      <Space direction="vertical" size={0}>
        <Typography.Title level={3} style={{ margin: 0 }}>
          Analytics
        </Typography.Title>
        <Typography.Text type="secondary">
          Billed value is the billing records by day of delivery (GST included); deliveries by order day; money by the day received. Days in IST, at most {MAX_DAYS} at a time.
        </Typography.Text>
      </Space>
      <Space wrap>
        <DatePicker.RangePicker
          allowClear={false}
          format="D MMM YYYY"
          value={[dayjs(from), dayjs(to)]}
          minDate={dayjs('2000-01-01')}
          maxDate={dayjs('2100-12-31')}
          disabledDate={(d, info) => (info.from ? Math.abs(d.diff(info.from, 'day')) >= MAX_DAYS : false)}
          presets={[
            { label: 'Last 7 days', value: [dayjs(today).subtract(6, 'day'), dayjs(today)] },
            { label: 'Last 30 days', value: [dayjs(today).subtract(29, 'day'), dayjs(today)] },
            { label: 'Last 90 days', value: [dayjs(today).subtract(89, 'day'), dayjs(today)] },
            { label: 'Last month', value: [dayjs(today).subtract(1, 'month').startOf('month'), dayjs(today).subtract(1, 'month').endOf('month')] },
          ]}
          onChange={(v) => v?.[0] && v[1] && set({ from: (v[0] as Dayjs).format('YYYY-MM-DD'), to: (v[1] as Dayjs).format('YYYY-MM-DD') })}
          style={phone ? { width: '100%' } : undefined}
          aria-label="Days"
        />
        <Select
          allowClear
          placeholder="All zones"
          style={{ minWidth: 180 }}
          options={zones}
          value={zone || undefined}
          onChange={(v) => set({ zone_id: (v as string | undefined) ?? '' })}
          aria-label="Zone"
          data-testid="zone-select"
        />
      </Space>
      <Row gutter={[16, 16]}>
        {CHARTS.map((spec) => (
          <Col key={spec.name} xs={24} xl={12}>
            <ChartCard spec={spec} query={query} />
          </Col>
        ))}
      </Row>
    </Space>
  );
}
