import { CreateButton, getDefaultSortOrder, List, ShowButton, useTable } from '@refinedev/antd';
import { type HttpError, useLink } from '@refinedev/core';
import { Empty, Progress, Select, Space, Table, Typography } from 'antd';
import { useState } from 'react';
import { DateTime } from '../../components/DateTime';
import { Money } from '../../components/Money';
import { QueryError } from '../../components/QueryError';
import { type InvoiceRun, monthLabel, nowrap, RunStatusTag } from '../invoices/shared';
import { usePhoneTable } from '../../components/responsive';

export const runPercent = (r: Pick<InvoiceRun, 'processed_customers' | 'total_customers' | 'status'>) =>
  r.total_customers > 0 ? Math.floor((100 * r.processed_customers) / r.total_customers) : r.status === 'running' ? 0 : 100;

export function RunProgress({ run, size = 'small' }: { run: InvoiceRun; size?: 'small' | 'default' }) {
  return (
    <Progress
      percent={runPercent(run)}
      size={size}
      status={run.status === 'failed' ? 'exception' : run.status === 'completed' ? 'success' : 'active'}
      format={() => `${run.processed_customers} / ${run.total_customers}`}
      style={{ minWidth: 160, marginBottom: 0 }}
    />
  );
}

export function InvoiceRunList() {
  const Link = useLink();
  const [status, setStatus] = useState<string | undefined>();
  const { tableProps, sorters, tableQuery, setFilters } = useTable<InvoiceRun, HttpError>({
    syncWithLocation: false,
    sorters: { initial: [{ field: 'created_at', order: 'desc' }] },
    pagination: { pageSize: 20 },
    // While a run is going, its row's progress moves: ask again every two seconds until none is running.
    queryOptions: { refetchInterval: (q) => (q.state.data?.data.some((r) => r.status === 'running') ? 2000 : false) },
  });
  const phoneTable = usePhoneTable();
  return (
    <List title="Invoice runs" headerButtons={<CreateButton>Run month</CreateButton>}>
      <Typography.Paragraph type="secondary" style={{ marginTop: -8 }}>
        A run invoices a month: each customer's billing records of that month not yet on an invoice become one invoice. Running a month again bills only what is still unbilled.
      </Typography.Paragraph>
      <Space style={{ marginBottom: 16 }}>
        <Select
          allowClear
          placeholder="Any status"
          style={{ width: 160 }}
          value={status}
          onChange={(v: string | undefined) => {
            setStatus(v);
            setFilters([{ field: 'status', operator: 'eq', value: v || undefined }], 'replace');
          }}
          options={[
            { value: 'running', label: 'Running' },
            { value: 'completed', label: 'Completed' },
            { value: 'failed', label: 'Failed' },
          ]}
        />
      </Space>
      <QueryError error={tableQuery.error} onRetry={() => tableQuery.refetch()} />
      <Table<InvoiceRun> {...tableProps} {...phoneTable.table} rowKey="id" locale={{ emptyText: <Empty description={status ? `No ${status} runs` : 'No invoice runs yet: run a month to issue its invoices'} /> }}>
        <Table.Column<InvoiceRun>
          dataIndex="month"
          title="Month"
          sorter
          defaultSortOrder={getDefaultSortOrder('month', sorters)}
          render={(v: string, r) => (
            <Link to={`/invoice-runs/show/${r.id}`}>
              <span style={nowrap}>{monthLabel(v)}</span>
            </Link>
          )}
        />
        <Table.Column<InvoiceRun>
          dataIndex="customer_name"
          title="Scope"
          sorter
          defaultSortOrder={getDefaultSortOrder('customer_name', sorters)}
          render={(v: string | null, r) => (r.customer_id ? <Link to={`/customers/show/${r.customer_id}`}>{v}</Link> : <Typography.Text type="secondary">All customers</Typography.Text>)}
        />
        <Table.Column<InvoiceRun> dataIndex="status" title="Status" sorter defaultSortOrder={getDefaultSortOrder('status', sorters)} render={(v: InvoiceRun['status']) => <RunStatusTag status={v} />} />
        <Table.Column<InvoiceRun> key="progress" title="Customers processed" render={(_, r) => <RunProgress run={r} />} />
        <Table.Column<InvoiceRun> dataIndex="invoices_created" title="Invoices" align="right" sorter defaultSortOrder={getDefaultSortOrder('invoices_created', sorters)} />
        <Table.Column<InvoiceRun> dataIndex="amount_paise" title="Amount" align="right" sorter defaultSortOrder={getDefaultSortOrder('amount_paise', sorters)} render={(v: number) => <Money paise={v} strong />} />
        <Table.Column<InvoiceRun>
          dataIndex="created_at"
          title="Started"
          sorter
          defaultSortOrder={getDefaultSortOrder('created_at', sorters)}
          render={(v: string, r) => (
            <Space direction="vertical" size={0}>
              <DateTime value={v} />
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {r.started_by_name ?? 'system'}
              </Typography.Text>
            </Space>
          )}
        />
        <Table.Column<InvoiceRun> title="" key="actions" width={1} {...phoneTable.actions} render={(_, r) => <ShowButton hideText size="small" recordItemId={r.id} />} />
      </Table>
    </List>
  );
}
