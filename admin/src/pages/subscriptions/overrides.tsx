import { PlusOutlined } from '@ant-design/icons';
import { useTable } from '@refinedev/antd';
import { type HttpError, useCan, useCreate, useDelete, useUpdate } from '@refinedev/core';
import { Button, Card, DatePicker, Empty, Form, InputNumber, Modal, Popconfirm, Space, Table, Tag, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { QueryError } from '../../components/QueryError';
import { dateField, formatDay, todayIST, weekdayFormats } from '../orders/pickers';
import { failed, useRefreshSubscription } from './actions';
import type { Override, Subscription } from './types';

/** One-day changes of quantity: 2 packets on Sunday the 12th, none (0 = skip) on the 15th. Past days are history. */
export function OverridesCard({ subscription }: { subscription: Subscription }) {
  const { tableProps, tableQuery } = useTable<Override, HttpError>({
    resource: 'subscription-overrides',
    syncWithLocation: false,
    pagination: { pageSize: 10 },
    filters: { permanent: [{ field: 'subscription_id', operator: 'eq', value: subscription.id }] },
    sorters: { initial: [{ field: 'date', order: 'desc' }] },
  });
  // Part of the subscription: the API checks subscriptions / edit.
  const { data: canEdit } = useCan({ resource: 'subscriptions', action: 'edit' });
  const mayChange = subscription.status === 'active' && Boolean(canEdit?.can);
  const refresh = useRefreshSubscription();
  const { mutate: create, mutation: creation } = useCreate<Override>();
  const { mutate: update, mutation: updating } = useUpdate<Override>();
  const { mutate: remove, mutation: removal } = useDelete();
  // null: closed; 'new': adding; a row: editing it.
  const [editing, setEditing] = useState<Override | 'new' | null>(null);
  const today = todayIST();
  const changeable = (o: Override) => o.date >= today;

  const save = ({ date, quantity }: { date: string; quantity: number }) => {
    const done = { onSuccess: () => setEditing(null), onSettled: () => void refresh() };
    const what = quantity === 0 ? `${formatDay(date)} is skipped.` : `${quantity} on ${formatDay(date)}.`;
    if (editing === 'new') {
      create(
        {
          resource: 'subscription-overrides',
          values: { subscription_id: subscription.id, date, quantity },
          successNotification: { type: 'success', description: 'One-day change added', message: what },
          errorNotification: failed('Could not add the change'),
        },
        done,
      );
    } else if (editing) {
      update(
        {
          resource: 'subscription-overrides',
          id: editing.id,
          values: { quantity },
          successNotification: { type: 'success', description: 'One-day change saved', message: what },
          errorNotification: failed('Could not save the change'),
        },
        done,
      );
    }
  };

  return (
    <Card
      title="One-day changes"
      size="small"
      extra={
        mayChange && (
          <Button type="primary" size="small" icon={<PlusOutlined />} onClick={() => setEditing('new')}>
            Add change
          </Button>
        )
      }
    >
      <QueryError error={tableQuery.error} onRetry={() => tableQuery.refetch()} />
      <Table<Override> {...tableProps} pagination={tableProps.pagination && { ...tableProps.pagination, hideOnSinglePage: true }} rowKey="id" size="small" locale={{ emptyText: <Empty description="No one-day changes" /> }}>
        <Table.Column<Override> dataIndex="date" title="Day" render={(v: string) => formatDay(v)} />
        <Table.Column<Override>
          dataIndex="quantity"
          title="Quantity that day"
          render={(v: number) => (v === 0 ? <Tag color="purple">skip</Tag> : <Typography.Text strong>{v}</Typography.Text>)}
        />
        <Table.Column<Override> dataIndex="regular_quantity" title="Usual quantity" render={(v: number) => <Typography.Text type="secondary">{v}</Typography.Text>} />
        {mayChange && (
          <Table.Column<Override>
            key="actions"
            title="Actions"
            render={(_, o) =>
              changeable(o) ? (
                <Space>
                  <Button size="small" onClick={() => setEditing(o)}>
                    Edit
                  </Button>
                  <Popconfirm
                    title="Delete this change?"
                    description={`${formatDay(o.date)} goes back to the usual schedule.`}
                    okText="Delete"
                    okButtonProps={{ danger: true }}
                    onConfirm={() =>
                      remove(
                        {
                          resource: 'subscription-overrides',
                          id: o.id,
                          successNotification: { type: 'success', description: 'Change deleted', message: `${formatDay(o.date)} follows the usual schedule.` },
                          errorNotification: failed('Could not delete the change'),
                        },
                        { onSettled: () => void refresh() },
                      )
                    }
                  >
                    <Button size="small" danger loading={removal.isPending && removal.variables?.id === o.id}>
                      Delete
                    </Button>
                  </Popconfirm>
                </Space>
              ) : (
                <Typography.Text type="secondary">past</Typography.Text>
              )
            }
          />
        )}
      </Table>
      <OverrideModal
        key={editing === 'new' ? 'new' : (editing?.id ?? 'closed')}
        open={editing !== null}
        record={editing === 'new' ? null : editing}
        subscription={subscription}
        pending={creation.isPending || updating.isPending}
        onCancel={() => setEditing(null)}
        onSubmit={save}
      />
    </Card>
  );
}

function OverrideModal({
  open,
  record,
  subscription,
  pending,
  onCancel,
  onSubmit,
}: {
  open: boolean;
  record: Override | null;
  subscription: Subscription;
  pending: boolean;
  onCancel: () => void;
  onSubmit: (v: { date: string; quantity: number }) => void;
}) {
  const [form] = Form.useForm<{ date: string; quantity: number }>();
  const today = todayIST();
  // A change is for a day of the subscription, today or later.
  const outside = (d: Dayjs) => {
    const day = d.format('YYYY-MM-DD');
    return day < today || day < subscription.start_date || (subscription.end_date !== null && day > subscription.end_date);
  };
  return (
    <Modal open={open} title={record ? `Change ${formatDay(record.date)}` : 'One-day change'} okText="Save" confirmLoading={pending} onCancel={onCancel} onOk={() => form.submit()} destroyOnHidden>
      <Form
        form={form}
        layout="vertical"
        preserve={false}
        initialValues={record ? { date: record.date, quantity: record.quantity } : { quantity: 0 }}
        onFinish={(v) => onSubmit({ date: record?.date ?? v.date, quantity: v.quantity })}
      >
        <Form.Item name="date" label="Day" rules={[{ required: true, message: 'Choose the day.' }]} {...dateField}>
          <DatePicker format={weekdayFormats} disabled={Boolean(record)} disabledDate={outside} allowClear={false} />
        </Form.Item>
        <Form.Item
          name="quantity"
          label={`Quantity that day (usually ${subscription.quantity})`}
          extra="0 skips the day; a quantity on a day off the schedule adds a drop."
          rules={[
            { required: true, message: 'Enter the quantity (0 to skip).' },
            { type: 'integer', min: 0, max: 100, message: 'A whole number from 0 to 100.' },
          ]}
        >
          <InputNumber min={0} max={100} precision={0} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
