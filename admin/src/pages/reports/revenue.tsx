import { useCustom } from '@refinedev/core';
import { Card, DatePicker, Empty, Segmented, Skeleton, Space, Table, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import dayjs, { type Dayjs } from 'dayjs';
import { useSearchParams } from 'react-router';
import { QueryError } from '../../components/QueryError';
import { FileButtons } from './FileButtons';
import { usePhone } from '../../components/responsive';
import { formatPaise } from '../../format';
import { monthLabel } from '../invoices/shared';
import type { Revenue, RevenueGrouping } from '../../../../api/modules/reports/revenue.service';

type Row = Revenue['rows'][number];
const money = { align: 'right' as const, render: (v: number) => <span style={{ fontVariantNumeric: 'tabular-nums', whiteSpace: 'nowrap' }}>{formatPaise(v)}</span> };
const groupings: { value: RevenueGrouping; label: string }[] = [
  { value: 'month', label: 'By month' },
  { value: 'zone', label: 'By zone' },
  { value: 'product', label: 'By product' },
];
const heading: Record<RevenueGrouping, string> = { month: 'Month', zone: 'Zone', product: 'Product' };
const ym = /^\d{4}-\d{2}$/;

/** Revenue register: issued invoices of a range of months by month, zone or product, with totals. */
export function RevenuePage() {
  const phone = usePhone();
  const [params, setParams] = useSearchParams();
  const thisMonth = dayjs().tz('Asia/Kolkata').format('YYYY-MM');
  const from = ym.test(params.get('from') ?? '') ? params.get('from')! : dayjs().tz('Asia/Kolkata').subtract(5, 'month').format('YYYY-MM');
  const to = ym.test(params.get('to') ?? '') ? params.get('to')! : thisMonth;
  const by = (groupings.find((g) => g.value === params.get('by'))?.value ?? 'month') as RevenueGrouping;
  const set = (next: Partial<Record<'from' | 'to' | 'by', string>>) => setParams({ from, to, by, ...next });
  const { query } = useCustom<Revenue>({ url: '/reports/revenue', method: 'get', config: { query: { from, to, by } } });
  const r = query.data?.data;

  const columns: ColumnsType<Row> = [
    { title: heading[by], dataIndex: 'label', render: (v: string) => (by === 'month' ? monthLabel(v) : v) },
    { title: 'Invoices', dataIndex: 'invoices', align: 'right' },
    { title: 'Quantity', dataIndex: 'quantity', align: 'right', render: (v: number) => v.toLocaleString('en-IN') },
    { title: 'Value before tax', dataIndex: 'value_paise', ...money },
    { title: 'CGST', dataIndex: 'cgst_paise', ...money },
    { title: 'SGST', dataIndex: 'sgst_paise', ...money },
    { title: 'Total', dataIndex: 'total_paise', ...money },
  ];

  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }}>
      <Space direction="vertical" size={0}>
        <Typography.Title level={3} style={{ margin: 0 }}>
          Revenue
        </Typography.Title>
        <Typography.Text type="secondary">Issued invoices by invoice date (void ones left out); zones are the customers' zones today.</Typography.Text>
      </Space>
      <Space wrap>
        <DatePicker.RangePicker
          picker="month"
          allowClear={false}
          format="MMM YYYY"
          value={[dayjs(`${from}-01`), dayjs(`${to}-01`)]}
          minDate={dayjs('2000-01-01')}
          maxDate={dayjs('2100-12-31')}
          onChange={(v) => v?.[0] && v[1] && set({ from: (v[0] as Dayjs).format('YYYY-MM'), to: (v[1] as Dayjs).format('YYYY-MM') })}
        />
        <Segmented options={groupings} value={by} onChange={(v) => set({ by: String(v) })} />
        <FileButtons path="revenue" query={{ from, to, by }} />
      </Space>
      <QueryError error={query.error} onRetry={() => query.refetch()} />
      {query.isLoading && <Skeleton active paragraph={{ rows: 8 }} />}
      {r && (
        <Card size="small" data-testid="revenue">
          <Table
            rowKey="key"
            size="small"
            pagination={false}
            scroll={phone ? { x: 'max-content' } : undefined}
            columns={columns}
            dataSource={r.rows}
            locale={{ emptyText: <Empty description={`No invoices dated ${monthLabel(from)} to ${monthLabel(to)}`} /> }}
            summary={() =>
              r.rows.length > 0 && (
                <Table.Summary.Row style={{ fontWeight: 600 }}>
                  <Table.Summary.Cell index={0}>Total</Table.Summary.Cell>
                  <Table.Summary.Cell index={1} align="right">{r.totals.invoices}</Table.Summary.Cell>
                  <Table.Summary.Cell index={2} align="right">{r.rows.reduce((s, x) => s + x.quantity, 0).toLocaleString('en-IN')}</Table.Summary.Cell>
                  <Table.Summary.Cell index={3} align="right">{formatPaise(r.totals.value_paise)}</Table.Summary.Cell>
                  <Table.Summary.Cell index={4} align="right">{formatPaise(r.totals.cgst_paise)}</Table.Summary.Cell>
                  <Table.Summary.Cell index={5} align="right">{formatPaise(r.totals.sgst_paise)}</Table.Summary.Cell>
                  <Table.Summary.Cell index={6} align="right">{formatPaise(r.totals.total_paise)}</Table.Summary.Cell>
                </Table.Summary.Row>
              )
            }
          />
        </Card>
      )}
    </Space>
  );
}
