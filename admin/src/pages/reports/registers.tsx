import { useTable } from '@refinedev/antd';
import { useCustom, useLink } from '@refinedev/core';
import { Card, Col, DatePicker, Empty, Row, Segmented, Skeleton, Space, Statistic, Table, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useSearchParams } from 'react-router';
import { ExportButton } from '../../components/ExportButton';
import { FileButtons } from './FileButtons';
import { Money } from '../../components/Money';
import { QueryError } from '../../components/QueryError';
import { usePhone } from '../../components/responsive';
import { formatPaise } from '../../format';
import { Day, type Invoice, InvoiceKindTag, InvoiceStatusTag, nowrap } from '../invoices/shared';
import type { CollectionsRegister, SalesRegisterTotals } from '../../../../api/modules/reports/registers.service';

const dayRe = /^\d{4}-\d{2}-\d{2}$/;
const views = [
  { value: 'sales', label: 'Sales register' },
  { value: 'collections', label: 'Collections register' },
];
const methods = [
  { key: 'cash_paise', label: 'Cash' },
  { key: 'upi_paise', label: 'UPI' },
  { key: 'bank_transfer_paise', label: 'Bank transfer' },
  { key: 'cheque_paise', label: 'Cheque' },
  { key: 'gateway_paise', label: 'Gateway' },
];
const money = { align: 'right' as const, render: (v: number) => <Money paise={v} /> };

function SalesRegister({ from, to }: { from: string; to: string }) {
  const phone = usePhone();
  const filters = [
    { field: 'invoice_date', operator: 'gte' as const, value: from },
    { field: 'invoice_date', operator: 'lte' as const, value: to },
  ];
  const sorters = [
    { field: 'invoice_date', order: 'asc' as const },
    { field: 'number', order: 'asc' as const },
  ];
  const { tableProps } = useTable<Invoice>({ resource: 'invoices', syncWithLocation: false, filters: { permanent: filters }, sorters: { permanent: sorters }, pagination: { pageSize: 25 } });
  const { query } = useCustom<SalesRegisterTotals>({ url: '/reports/sales-register', method: 'get', config: { query: { from, to } } });
  const t = query.data?.data;
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <QueryError error={query.error} onRetry={() => query.refetch()} />
      {t && (
        <Row gutter={[16, 16]} data-testid="sales-totals">
          <Col xs={12} md={6}>
            <Statistic title="Invoices issued" value={t.invoices} suffix={t.void ? <Typography.Text type="secondary" style={{ fontSize: 13 }}>+ {t.void} void</Typography.Text> : null} />
          </Col>
          <Col xs={12} md={6}>
            <Statistic title="Value before tax" value={formatPaise(t.taxable_paise + t.exempt_paise)} />
          </Col>
          <Col xs={12} md={6}>
            <Statistic title="CGST + SGST" value={formatPaise(t.cgst_paise + t.sgst_paise)} />
          </Col>
          <Col xs={12} md={6}>
            <Statistic title="Total invoiced" value={formatPaise(t.total_paise)} />
          </Col>
          <Col span={24}>
            <Typography.Text type="secondary">
              Paid {formatPaise(t.paid_paise)} · credit notes {formatPaise(t.credited_paise)} · still due {formatPaise(t.balance_due_paise)} (issued invoices; void ones left out)
            </Typography.Text>
          </Col>
        </Row>
      )}
      <Space style={{ width: '100%', justifyContent: 'space-between' }} wrap>
        <Typography.Text type="secondary">Invoice by invoice, by date and number. The export has every invoice of the range.</Typography.Text>
        <ExportButton resource="invoices" filters={filters} sorters={sorters} />
      </Space>
      <Table {...tableProps} rowKey="id" size="small" scroll={phone ? { x: 'max-content' } : undefined} data-testid="sales-register">
        <Table.Column dataIndex="number" title="Number" render={(v: string) => <span style={nowrap}>{v}</span>} />
        <Table.Column dataIndex="invoice_date" title="Date" render={(v: string) => <Day value={v} />} />
        <Table.Column dataIndex="customer_name" title="Customer" />
        <Table.Column dataIndex="kind" title="Kind" render={(v: Invoice['kind']) => <InvoiceKindTag kind={v} />} />
        <Table.Column dataIndex="status" title="Status" render={(v: Invoice['status']) => <InvoiceStatusTag status={v} />} />
        <Table.Column dataIndex="total_paise" title="Total" {...money} />
        <Table.Column dataIndex="paid_paise" title="Paid" {...money} />
        <Table.Column dataIndex="balance_due_paise" title="Due" {...money} />
      </Table>
    </Space>
  );
}

