import { getDefaultSortOrder, List, useTable } from '@refinedev/antd';
import { type HttpError, useCan, useCustomMutation, useInvalidate, useLink } from '@refinedev/core';
import { Button, Descriptions, Empty, Form, Popconfirm, Select, Space, Table, Tag, Tooltip, Typography } from 'antd';
import { DateTime } from '../../components/DateTime';
import { FilterBar, FilterSearch } from '../../components/FilterBar';
import { filterValue } from '../../components/filters';
import { withTotal } from '../../components/listTotal';
import { QueryError } from '../../components/QueryError';
import { usePhoneTable } from '../../components/responsive';

// The outbox, inferred from the API's response schema (type-only: nothing of the server reaches the bundle).
import type { Notification } from '../../../../api/modules/notifications/notifications.schemas';

type Status = Notification['status'];
interface Search {
  q?: string;
  status?: Status;
  channel?: Notification['channel'];
  template?: string;
}

const statusColors: Record<Status, string> = { pending: 'blue', sending: 'gold', sent: 'green', dead: 'red' };
const statusOptions = [
  { value: 'dead', label: 'Dead letters' },
  { value: 'pending', label: 'Pending' },
  { value: 'sending', label: 'Sending' },
  { value: 'sent', label: 'Sent' },
];
const channelOptions = [
  { value: 'whatsapp', label: 'WhatsApp' },
  { value: 'email', label: 'Email' },
  { value: 'sms', label: 'SMS' },
];
const templateOptions = ['dispute.opened', 'dispute.reply', 'dispute.resolved', 'dispute.escalated', 'delivery.failed', 'invoice.issued', 'payment.received', 'refund.processed', 'alert.fired', 'alert.cleared'].map(
  (t) => ({ value: t, label: t }),
);

export const NotificationStatusTag = ({ status }: { status: Status }) => <Tag color={statusColors[status]}>{status === 'dead' ? 'dead letter' : status}</Tag>;

/** Sends a dead letter again, after a confirmation (support and admins; the API audits it). */
function ReplayButton({ message }: { message: Notification }) {
  const { data: can } = useCan({ resource: 'notifications', action: 'replay' });
  const { mutateAsync, mutation } = useCustomMutation<Notification>();
  const invalidate = useInvalidate();
  if (!can?.can || message.status !== 'dead') return null;
  const replay = async () => {
    try {
      await mutateAsync({
        url: `/notifications/${message.id}/replay`,
        method: 'post',
        values: {},
        successNotification: { type: 'success', message: 'Replayed', description: `The message to ${message.recipient} is pending again and goes out at the worker's next pass.` },
        errorNotification: (error?: HttpError) => ({ type: 'error', message: error?.message ?? 'The server did not answer.', description: 'Could not replay the message' }),
      });
    } finally {
      await invalidate({ resource: 'notifications', invalidates: ['list', 'detail'], id: message.id });
    }
  };
  return (
    <Popconfirm
      title="Send this message again?"
      description={<span style={{ maxWidth: 280, display: 'inline-block' }}>It failed: {message.last_error}. Replay it once what made it fail is fixed.</span>}
      okText="Yes, replay"
      onConfirm={replay}
    >
      <Button size="small" type="primary" loading={mutation.isPending} data-testid={`replay-${message.id}`}>
        Replay
      </Button>
    </Popconfirm>
  );
}

/**
 * Every message the outbox holds (dispute replies and outcomes to customers, escalations to managers, alerts), with its
 * status, attempts and last error; dead letters can be replayed. Opens on everything, newest first.
 */
