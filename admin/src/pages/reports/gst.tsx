import { DownloadOutlined, FileExcelOutlined } from '@ant-design/icons';
import { useCan, useCustom } from '@refinedev/core';
import { Alert, Button, Card, DatePicker, Empty, Skeleton, Space, Table, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import dayjs, { type Dayjs } from 'dayjs';
import { useSearchParams } from 'react-router';
import { QueryError } from '../../components/QueryError';
import { usePhone } from '../../components/responsive';
import { formatPaise } from '../../format';
import { formatDay, monthLabel } from '../invoices/shared';
import type { GstReport } from '../../../../api/modules/reports/gst-report.service';

type HsnRow = GstReport['hsn'][number];
type B2csRow = GstReport['b2cs'][number];
type DocRow = GstReport['documents'][number];
type CreditRow = GstReport['credit_notes'][number];

const money = { align: 'right' as const, render: (v: number) => <span style={{ fontVariantNumeric: 'tabular-nums', whiteSpace: 'nowrap' }}>{formatPaise(v)}</span> };
const rate = (bp: number) => `${(bp / 100).toFixed(bp % 100 ? 2 : 0)}%`;
const sum = <T,>(rows: T[], key: keyof T) => rows.reduce((s, r) => s + Number(r[key]), 0);

/** A table's totals row: the label in the first cell, each summed column under itself. */
function totals<T>(columns: ColumnsType<T>, rows: T[], summed: (keyof T)[], label = 'Total') {
  if (rows.length === 0) return undefined;
  return () => (
    <Table.Summary.Row style={{ fontWeight: 600 }}>
      {columns.map((c, i) => {
        const key = (c as { dataIndex?: keyof T }).dataIndex;
        const summedHere = key !== undefined && summed.includes(key);
        const value = summedHere ? sum(rows, key) : null;
        const isMoney = typeof key === 'string' && key.endsWith('_paise');
        return (
          <Table.Summary.Cell key={i} index={i} align={summedHere ? 'right' : undefined}>
            {i === 0 ? label : value === null ? '' : isMoney ? formatPaise(value) : value.toLocaleString('en-IN')}
          </Table.Summary.Cell>
        );
      })}
    </Table.Summary.Row>
  );
}

const hsnColumns: ColumnsType<HsnRow> = [
  { title: 'HSN', dataIndex: 'hsn' },
  { title: 'Description', dataIndex: 'description', ellipsis: true, width: 260 },
  { title: 'UQC', dataIndex: 'uqc' },
  { title: 'Rate', dataIndex: 'rate_bp', align: 'right', render: rate },
  { title: 'Quantity', dataIndex: 'quantity', align: 'right', render: (v: number) => v.toLocaleString('en-IN') },
  { title: 'Taxable value', dataIndex: 'taxable_paise', ...money },
  { title: 'CGST', dataIndex: 'cgst_paise', ...money },
  { title: 'SGST', dataIndex: 'sgst_paise', ...money },
  { title: 'Total value', dataIndex: 'total_paise', ...money },
];
const b2csColumns: ColumnsType<B2csRow> = [
  { title: 'Type', dataIndex: 'type' },
  { title: 'Place of supply', dataIndex: 'place_of_supply' },
  { title: 'Rate', dataIndex: 'rate_bp', align: 'right', render: rate },
  { title: 'Taxable value', dataIndex: 'taxable_paise', ...money },
  { title: 'CGST', dataIndex: 'cgst_paise', ...money },
  { title: 'SGST', dataIndex: 'sgst_paise', ...money },
  { title: 'Total value', dataIndex: 'total_paise', ...money },
];
const exemptColumns: ColumnsType<GstReport['exempt'][number]> = [
  { title: 'Description', dataIndex: 'description' },
  { title: 'Nil rated', dataIndex: 'nil_rated_paise', ...money },
  { title: 'Exempted', dataIndex: 'exempt_paise', ...money },
  { title: 'Non-GST', dataIndex: 'non_gst_paise', ...money },
];
const docColumns: ColumnsType<DocRow> = [
  { title: 'Nature of document', dataIndex: 'nature' },
  { title: 'Series', dataIndex: 'series' },
  { title: 'From', dataIndex: 'from', render: (v: string) => <span style={{ whiteSpace: 'nowrap' }}>{v}</span> },
  { title: 'To', dataIndex: 'to', render: (v: string) => <span style={{ whiteSpace: 'nowrap' }}>{v}</span> },
  { title: 'Total', dataIndex: 'total', align: 'right' },
  { title: 'Cancelled', dataIndex: 'cancelled', align: 'right' },
  { title: 'Net issued', dataIndex: 'net_issued', align: 'right' },
];
const creditColumns: ColumnsType<CreditRow> = [
  { title: 'HSN', dataIndex: 'hsn' },
  { title: 'Rate', dataIndex: 'rate_bp', align: 'right', render: rate },
  { title: 'Notes', dataIndex: 'notes', align: 'right' },
  { title: 'Taxable value', dataIndex: 'taxable_paise', ...money },
  { title: 'CGST', dataIndex: 'cgst_paise', ...money },
  { title: 'SGST', dataIndex: 'sgst_paise', ...money },
  { title: 'Total value', dataIndex: 'total_paise', ...money },
];

/** The month GSTR-1 is usually filed for: the one before this (IST). */
const lastMonth = () => dayjs().tz('Asia/Kolkata').subtract(1, 'month').format('YYYY-MM');

/** "Reports": a month's GST figures laid out as GSTR-1 tables 7, 8, 12 and 13, with the workbook and JSON to download. */
export function GstReportPage() {
  const phone = usePhone();
  const [params, setParams] = useSearchParams();
  const wanted = params.get('month');
  const month = wanted && /^\d{4}-\d{2}$/.test(wanted) ? wanted : lastMonth();
  const { query } = useCustom<GstReport>({ url: '/reports/gst', method: 'get', config: { query: { month } } });
  const report = query.data?.data;
  const { data: canExport } = useCan({ resource: 'reports', action: 'export' });
  const url = (format: 'xlsx' | 'json') => `/api/reports/gst?month=${month}&format=${format}`;
  const nothing = report && report.documents.length === 0;
  const table = { size: 'small' as const, pagination: false as const, scroll: phone ? { x: 'max-content' } : undefined };

  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }}>
      <Space direction="vertical" size={0}>
        <Typography.Title level={3} style={{ margin: 0 }}>
          GST report
        </Typography.Title>
        <Typography.Text type="secondary">Invoices dated in the month, laid out as GSTR-1 tables 7, 8, 12 and 13; void invoices only as cancelled documents.</Typography.Text>
      </Space>
      <Space wrap>
        <DatePicker
          picker="month"
          allowClear={false}
          value={dayjs(`${month}-01`)}
          format="MMMM YYYY"
          minDate={dayjs('2000-01-01')}
          maxDate={dayjs('2100-12-31')}
          onChange={(d: Dayjs | null) => d && setParams({ month: d.format('YYYY-MM') })}
          aria-label="Month"
        />
        {canExport?.can !== false && (
          <Button type="primary" icon={<FileExcelOutlined />} href={url('xlsx')} download={`gst-report-${month}.xlsx`} disabled={!report}>
            Download XLSX
          </Button>
        )}
        <Button icon={<DownloadOutlined />} href={url('json')} download={`gst-report-${month}.json`} disabled={!report}>
          Download JSON
        </Button>
      </Space>
      <QueryError error={query.error} onRetry={() => query.refetch()} />
      {query.isLoading && <Skeleton active paragraph={{ rows: 10 }} />}
      {report && (
        <>
          {nothing && <Alert type="info" showIcon message={`No invoices dated in ${monthLabel(month)}`} description={`${formatDay(report.from)} to ${formatDay(report.to)}: every table is empty. Invoices are dated when a run issues them, usually early the next month.`} />}
          <Card size="small" title="Table 12 · HSN-wise summary" data-testid="gst-hsn">
            <Table rowKey={(r) => `${r.hsn} ${r.rate_bp} ${r.uqc}`} columns={hsnColumns} dataSource={report.hsn} {...table} locale={{ emptyText: <Empty description="No supplies" /> }} summary={totals(hsnColumns, report.hsn, ['quantity', 'taxable_paise', 'cgst_paise', 'sgst_paise', 'total_paise'])} />
          </Card>
          <Card size="small" title="Table 7 · B2C small (taxable supplies by rate and place of supply)" data-testid="gst-b2cs">
            <Table rowKey={(r) => `${r.place_of_supply} ${r.rate_bp}`} columns={b2csColumns} dataSource={report.b2cs} {...table} locale={{ emptyText: <Empty description="No taxable supplies" /> }} summary={totals(b2csColumns, report.b2cs, ['taxable_paise', 'cgst_paise', 'sgst_paise', 'total_paise'])} />
          </Card>
          <Card size="small" title="Table 8 · Nil-rated, exempted and non-GST supplies" data-testid="gst-exempt">
            <Table rowKey="description" columns={exemptColumns} dataSource={report.exempt} {...table} />
          </Card>
          <Card size="small" title="Table 13 · Documents issued" data-testid="gst-documents">
            <Table rowKey="series" columns={docColumns} dataSource={report.documents} {...table} locale={{ emptyText: <Empty description="No documents" /> }} summary={totals(docColumns, report.documents, ['total', 'cancelled', 'net_issued'])} />
          </Card>
          <Card size="small" title="Credit notes of the month (already netted off tables 7, 8 and 12 above)" data-testid="gst-credit-notes">
            <Table rowKey={(r) => `${r.hsn} ${r.rate_bp}`} columns={creditColumns} dataSource={report.credit_notes} {...table} locale={{ emptyText: <Empty description="No credit notes" /> }} summary={totals(creditColumns, report.credit_notes, ['notes', 'taxable_paise', 'cgst_paise', 'sgst_paise', 'total_paise'])} />
          </Card>
        </>
      )}
    </Space>
  );
}
