import { PauseCircleOutlined, PlayCircleOutlined, StopOutlined } from '@ant-design/icons';
import { EditButton, Show } from '@refinedev/antd';
import { useCan, useLink, useList, useShow } from '@refinedev/core';
import { Button, DatePicker, Descriptions, Form, Modal, Popconfirm, Space, Tag, Typography } from 'antd';
import { useState } from 'react';
import { DateTime } from '../../components/DateTime';
import { QueryError } from '../../components/QueryError';
import { beforeToday, dateField, dayFormats, formatDay, scheduleText, todayIST } from '../orders/pickers';
import { ShiftTag, SubscriptionStatusTag } from '../orders/tags';
import { useSubscriptionAction } from './actions';
import { OverridesCard } from './overrides';
import { PausesCard } from './pauses';
import type { Pause, Subscription } from './types';

export function SubscriptionShow() {
  const Link = useLink();
  const { query, result: s } = useShow<Subscription>();
  const { data: canEdit } = useCan({ resource: 'subscriptions', action: 'edit' });
  const { data: canCancel } = useCan({ resource: 'subscriptions', action: 'cancel' });
  const { data: canResume } = useCan({ resource: 'subscriptions', action: 'resume' });
  const { run, pending } = useSubscriptionAction();
  const [resuming, setResuming] = useState(false);
  const active = s?.status === 'active';
  // Resume needs a pause covering today or one still to come (the API answers 409 otherwise).
  const { result: openPauses } = useList<Pause>({
    resource: 'subscription-pauses',
    filters: [
      { field: 'subscription_id', operator: 'eq', value: s?.id },
      { field: 'state', operator: 'ne', value: 'ended' },
    ],
    pagination: { pageSize: 1 },
    queryOptions: { enabled: Boolean(s?.id) },
  });
  const resumable = active && (s?.paused_today || (openPauses?.total ?? 0) > 0);

  return (
    <Show
      isLoading={query.isLoading}
      title={s ? `Subscription: ${s.customer_name}, ${s.product_name}` : 'Subscription'}
      headerButtons={() => (
        <>
          {resumable && canResume?.can && (
            <Button icon={<PlayCircleOutlined />} onClick={() => setResuming(true)}>
              Resume
            </Button>
          )}
          {active && canEdit?.can && <EditButton />}
          {active && canCancel?.can && s && (
            <Popconfirm
              title="Cancel this subscription?"
              description={
                <div style={{ maxWidth: 320 }}>
                  Deliveries stop from tomorrow; pending orders after today are cancelled. Today's drop, if any, stays. This cannot be undone.
                </div>
              }
              okText="Cancel subscription"
              cancelText="Keep it"
              okButtonProps={{ danger: true }}
              onConfirm={() => run(s.id, 'cancel', {}, { title: 'Subscription cancelled', text: `${s.customer_name} gets no more ${s.product_name} from tomorrow.` }, 'Could not cancel the subscription')}
            >
              <Button danger icon={<StopOutlined />} loading={pending}>
                Cancel subscription
              </Button>
            </Popconfirm>
          )}
        </>
      )}
    >
      <QueryError error={query.error} onRetry={() => query.refetch()} />
      {s && (
        <>
          <Descriptions bordered size="small" column={{ xs: 1, md: 2 }} style={{ marginBottom: 24 }}>
            <Descriptions.Item label="Customer">
              <Link to={`/customers/show/${s.customer_id}`}>{s.customer_name}</Link>
            </Descriptions.Item>
            <Descriptions.Item label="Status">
              <Space size={0}>
                <SubscriptionStatusTag status={s.status} />
                {active && s.paused_today && (
                  <Tag color="gold" icon={<PauseCircleOutlined />}>
                    paused today
                  </Tag>
                )}
              </Space>
            </Descriptions.Item>
            <Descriptions.Item label="Product">{s.product_name}</Descriptions.Item>
            <Descriptions.Item label="Quantity per drop">{s.quantity}</Descriptions.Item>
            <Descriptions.Item label="Schedule">{scheduleText(s)}</Descriptions.Item>
            <Descriptions.Item label="Shift">
              <ShiftTag shift={s.shift} />
            </Descriptions.Item>
            <Descriptions.Item label="From">{formatDay(s.start_date)}</Descriptions.Item>
            <Descriptions.Item label="Until">{s.end_date ? formatDay(s.end_date) : <Typography.Text type="secondary">open-ended</Typography.Text>}</Descriptions.Item>
            <Descriptions.Item label="Deliver to" span={2}>
              {s.address_line ?? '—'}
            </Descriptions.Item>
            {s.cancelled_at && (
              <Descriptions.Item label="Cancelled" span={2}>
                <DateTime value={s.cancelled_at} />
              </Descriptions.Item>
            )}
            <Descriptions.Item label="Created">
              <DateTime value={s.created_at} />
            </Descriptions.Item>
            <Descriptions.Item label="Updated">
              <DateTime value={s.updated_at} />
            </Descriptions.Item>
          </Descriptions>
          <PausesCard subscription={s} />
          <OverridesCard subscription={s} />
          <ResumeModal
            open={resuming}
            pending={pending}
            onCancel={() => setResuming(false)}
            onSubmit={async (date) => {
              const result = await run(
                s.id,
                'resume',
                { date },
                { title: 'Subscription resumed', text: `Deliveries start again on ${formatDay(date)}.` },
                'Could not resume',
              );
              if (result) setResuming(false);
            }}
          />
        </>
      )}
    </Show>
  );
}

/** Resume from a day (today by default): the pause covering it ends the day before, or the next pause is removed. */
function ResumeModal({ open, pending, onCancel, onSubmit }: { open: boolean; pending: boolean; onCancel: () => void; onSubmit: (date: string) => void }) {
  const [form] = Form.useForm<{ date: string }>();
  return (
    <Modal open={open} title="Resume deliveries" okText="Resume" confirmLoading={pending} onCancel={onCancel} onOk={() => form.submit()} destroyOnHidden>
      <Typography.Paragraph type="secondary">
        If the subscription is paused on that day, the pause ends the day before. Otherwise the next pause that has not started yet is removed.
      </Typography.Paragraph>
      <Form form={form} layout="vertical" initialValues={{ date: todayIST() }} onFinish={({ date }) => onSubmit(date)} preserve={false}>
        <Form.Item name="date" label="Deliver again from" rules={[{ required: true, message: 'Choose a day.' }]} {...dateField}>
          <DatePicker format={dayFormats} disabledDate={beforeToday} allowClear={false} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
