import { CreateButton, getDefaultSortOrder, List, ShowButton, useTable } from '@refinedev/antd';
import { type HttpError, useGetIdentity, useLink } from '@refinedev/core';
import { Empty, Form, Select, Space, Table, Typography } from 'antd';
import { DateTime } from '../../components/DateTime';
import { ExportButton } from '../../components/ExportButton';
import { FilterBar, FilterSearch } from '../../components/FilterBar';
import { filterValue } from '../../components/filters';
import { withTotal } from '../../components/listTotal';
import { QueryError } from '../../components/QueryError';
import { usePhoneTable } from '../../components/responsive';
import { formatPhone } from '../../format';
import { useCustomerSelect } from '../orders/pickers';
import {
  categoryLabels,
  categoryOptions,
  type Dispute,
  type DisputeCategory,
  type DisputePriority,
  DisputeStatusTag,
  type DisputeStatus,
  DueTag,
  PriorityTag,
  priorityOptions,
  statusOptions,
} from './shared';

interface Search {
  q?: string;
  status?: DisputeStatus[];
  priority?: DisputePriority;
  category?: DisputeCategory;
  customer_id?: string;
  assignee_id?: string;
  sla?: 'attention';
}

/** Support's disputes: newest first, filtered by state, priority, category, customer and who works them. */
export function DisputeList() {
  const Link = useLink();
  const { data: me } = useGetIdentity<{ id: string }>();
  const { tableProps, sorters, filters, searchFormProps, tableQuery } = useTable<Dispute, HttpError, Search>({
    sorters: { initial: [{ field: 'created_at', order: 'desc' }] },
    pagination: { pageSize: 25 },
    onSearch: ({ q, status, priority, category, customer_id, assignee_id, sla }) => [
      // The breach queue: still due, past due or due within the hour.
      { field: 'sla_attention', operator: 'eq', value: sla === 'attention' ? true : undefined },
      { field: 'q', operator: 'eq', value: q?.trim() || undefined },
      // Several states at once (the open queue): repeated status=... is an "in" filter.
      { field: 'status', operator: 'in', value: status?.length ? status : undefined },
      { field: 'priority', operator: 'eq', value: priority || undefined },
      { field: 'category', operator: 'eq', value: category || undefined },
      { field: 'customer_id', operator: 'eq', value: customer_id || undefined },
      { field: 'assignee_id', operator: 'eq', value: assignee_id || undefined },
    ],
  });
  const { selectProps: customerSelect } = useCustomerSelect({ defaultValue: filterValue(filters, 'customer_id', 'eq') });
  const statusFilter = filters.find((f) => 'field' in f && f.field === 'status')?.value as DisputeStatus[] | DisputeStatus | undefined;
  const initial: Search = {
    q: filterValue(filters, 'q', 'eq'),
    status: statusFilter ? ([] as DisputeStatus[]).concat(statusFilter) : undefined,
    priority: filterValue(filters, 'priority', 'eq') as DisputePriority | undefined,
    category: filterValue(filters, 'category', 'eq') as DisputeCategory | undefined,
    customer_id: filterValue(filters, 'customer_id', 'eq'),
    assignee_id: filterValue(filters, 'assignee_id', 'eq'),
    sla: filterValue(filters, 'sla_attention', 'eq') ? 'attention' : undefined,
  };
  const hasFilters = Object.values(initial).some((v) => v !== undefined && v !== null && !(Array.isArray(v) && v.length === 0));
  const phoneTable = usePhoneTable();

  return (
    <List
      title="Disputes"
      headerButtons={
        <Space wrap>
          <ExportButton resource="disputes" filters={filters} sorters={sorters} />
          <CreateButton>Open dispute</CreateButton>
        </Space>
      }
    >
      <FilterBar
        form={searchFormProps}
        initialValues={initial}
        cleared={{ q: undefined, status: [], priority: undefined, category: undefined, customer_id: undefined, assignee_id: undefined, sla: undefined }}
        active={hasFilters}
      >
        <FilterSearch name="q" placeholder="Subject, customer, phone or number" width={260} />
        <Form.Item name="status">
          <Select mode="multiple" allowClear placeholder="Any status" style={{ minWidth: 160 }} options={statusOptions} maxTagCount="responsive" />
        </Form.Item>
        <Form.Item name="priority">
          <Select allowClear placeholder="Any priority" style={{ width: 130 }} options={priorityOptions} />
        </Form.Item>
        <Form.Item name="category">
          <Select allowClear placeholder="Any category" style={{ width: 170 }} options={categoryOptions} />
        </Form.Item>
        <Form.Item name="customer_id">
          <Select {...customerSelect} allowClear placeholder="All customers" style={{ width: 220 }} />
        </Form.Item>
        <Form.Item name="sla">
          <Select allowClear placeholder="Any SLA" style={{ width: 170 }} options={[{ value: 'attention', label: 'Breach queue' }]} data-testid="sla-filter" />
        </Form.Item>
        <Form.Item name="assignee_id">
          <Select allowClear placeholder="Anyone's" style={{ width: 140 }} options={me ? [{ value: me.id, label: 'Assigned to me' }] : []} />
        </Form.Item>
      </FilterBar>
      <QueryError error={tableQuery.error} onRetry={() => tableQuery.refetch()} />
      <Table<Dispute>
        {...withTotal(tableProps, tableQuery.data)}
        {...phoneTable.table}
        rowKey="id"
        locale={{ emptyText: <Empty description={hasFilters ? 'No disputes match these filters' : 'No disputes yet'} /> }}
      >
        <Table.Column<Dispute> dataIndex="number" title="#" render={(v: number, r) => <Link to={`/disputes/show/${r.id}`}>{v}</Link>} />
        <Table.Column<Dispute>
          dataIndex="subject"
          title="Subject"
          render={(v: string, r) => (
            <Space direction="vertical" size={0}>
              <Link to={`/disputes/show/${r.id}`}>
                <Typography.Text strong>{v}</Typography.Text>
              </Link>
              <Typography.Text type="secondary">{categoryLabels[r.category]}</Typography.Text>
            </Space>
          )}
        />
        <Table.Column<Dispute>
          dataIndex="customer_name"
          title="Customer"
          render={(v: string, r) => (
            <Space direction="vertical" size={0}>
              <Link to={`/customers/show/${r.customer_id}`}>{v}</Link>
              <Typography.Text type="secondary" style={{ whiteSpace: 'nowrap' }}>
                {formatPhone(r.customer_phone)}
              </Typography.Text>
            </Space>
          )}
        />
        <Table.Column<Dispute> dataIndex="status" title="Status" render={(v: DisputeStatus, r) => (
          <Space size={0} wrap>
            <DisputeStatusTag status={v} />
            {r.refund_status === 'requested' && <Typography.Text type="secondary">refund waits</Typography.Text>}
          </Space>
        )} />
        <Table.Column<Dispute> dataIndex="priority" title="Priority" sorter defaultSortOrder={getDefaultSortOrder('priority', sorters)} render={(v: DisputePriority) => <PriorityTag priority={v} />} />
        <Table.Column<Dispute>
          key="due"
          title="Due"
          render={(_, r) =>
            r.status === 'resolved' || r.status === 'closed' ? (
              <Typography.Text type="secondary">—</Typography.Text>
            ) : !r.first_response_at ? (
              <DueTag due={r.first_response_due_at} done={null} breached={r.first_response_breached} />
            ) : (
              <DueTag due={r.resolution_due_at} done={null} breached={r.resolution_breached} paused={Boolean(r.paused_since)} />
            )
          }
        />
        <Table.Column<Dispute> dataIndex="assignee_name" title="Assignee" render={(v: string | null) => v ?? <Typography.Text type="secondary">unassigned</Typography.Text>} />
        <Table.Column<Dispute> dataIndex="created_at" title="Opened" sorter defaultSortOrder={getDefaultSortOrder('created_at', sorters)} render={(v: string) => <DateTime value={v} />} />
        <Table.Column<Dispute> dataIndex="updated_at" title="Changed" sorter defaultSortOrder={getDefaultSortOrder('updated_at', sorters)} render={(v: string) => <DateTime value={v} />} />
        <Table.Column<Dispute> title="Actions" key="actions" width={1} {...phoneTable.actions} render={(_, r) => <ShowButton hideText size="small" recordItemId={r.id} />} />
      </Table>
    </List>
  );
}
