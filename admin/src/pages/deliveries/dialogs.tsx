import { type HttpError, useCustomMutation, useInvalidate, useList, useUpdate } from '@refinedev/core';
import { useSelect } from '@refinedev/antd';
import { Alert, Button, Descriptions, Form, Input, InputNumber, Modal, Result, Select, Spin, Table, Typography } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { Money } from '../../components/Money';
import { formatDateTime, formatGst } from '../../format';
import type { OrderItem } from '../orders/types';
import { formatDay, newUuid } from '../orders/pickers';
import type { Staff } from '../staff/types';
import type { ConfirmResult, Delivery } from './types';
import { ReasonModal } from '../../components/ReasonModal';

/** What a delivery's outcome changes: the delivery, its order, the bills, and the calendar built from them. */
function useRefreshDelivery() {
  const invalidate = useInvalidate();
  return () =>
    Promise.all([
      invalidate({ resource: 'deliveries', invalidates: ['resourceAll'] }),
      invalidate({ resource: 'orders', invalidates: ['resourceAll'] }),
      invalidate({ resource: 'billing-records', invalidates: ['resourceAll'] }),
    ]);
}

type ConfirmValues = { quantities: Record<string, number>; proof_note?: string };

/**
 * Confirms a delivery: the delivered quantity of each item (0..ordered, default all), an optional proof note. The
 * Idempotency-Key is made when the dialog opens, so a double click or a retry after a lost answer confirms (and bills)
 * once: the API answers a repeat with the first answer. Afterwards it shows what was billed.
 */
export function ConfirmDeliveryModal({ delivery, open, onClose }: { delivery: Delivery; open: boolean; onClose: () => void }) {
  const [form] = Form.useForm<ConfirmValues>();
  const [key, setKey] = useState<string>('');
  const [result, setResult] = useState<ConfirmResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const { mutateAsync, mutation } = useCustomMutation<ConfirmResult>();
  const refresh = useRefreshDelivery();
  const { result: items, query: itemsQuery } = useList<OrderItem>({
    resource: 'order-items',
    filters: [{ field: 'order_id', operator: 'eq', value: delivery.order_id }],
    sorters: [{ field: 'product_name', order: 'asc' }],
    pagination: { mode: 'off' },
    queryOptions: { enabled: open },
  });
  const rows = items?.data ?? [];

  // A new key each time the dialog opens: one confirmation attempt per opening, however many clicks.
  useEffect(() => {
    if (open) {
      setKey(newUuid());
      setResult(null);
      setError(null);
    }
  }, [open]);
  // Defaults (everything delivered) once the items arrive; a refetch never overwrites what was typed.
  const filled = useRef(false);
  useEffect(() => {
    if (!open) filled.current = false;
    else if (rows.length && !filled.current) {
      filled.current = true;
      form.setFieldsValue({ quantities: Object.fromEntries(rows.map((i) => [i.id, i.quantity])) });
    }
  }, [open, rows, form]);

  const submit = async ({ quantities, proof_note }: ConfirmValues) => {
    setError(null);
    const lines = rows.map((i) => ({ order_item_id: i.id, quantity: quantities[i.id] ?? i.quantity }));
    if (lines.every((l) => l.quantity === 0)) {
      setError('Nothing was delivered: record the delivery as failed, with a reason, instead.');
      return;
    }
    try {
      const { data } = await mutateAsync({
        url: `/deliveries/${delivery.id}/confirm`,
        method: 'post',
        values: { items: lines, proof_note: proof_note?.trim() ?? '' },
        config: { headers: { 'Idempotency-Key': key } },
        successNotification: false,
        errorNotification: false,
      });
      setResult(data);
    } catch (e) {
      setError((e as HttpError).message ?? 'The server did not answer; try again (it will not be billed twice).');
    } finally {
      await refresh();
    }
  };

  return (
    <Modal
      open={open}
      width={720}
      title={`Confirm delivery: ${delivery.customer_name}, ${formatDay(delivery.order_date)}`}
      onCancel={onClose}
      destroyOnHidden
      footer={
        result
          ? [
              <Button key="done" type="primary" onClick={onClose}>
                Done
              </Button>,
            ]
          : [
              <Button key="cancel" onClick={onClose}>
                Cancel
              </Button>,
              <Button key="ok" type="primary" loading={mutation.isPending} disabled={!rows.length || !key} onClick={() => form.submit()}>
                Confirm delivery
              </Button>,
            ]
      }
    >
      {result ? (
        <Result
          status={result.status === 'delivered' ? 'success' : 'warning'}
          style={{ padding: '8px 0' }}
          title={result.status === 'delivered' ? 'Delivered' : 'Partly delivered'}
          subTitle={
            <span data-testid="billed-total">
              Billed <Money paise={result.billed_total_paise} strong /> (with GST), at {formatDateTime(result.delivered_at)}
            </span>
          }
          extra={
            <Table
              size="small"
              pagination={false}
              rowKey="order_item_id"
              dataSource={result.items}
              columns={[
                { title: 'Product', dataIndex: 'product_name' },
                { title: 'Delivered', key: 'q', align: 'right', render: (_, i) => `${i.quantity} of ${i.ordered_quantity}` },
                { title: 'Unit price', dataIndex: 'unit_price_paise', align: 'right', render: (v: number) => <Money paise={v} /> },
                { title: 'GST', dataIndex: 'gst_rate_bp', align: 'right', render: (v: number) => formatGst(v) },
                { title: 'Billed', dataIndex: 'total_paise', align: 'right', render: (v: number) => <Money paise={v} /> },
              ]}
            />
          }
        />
      ) : (
        <Spin spinning={itemsQuery.isLoading}>
          {error && <Alert type="error" showIcon style={{ marginBottom: 16 }} message="Not confirmed" description={error} data-testid="confirm-error" />}
          <Typography.Paragraph type="secondary">
            Record what was handed over. Every delivered item is billed at once; it can be confirmed only once.
          </Typography.Paragraph>
          <Form form={form} layout="vertical" onFinish={submit}>
            <Table
              size="small"
              pagination={false}
              rowKey="id"
              dataSource={rows}
              style={{ marginBottom: 16 }}
              columns={[
                { title: 'Product', dataIndex: 'product_name' },
                { title: 'Ordered', dataIndex: 'quantity', align: 'right' },
                { title: 'Unit price', dataIndex: 'unit_price_paise', align: 'right', render: (v: number) => <Money paise={v} /> },
                {
                  title: 'Delivered',
                  key: 'delivered',
                  width: 150,
                  render: (_, i) => (
                    <Form.Item
                      name={['quantities', i.id]}
                      style={{ margin: 0 }}
                      rules={[
                        { required: true, message: 'Enter a quantity.' },
                        { type: 'integer', min: 0, max: i.quantity, message: `From 0 to ${i.quantity}.` },
                      ]}
                    >
                      <InputNumber min={0} max={i.quantity} precision={0} aria-label={`Delivered ${i.product_name}`} />
                    </Form.Item>
                  ),
                },
              ]}
            />
            <Form.Item name="proof_note" label="Proof note (optional)" rules={[{ max: 500 }]}>
              <Input.TextArea rows={2} placeholder="Handed to the customer; photo on the driver's phone" />
            </Form.Item>
          </Form>
        </Spin>
      )}
    </Modal>
  );
}

