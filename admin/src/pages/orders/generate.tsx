import { type HttpError, useCustomMutation, useInvalidate } from '@refinedev/core';
import { Alert, DatePicker, Descriptions, Form, Modal, Select, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { shiftOptions } from './tags';
import { dayFormats, formatDay, todayIST } from './pickers';
import type { GenerateResult } from './types';

const MAX_DAYS = 62; // the API's limit per run (orders.schemas.ts MAX_GENERATION_DAYS)

/**
 * POST /api/orders/generate for a date range and optionally one shift: the subscription orders of those days, from
 * schedules minus pauses with the one-day changes. Running it twice creates nothing new, so it is safe to repeat.
 */
export function GenerateOrdersModal({ open, onClose }: { open: boolean; onClose: () => void }) {
  const [form] = Form.useForm<{ range: [Dayjs, Dayjs]; shift?: 'morning' | 'evening' }>();
  const { mutateAsync, mutation } = useCustomMutation<GenerateResult & Record<string, unknown>>();
  const invalidate = useInvalidate();
  const [result, setResult] = useState<{ from: string; to: string; shift?: string; counts: GenerateResult } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const close = () => {
    setResult(null);
    setError(null);
    onClose();
  };

  const submit = async ({ range, shift }: { range: [Dayjs, Dayjs]; shift?: 'morning' | 'evening' }) => {
    const from = range[0].format('YYYY-MM-DD');
    const to = range[1].format('YYYY-MM-DD');
    setError(null);
    try {
      const { data } = await mutateAsync({
        url: '/orders/generate',
        method: 'post',
        values: { from, to, ...(shift ? { shift } : {}) },
        successNotification: false,
        errorNotification: false,
      });
      setResult({ from, to, shift, counts: data });
      await Promise.all([invalidate({ resource: 'orders', invalidates: ['resourceAll'] }), invalidate({ resource: 'deliveries', invalidates: ['list'] })]);
    } catch (e) {
      setError((e as HttpError).message ?? 'The server did not answer.');
    }
  };

  const tomorrow = dayjs(todayIST()).add(1, 'day');
  return (
    <Modal
      open={open}
      title="Generate subscription orders"
      okText={result ? 'Done' : 'Generate'}
      cancelButtonProps={result ? { style: { display: 'none' } } : undefined}
      confirmLoading={mutation.isPending}
      onCancel={close}
      onOk={() => (result ? close() : form.submit())}
      destroyOnHidden
    >
      {result ? (
        <>
          <Alert
            type={result.counts.orders_created ? 'success' : 'info'}
            showIcon
            style={{ marginBottom: 16 }}
            message={result.counts.orders_created ? `Created ${result.counts.orders_created} order${result.counts.orders_created === 1 ? '' : 's'}` : 'Nothing new to create'}
            description={
              result.counts.orders_created
                ? undefined
                : 'Every order of these days already exists (or nothing is scheduled): generating again never duplicates.'
            }
          />
          <Descriptions bordered size="small" column={1}>
            <Descriptions.Item label="Days">
              {formatDay(result.from)}
              {result.to !== result.from ? ` to ${formatDay(result.to)}` : ''}
            </Descriptions.Item>
            <Descriptions.Item label="Shift">{result.shift ?? 'both'}</Descriptions.Item>
            <Descriptions.Item label="Orders created">{result.counts.orders_created}</Descriptions.Item>
            <Descriptions.Item label="Order lines created">{result.counts.items_created}</Descriptions.Item>
            <Descriptions.Item label="Deliveries created">{result.counts.deliveries_created}</Descriptions.Item>
          </Descriptions>
        </>
      ) : (
        <>
          <Typography.Paragraph type="secondary">
            Creates the orders of active subscriptions for these days from their schedules, minus pauses, with one-day changes and today's catalogue prices. Days
            already generated get nothing new, so it is safe to run again.
          </Typography.Paragraph>
          {error && <Alert type="error" showIcon style={{ marginBottom: 16 }} message="Not generated" description={error} />}
          <Form form={form} layout="vertical" preserve={false} initialValues={{ range: [tomorrow, tomorrow] }} onFinish={submit}>
            <Form.Item
              name="range"
              label="Delivery days"
              rules={[
                { required: true, message: 'Choose the first and last day.' },
                {
                  validator: (_, r?: [Dayjs, Dayjs]) =>
                    !r || r[1].diff(r[0], 'day') < MAX_DAYS ? Promise.resolve() : Promise.reject(new Error(`Generate at most ${MAX_DAYS} days at a time.`)),
                },
              ]}
            >
              <DatePicker.RangePicker format={dayFormats} style={{ width: '100%' }} />
            </Form.Item>
            <Form.Item name="shift" label="Shift">
              <Select allowClear placeholder="Both shifts" options={shiftOptions} />
            </Form.Item>
          </Form>
        </>
      )}
    </Modal>
  );
}
