import { getDefaultSortOrder, Show, useTable } from '@refinedev/antd';
import { type HttpError, useLink, useShow } from '@refinedev/core';
import { Card, Descriptions, Empty, Form, Select, Space, Table } from 'antd';
import { DateTime } from '../../components/DateTime';
import { FilterBar, FilterSearch } from '../../components/FilterBar';
import { filterValue } from '../../components/filters';
import { withTotal } from '../../components/listTotal';
import { Money } from '../../components/Money';
import { QueryError } from '../../components/QueryError';
import { lineStatusOptions, mono, type SettlementFile, type SettlementLine, VerdictTag } from './shared';

/** One settlement file: its totals and its lines, each with the payment it settled or why not. */
export function SettlementShow() {
  const Link = useLink();
  const { query, result: file } = useShow<SettlementFile>({ resource: 'settlements' });
  const { tableProps, sorters, filters, searchFormProps, tableQuery } = useTable<SettlementLine, HttpError, { q?: string; status?: string }>({
    resource: 'settlements/lines',
    syncWithLocation: false,
    sorters: { initial: [{ field: 'line_no', order: 'asc' }] },
    filters: { permanent: [{ field: 'upload_id', operator: 'eq', value: file?.id }] },
    pagination: { pageSize: 50 },
    queryOptions: { enabled: Boolean(file?.id) },
    onSearch: ({ q, status }) => [
      { field: 'q', operator: 'eq', value: q?.trim() || undefined },
      { field: 'status', operator: 'eq', value: status || undefined },
    ],
  });
  const initial = { q: filterValue(filters, 'q', 'eq'), status: filterValue(filters, 'status', 'eq') };
  return (
    <Show isLoading={query.isLoading} title={file ? `Settlement file ${file.file_name}` : 'Settlement file'} canEdit={false} canDelete={false}>
      <QueryError error={query.error} onRetry={() => query.refetch()} />
      {file && (
        <Space direction="vertical" size="middle" style={{ width: '100%' }}>
          <Descriptions bordered size="small" column={{ xs: 1, md: 3 }}>
            <Descriptions.Item label="Uploaded">
              <DateTime value={file.created_at} /> by {file.uploaded_by_name ?? '—'}
            </Descriptions.Item>
            <Descriptions.Item label="Lines">
              {file.line_count} ({file.matched_count} matched, {file.exception_count} exceptions, {file.skipped_count} already recorded)
            </Descriptions.Item>
            <Descriptions.Item label="Settled">
              <Money paise={file.amount_paise} strong /> less fees <Money paise={file.fee_paise} /> and tax <Money paise={file.tax_paise} />
            </Descriptions.Item>
            <Descriptions.Item label="SHA-256">
              <span style={{ ...mono, fontSize: 12 }}>{file.file_sha256}</span>
            </Descriptions.Item>
          </Descriptions>
          <Card size="small" title="Lines">
            <FilterBar form={searchFormProps} initialValues={initial} cleared={{ q: undefined, status: undefined }} active={Boolean(initial.q || initial.status)}>
              <FilterSearch name="q" placeholder="Payment id, UTR or settlement" width={240} />
              <Form.Item name="status">
                <Select allowClear placeholder="Any verdict" style={{ width: 170 }} options={lineStatusOptions} />
              </Form.Item>
            </FilterBar>
            <QueryError error={tableQuery.error} onRetry={() => tableQuery.refetch()} />
            <Table<SettlementLine> {...withTotal(tableProps, tableQuery.data)} rowKey="id" size="small" scroll={{ x: 'max-content' }} locale={{ emptyText: <Empty description="No lines match" /> }}>
              <Table.Column<SettlementLine> dataIndex="line_no" title="Line" sorter defaultSortOrder={getDefaultSortOrder('line_no', sorters)} />
              <Table.Column<SettlementLine> dataIndex="status" title="Verdict" render={(v: string) => <VerdictTag verdict={v} />} />
              <Table.Column<SettlementLine>
                dataIndex="payment_ref"
                title="Payment"
                render={(v: string, r) => (r.gateway_payment_id ? <Link to={`/gateway-payments/show/${r.gateway_payment_id}`}><span style={mono}>{v}</span></Link> : <span style={mono}>{v}</span>)}
              />
              <Table.Column<SettlementLine> dataIndex="customer_name" title="Customer" render={(v: string | null, r) => (r.customer_id ? <Link to={`/customers/show/${r.customer_id}`}>{v}</Link> : '—')} />
              <Table.Column<SettlementLine> dataIndex="amount_paise" title="Amount" align="right" sorter defaultSortOrder={getDefaultSortOrder('amount_paise', sorters)} render={(v: number) => <Money paise={v} />} />
              <Table.Column<SettlementLine> dataIndex="fee_paise" title="Fee + tax" align="right" render={(v: number, r) => <Money paise={v + r.tax_paise} />} />
              <Table.Column<SettlementLine> dataIndex="utr" title="UTR" render={(v: string) => <span style={mono}>{v}</span>} />
              <Table.Column<SettlementLine> dataIndex="settlement_id" title="Settlement" render={(v: string) => <span style={mono}>{v}</span>} />
              <Table.Column<SettlementLine> dataIndex="settled_at" title="Settled" sorter defaultSortOrder={getDefaultSortOrder('settled_at', sorters)} render={(v: string) => <DateTime value={v} />} />
            </Table>
          </Card>
        </Space>
      )}
    </Show>
  );
}