/** Records that a delivery could not be made; the reason is required and kept. */
export function FailDeliveryModal({ delivery, open, onClose }: { delivery: Delivery; open: boolean; onClose: () => void }) {
  const { mutateAsync, mutation } = useCustomMutation();
  const refresh = useRefreshDelivery();
  const submit = async (reason: string) => {
    try {
      await mutateAsync({
        url: `/deliveries/${delivery.id}/fail`,
        method: 'post',
        values: { reason: reason.trim() },
        successNotification: { type: 'success', description: 'Delivery marked failed', message: `Reason: ${reason.trim()}. Nothing is billed.` },
        errorNotification: (e?: HttpError) => ({ type: 'error', description: 'Could not mark it failed', message: e?.message ?? 'The server did not answer.' }),
      });
      onClose();
    } catch {
      // The notification says why.
    } finally {
      await refresh();
    }
  };
  return (
    <ReasonModal
      open={open}
      title={`Delivery failed: ${delivery.customer_name}`}
      okText="Mark failed"
      intro={<Typography.Paragraph type="secondary">Nothing is billed for a failed delivery, and its outcome cannot be changed afterwards.</Typography.Paragraph>}
      placeholder="Door locked, customer not reachable by phone"
      confirmLoading={mutation.isPending}
      onCancel={onClose}
      onSubmit={submit}
    />
  );
}

/** Assigns a pending delivery to another active staff member (or to nobody). */
export function ReassignModal({ delivery, open, onClose }: { delivery: Delivery; open: boolean; onClose: () => void }) {
  const [form] = Form.useForm<{ staff_id?: string }>();
  const { mutate, mutation } = useUpdate<Delivery>();
  const refresh = useRefreshDelivery();
  const { selectProps } = useSelect<Staff>({
    resource: 'staff',
    optionLabel: (s) => `${s.name}${s.zone_name ? ` · ${s.zone_name}` : ''}`,
    optionValue: 'id',
    filters: [{ field: 'is_active', operator: 'eq', value: 'true' }],
    sorters: [{ field: 'name', order: 'asc' }],
    pagination: { pageSize: 100 },
    onSearch: (v) => [{ field: 'q', operator: 'eq', value: v.trim() || undefined }],
    queryOptions: { enabled: open },
  });
  return (
    <Modal open={open} title="Reassign delivery" okText="Reassign" confirmLoading={mutation.isPending} onCancel={onClose} onOk={() => form.submit()} destroyOnHidden>
      <Descriptions size="small" column={1} style={{ marginBottom: 16 }}>
        <Descriptions.Item label="Stop">
          {delivery.customer_name}, {delivery.pin_code} · {formatDay(delivery.order_date)} {delivery.shift}
        </Descriptions.Item>
        <Descriptions.Item label="Now with">{delivery.staff_name ?? 'nobody'}</Descriptions.Item>
      </Descriptions>
      <Form
        form={form}
        layout="vertical"
        preserve={false}
        initialValues={{ staff_id: delivery.staff_id ?? undefined }}
        onFinish={({ staff_id }) =>
          mutate(
            {
              resource: 'deliveries',
              id: delivery.id,
              values: { staff_id: staff_id ?? null },
              successNotification: { type: 'success', description: 'Delivery reassigned', message: `It is on ${staff_id ? 'the new' : 'nobody’s'} run sheet now.` },
              errorNotification: (e?: HttpError) => ({ type: 'error', description: 'Could not reassign', message: e?.message ?? 'The server did not answer.' }),
            },
            { onSuccess: onClose, onSettled: () => void refresh() },
          )
        }
      >
        <Form.Item name="staff_id" label="Delivery staff" extra="Only active staff are offered. Clear to leave it unassigned.">
          <Select {...selectProps} allowClear showSearch placeholder="Unassigned" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
