import { getDefaultSortOrder, List, useTable } from '@refinedev/antd';
import { type HttpError, useCan, useInvalidate, useLink } from '@refinedev/core';
import { Empty, Form, Select, Space, Table, Tag, Typography } from 'antd';
import { AssignToCustomer } from '../../components/AssignToCustomer';
import { DateTime } from '../../components/DateTime';
import { FilterBar, FilterSearch } from '../../components/FilterBar';
import { filterValue } from '../../components/filters';
import { withTotal } from '../../components/listTotal';
import { QueryError } from '../../components/QueryError';
import { usePhoneTable } from '../../components/responsive';

import type { InboundMessage } from '../../../../api/modules/notifications/notifications.schemas';

type Status = InboundMessage['status'];
interface Search {
  q?: string;
  status?: Status;
}
const statusColors: Record<Status, string> = { matched: 'green', unmatched: 'orange', assigned: 'blue' };
const statusOptions = [
  { value: 'unmatched', label: 'Unmatched only' },
  { value: 'matched', label: 'Matched by phone' },
  { value: 'assigned', label: 'Assigned by hand' },
];

/**
 * Assign an unknown sender's message to a customer: pick them, confirm; the message joins that customer's dispute
 * thread (their open one, or a new one). Shown only to roles granted `assign` on inbound messages.
 */
function AssignMessage({ message }: { message: InboundMessage }) {
  const { data: can } = useCan({ resource: 'inbound-messages', action: 'assign' });
  const invalidate = useInvalidate();
  if (!can?.can || message.status !== 'unmatched') return null;
  return (
    <AssignToCustomer
      url={`/inbound-messages/${message.id}/assign`}
      title={`Assign the message from ${message.from_phone}`}
      assigned={(customer) => `The message is in ${customer}'s dispute thread.`}
      failed="Could not assign the message"
      warning={(customer) => `The message goes into ${customer}'s dispute thread (their open dispute, or a new one) and cannot be moved to someone else afterwards.`}
      refresh={() => Promise.all([invalidate({ resource: 'inbound-messages', invalidates: ['list', 'detail'], id: message.id }), invalidate({ resource: 'disputes', invalidates: ['list'] })])}
      size="small"
      testId={`assign-${message.id}`}
    >
      <Typography.Paragraph>
        “{message.body}”{message.profile_name ? <Typography.Text type="secondary"> (WhatsApp name: {message.profile_name})</Typography.Text> : null}
      </Typography.Paragraph>
    </AssignToCustomer>
  );
}

/** Customers' WhatsApp messages; opens on those from phones no customer has, waiting for support to assign them. */
export function InboundMessageList() {
  const Link = useLink();
  const { tableProps, sorters, filters, searchFormProps, tableQuery } = useTable<InboundMessage, HttpError, Search>({
    sorters: { initial: [{ field: 'created_at', order: 'desc' }] },
    filters: { initial: [{ field: 'status', operator: 'eq', value: 'unmatched' }] },
    pagination: { pageSize: 25 },
    onSearch: ({ q, status }) => [
      { field: 'q', operator: 'eq', value: q?.trim() || undefined },
      { field: 'status', operator: 'eq', value: status || undefined },
    ],
  });
  const initial: Search = { q: filterValue(filters, 'q', 'eq'), status: filterValue(filters, 'status', 'eq') as Status | undefined };
  const unmatched = initial.status === 'unmatched';
  const hasFilters = Boolean(initial.q || initial.status);
  const phoneTable = usePhoneTable();
  return (
    <List title={unmatched ? 'Unmatched WhatsApp messages' : 'WhatsApp messages'}>
      <FilterBar form={searchFormProps} initialValues={initial} cleared={{ q: undefined, status: undefined }} active={hasFilters}>
        <FilterSearch name="q" placeholder="Customer or +91 phone" width={220} />
        <Form.Item name="status">
          <Select allowClear placeholder="Any" style={{ width: 170 }} options={statusOptions} data-testid="inbound-status-filter" />
        </Form.Item>
      </FilterBar>
      <QueryError error={tableQuery.error} onRetry={() => tableQuery.refetch()} />
      <Table<InboundMessage>
        {...withTotal(tableProps, tableQuery.data)}
        {...phoneTable.table}
        rowKey="id"
        locale={{ emptyText: <Empty description={unmatched ? 'No unmatched messages: every sender is a customer' : hasFilters ? 'No messages match these filters' : 'No WhatsApp messages yet'} /> }}
      >
        <Table.Column<InboundMessage> dataIndex="created_at" title="Received" sorter defaultSortOrder={getDefaultSortOrder('created_at', sorters)} render={(v: string) => <DateTime value={v} />} />
        <Table.Column<InboundMessage>
          dataIndex="from_phone"
          title="From"
          render={(v: string, r) => (
            <Space direction="vertical" size={0}>
              {r.customer_id ? <Link to={`/customers/show/${r.customer_id}`}>{r.customer_name}</Link> : <Tag color={statusColors[r.status]}>{r.status}</Tag>}
              <Typography.Text type="secondary">
                {v}
                {r.profile_name ? ` · ${r.profile_name}` : ''}
              </Typography.Text>
            </Space>
          )}
        />
        <Table.Column<InboundMessage>
          dataIndex="body"
          title="Message"
          render={(v: string) => (
            <Typography.Paragraph ellipsis={{ rows: 2, tooltip: v }} style={{ marginBottom: 0, maxWidth: 380 }}>
              {v}
            </Typography.Paragraph>
          )}
        />
        <Table.Column<InboundMessage>
          dataIndex="dispute_number"
          title="Dispute"
          render={(v: number | null, r) => (r.dispute_id ? <Link to={`/disputes/show/${r.dispute_id}`}>#{v}</Link> : '—')}
        />
        <Table.Column<InboundMessage> title="Actions" key="actions" width={1} {...phoneTable.actions} render={(_, r) => <AssignMessage message={r} />} />
      </Table>
    </List>
  );
}
