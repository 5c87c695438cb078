import { PlusOutlined } from '@ant-design/icons';
import { useTable } from '@refinedev/antd';
import { type HttpError, useCan, useDelete } from '@refinedev/core';
import { Button, Card, DatePicker, Empty, Form, Input, Modal, Popconfirm, Table, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { QueryError } from '../../components/QueryError';
import { beforeToday, dayFormats, formatDay } from '../orders/pickers';
import { PauseStateTag } from '../orders/tags';
import { failed, useRefreshSubscription, useSubscriptionAction } from './actions';
import type { Pause, Subscription } from './types';

/** The subscription's pauses: add one for a date range, delete one that has not started (a started one ends with Resume). */
export function PausesCard({ subscription }: { subscription: Subscription }) {
  const { tableProps, tableQuery } = useTable<Pause, HttpError>({
    resource: 'subscription-pauses',
    syncWithLocation: false,
    pagination: { pageSize: 10 },
    filters: { permanent: [{ field: 'subscription_id', operator: 'eq', value: subscription.id }] },
    sorters: { initial: [{ field: 'from_date', order: 'desc' }] },
  });
  // Pauses are part of the subscription: the API checks the subscription's pause / edit permissions.
  const { data: canPause } = useCan({ resource: 'subscriptions', action: 'pause' });
  const { data: canEdit } = useCan({ resource: 'subscriptions', action: 'edit' });
  const { mutate: remove, mutation: removal } = useDelete();
  const refresh = useRefreshSubscription();
  const { run, pending } = useSubscriptionAction();
  const [adding, setAdding] = useState(false);
  const active = subscription.status === 'active';

  return (
    <Card
      title="Pauses"
      size="small"
      style={{ marginBottom: 24 }}
      extra={
        active &&
        canPause?.can && (
          <Button type="primary" size="small" icon={<PlusOutlined />} onClick={() => setAdding(true)}>
            Add pause
          </Button>
        )
      }
    >
      <QueryError error={tableQuery.error} onRetry={() => tableQuery.refetch()} />
      <Table<Pause> {...tableProps} pagination={tableProps.pagination && { ...tableProps.pagination, hideOnSinglePage: true }} rowKey="id" size="small" locale={{ emptyText: <Empty description="Never paused" /> }}>
        <Table.Column<Pause> dataIndex="from_date" title="From" render={(v: string) => formatDay(v)} />
        <Table.Column<Pause> dataIndex="to_date" title="To (inclusive)" render={(v: string) => formatDay(v)} />
        <Table.Column<Pause> key="days" title="Days" align="right" render={(_, p) => dayjs(p.to_date).diff(dayjs(p.from_date), 'day') + 1} />
        <Table.Column<Pause> dataIndex="reason" title="Reason" render={(v: string) => v || <Typography.Text type="secondary">—</Typography.Text>} />
        <Table.Column<Pause> dataIndex="state" title="State" render={(v: Pause['state']) => <PauseStateTag state={v} />} />
        {active && canEdit?.can && (
          <Table.Column<Pause>
            key="actions"
            title="Actions"
            render={(_, p) =>
              p.state === 'upcoming' ? (
                <Popconfirm
                  title="Delete this pause?"
                  description={`Deliveries go ahead ${formatDay(p.from_date)} to ${formatDay(p.to_date)}.`}
                  okText="Delete"
                  okButtonProps={{ danger: true }}
                  onConfirm={() =>
                    remove(
                      {
                        resource: 'subscription-pauses',
                        id: p.id,
                        successNotification: { type: 'success', description: 'Pause deleted', message: 'Those days are delivered as usual.' },
                        errorNotification: failed('Could not delete the pause'),
                      },
                      { onSettled: () => void refresh() },
                    )
                  }
                >
                  <Button size="small" danger loading={removal.isPending && removal.variables?.id === p.id}>
                    Delete
                  </Button>
                </Popconfirm>
              ) : p.state === 'active' ? (
                <Typography.Text type="secondary">use Resume</Typography.Text>
              ) : null
            }
          />
        )}
      </Table>
      <AddPauseModal
        open={adding}
        pending={pending}
        onCancel={() => setAdding(false)}
        onSubmit={async ({ from_date, to_date, reason }) => {
          const ok = await run(
            subscription.id,
            'pause',
            { from_date, to_date, reason },
            { title: 'Pause added', text: `No ${subscription.product_name} from ${formatDay(from_date)} to ${formatDay(to_date)}.` },
            'Could not add the pause',
          );
          if (ok) setAdding(false);
        }}
      />
    </Card>
  );
}

function AddPauseModal({ open, pending, onCancel, onSubmit }: { open: boolean; pending: boolean; onCancel: () => void; onSubmit: (v: { from_date: string; to_date: string; reason: string }) => void }) {
  const [form] = Form.useForm<{ range: [Dayjs, Dayjs]; reason?: string }>();
  return (
    <Modal open={open} title="Pause deliveries" okText="Add pause" confirmLoading={pending} onCancel={onCancel} onOk={() => form.submit()} destroyOnHidden>
      <Typography.Paragraph type="secondary">No drops on these days, both included. Orders already generated for them are cancelled.</Typography.Paragraph>
      <Form
        form={form}
        layout="vertical"
        preserve={false}
        onFinish={({ range, reason }) => onSubmit({ from_date: range[0].format('YYYY-MM-DD'), to_date: range[1].format('YYYY-MM-DD'), reason: reason?.trim() ?? '' })}
      >
        <Form.Item name="range" label="Days" rules={[{ required: true, message: 'Choose the first and last day of the pause.' }]}>
          <DatePicker.RangePicker format={dayFormats} disabledDate={beforeToday} style={{ width: '100%' }} />
        </Form.Item>
        <Form.Item name="reason" label="Reason (optional)" rules={[{ max: 500 }]}>
          <Input placeholder="Travelling to Mysuru" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