function Collections({ from, to }: { from: string; to: string }) {
  const phone = usePhone();
  const { query } = useCustom<CollectionsRegister>({ url: '/reports/collections', method: 'get', config: { query: { from, to } } });
  const r = query.data?.data;
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Space style={{ width: '100%', justifyContent: 'space-between' }} wrap>
        <Typography.Text type="secondary">Money received by day and method: captured payments, bounced cheques left out.</Typography.Text>
        <FileButtons path="collections" query={{ from, to }} />
      </Space>
      <QueryError error={query.error} onRetry={() => query.refetch()} />
      {query.isLoading && <Skeleton active paragraph={{ rows: 6 }} />}
      {r && (
        <Table
          rowKey="date"
          size="small"
          pagination={false}
          data-testid="collections-register"
          scroll={phone ? { x: 'max-content' } : undefined}
          dataSource={r.rows}
          locale={{ emptyText: <Empty description="No money received in this range" /> }}
          columns={[
            { title: 'Day received', dataIndex: 'date', render: (v: string) => <Day value={v} /> },
            ...methods.map((m) => ({ title: m.label, dataIndex: m.key, ...money })),
            { title: 'Payments', dataIndex: 'payments', align: 'right' as const },
            { title: 'Total', dataIndex: 'total_paise', ...money },
          ]}
          summary={() =>
            r.rows.length > 0 && (
              <Table.Summary.Row style={{ fontWeight: 600 }}>
                <Table.Summary.Cell index={0}>Total</Table.Summary.Cell>
                {methods.map((m, i) => (
                  <Table.Summary.Cell key={m.key} index={i + 1} align="right">
                    {formatPaise(r.totals[m.key])}
                  </Table.Summary.Cell>
                ))}
                <Table.Summary.Cell index={6} align="right">
                  {r.totals.payments}
                </Table.Summary.Cell>
                <Table.Summary.Cell index={7} align="right">
                  {formatPaise(r.totals.total_paise)}
                </Table.Summary.Cell>
              </Table.Summary.Row>
            )
          }
        />
      )}
    </Space>
  );
}

/** Finance registers: sales (invoice by invoice) and collections for a range of days, with totals and files. */
export function RegistersPage() {
  const Link = useLink();
  const [params, setParams] = useSearchParams();
  const today = dayjs().tz('Asia/Kolkata');
  const from = dayRe.test(params.get('from') ?? '') ? params.get('from')! : today.startOf('month').format('YYYY-MM-DD');
  const to = dayRe.test(params.get('to') ?? '') ? params.get('to')! : today.format('YYYY-MM-DD');
  const view = views.some((v) => v.value === params.get('view')) ? params.get('view')! : 'sales';
  const set = (next: Partial<Record<'from' | 'to' | 'view', string>>) => setParams({ from, to, view, ...next });
  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }}>
      <Space direction="vertical" size={0}>
        <Typography.Title level={3} style={{ margin: 0 }}>
          Registers
        </Typography.Title>
        <Typography.Text type="secondary">
          Days in IST, at most a year at a time. Revenue by month, zone and product is on the <Link to="/reports/revenue">Revenue</Link> page; balances due by age on{' '}
          <Link to="/receivables">Receivables</Link>.
        </Typography.Text>
      </Space>
      <Space wrap>
        <Segmented options={views} value={view} onChange={(v) => set({ view: String(v) })} />
        <DatePicker.RangePicker
          allowClear={false}
          format="D MMM YYYY"
          value={[dayjs(from), dayjs(to)]}
          minDate={dayjs('2000-01-01')}
          maxDate={dayjs('2100-12-31')}
          disabledDate={(d, info) => (info.from ? Math.abs(d.diff(info.from, 'day')) >= 366 : false)}
          presets={[
            { label: 'This month', value: [today.startOf('month'), today] },
            { label: 'Last month', value: [today.subtract(1, 'month').startOf('month'), today.subtract(1, 'month').endOf('month')] },
          ]}
          onChange={(v) => v?.[0] && v[1] && set({ from: (v[0] as Dayjs).format('YYYY-MM-DD'), to: (v[1] as Dayjs).format('YYYY-MM-DD') })}
        />
      </Space>
      <Card size="small">{view === 'sales' ? <SalesRegister from={from} to={to} /> : <Collections from={from} to={to} />}</Card>
    </Space>
  );
}