export function NotificationList() {
  const Link = useLink();
  const { tableProps, sorters, filters, searchFormProps, tableQuery } = useTable<Notification, HttpError, Search>({
    sorters: { initial: [{ field: 'created_at', order: 'desc' }] },
    pagination: { pageSize: 25 },
    onSearch: ({ q, status, channel, template }) => [
      { field: 'q', operator: 'eq', value: q?.trim() || undefined },
      { field: 'status', operator: 'eq', value: status || undefined },
      { field: 'channel', operator: 'eq', value: channel || undefined },
      { field: 'template', operator: 'eq', value: template || undefined },
    ],
  });
  const initial: Search = {
    q: filterValue(filters, 'q', 'eq'),
    status: filterValue(filters, 'status', 'eq') as Status | undefined,
    channel: filterValue(filters, 'channel', 'eq') as Search['channel'],
    template: filterValue(filters, 'template', 'eq'),
  };
  const hasFilters = Boolean(initial.q || initial.status || initial.channel || initial.template);
  const phoneTable = usePhoneTable();
  return (
    <List title={initial.status === 'dead' ? 'Dead letters' : 'Notifications'}>
      <FilterBar form={searchFormProps} initialValues={initial} cleared={{ q: undefined, status: undefined, channel: undefined, template: undefined }} active={hasFilters}>
        <FilterSearch name="q" placeholder="Customer, phone or email" width={220} />
        <Form.Item name="status">
          <Select allowClear placeholder="Any status" style={{ width: 150 }} options={statusOptions} data-testid="status-filter" />
        </Form.Item>
        <Form.Item name="channel">
          <Select allowClear placeholder="Any channel" style={{ width: 140 }} options={channelOptions} />
        </Form.Item>
        <Form.Item name="template">
          <Select allowClear placeholder="Any event" style={{ width: 180 }} options={templateOptions} />
        </Form.Item>
      </FilterBar>
      <QueryError error={tableQuery.error} onRetry={() => tableQuery.refetch()} />
      <Table<Notification>
        {...withTotal(tableProps, tableQuery.data)}
        {...phoneTable.table}
        rowKey="id"
        expandable={{
          expandedRowRender: (r) => (
            <Descriptions size="small" column={1} bordered>
              <Descriptions.Item label="Event">{r.template_label ?? r.template}</Descriptions.Item>
              <Descriptions.Item label="Language">{r.language}</Descriptions.Item>
              <Descriptions.Item label="Variables">
                <Typography.Text code style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-word' }}>
                  {JSON.stringify(r.payload)}
                </Typography.Text>
              </Descriptions.Item>
              {r.last_error && <Descriptions.Item label="Last error">{r.last_error}</Descriptions.Item>}
              {r.provider_message_id && <Descriptions.Item label="Provider's id">{r.provider_message_id}</Descriptions.Item>}
              {r.status === 'pending' && r.attempts > 0 && (
                <Descriptions.Item label="Next attempt">
                  <DateTime value={r.next_attempt_at} />
                </Descriptions.Item>
              )}
            </Descriptions>
          ),
        }}
        locale={{ emptyText: <Empty description={hasFilters ? 'No messages match these filters' : 'No messages yet: replies to customers and escalations appear here'} /> }}
      >
        <Table.Column<Notification> dataIndex="created_at" title="Written" sorter defaultSortOrder={getDefaultSortOrder('created_at', sorters)} render={(v: string) => <DateTime value={v} />} />
        <Table.Column<Notification> dataIndex="status" title="Status" render={(v: Status) => <NotificationStatusTag status={v} />} />
        <Table.Column<Notification>
          dataIndex="template"
          title="Event"
          render={(v: string, r) => (
            <Tooltip title={r.template_label}>
              <Typography.Text code>{v}</Typography.Text>
            </Tooltip>
          )}
        />
        <Table.Column<Notification>
          dataIndex="recipient"
          title="To"
          render={(v: string, r) => (
            <Space direction="vertical" size={0}>
              {r.customer_id ? <Link to={`/customers/show/${r.customer_id}`}>{r.customer_name}</Link> : r.user_name && <span>{r.user_name}</span>}
              <Typography.Text type="secondary">
                {r.channel === 'whatsapp' ? 'WhatsApp' : r.channel === 'email' ? 'Email' : 'SMS'} {v}
              </Typography.Text>
            </Space>
          )}
        />
        <Table.Column<Notification> dataIndex="attempts" title="Attempts" align="right" />
        <Table.Column<Notification>
          dataIndex="last_error"
          title="Last error"
          render={(v: string | null, r) =>
            v ? (
              <Typography.Text type={r.status === 'dead' ? 'danger' : 'secondary'} ellipsis={{ tooltip: v }} style={{ maxWidth: 260 }}>
                {v}
              </Typography.Text>
            ) : r.sent_at ? (
              <Typography.Text type="secondary">
                sent <DateTime value={r.sent_at} />
              </Typography.Text>
            ) : (
              '—'
            )
          }
        />
        <Table.Column<Notification> title="Actions" key="actions" width={1} {...phoneTable.actions} render={(_, r) => <ReplayButton message={r} />} />
      </Table>
    </List>
  );
}
