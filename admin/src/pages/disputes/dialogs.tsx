import { useSelect } from '@refinedev/antd';
import { type HttpError, useCustomMutation, useList } from '@refinedev/core';
import { Alert, DatePicker, Form, Input, Modal, Radio, Select, Typography } from 'antd';
import dayjs from 'dayjs';
import { useEffect } from 'react';
import { formatPaise, parseRupees } from '../../format';
import { Day } from '../invoices/shared';
import { beforeToday, dayFormats } from '../orders/pickers';
import type { Payment } from '../payments/shared';
import { type Dispute, statusLabels } from './shared';

type Outcome = 'refund' | 'wallet_credit' | 'redelivery' | 'explanation';
interface ResolveValues {
  outcome: Outcome;
  note?: string;
  payment_id?: string;
  amount?: string;
  reason?: string;
  destination?: 'source' | 'wallet';
  delivery_date?: dayjs.Dayjs;
}

const refundReasonOptions = [
  { value: 'short_delivery', label: 'Short delivery' },
  { value: 'spoilt_product', label: 'Spoilt product' },
  { value: 'billing_error', label: 'Billing error' },
  { value: 'duplicate_payment', label: 'Duplicate payment' },
  { value: 'cancellation', label: 'Cancellation' },
  { value: 'goodwill', label: 'Goodwill' },
];
const reasonFor: Partial<Record<Dispute['category'], string>> = {
  missing_delivery: 'short_delivery',
  short_quantity: 'short_delivery',
  spoilt_product: 'spoilt_product',
  wrong_product: 'spoilt_product',
  billing_error: 'billing_error',
};

/**
 * Resolve with an outcome. Nothing here moves money: a refund becomes a request in the refund queue (someone else
 * approves it, and that resolves the dispute); wallet credit goes through the wallet's own grant; a redelivery is a
 * one-time order at no charge of what the linked delivery fell short of.
 */
export function ResolveDialog({ dispute, open, onClose, onDone }: { dispute: Dispute; open: boolean; onClose: () => void; onDone: () => Promise<unknown> }) {
  const [form] = Form.useForm<ResolveValues>();
  const outcome = (Form.useWatch('outcome', form) as Outcome | undefined) ?? 'explanation';
  const { mutateAsync, mutation } = useCustomMutation<Dispute>();
  const { result: payments } = useList<Payment>({
    resource: 'payments',
    filters: [
      { field: 'customer_id', operator: 'eq', value: dispute.customer_id },
      { field: 'status', operator: 'eq', value: 'captured' },
    ],
    sorters: [{ field: 'received_on', order: 'desc' }],
    pagination: { currentPage: 1, pageSize: 20 },
    queryOptions: { enabled: open && outcome === 'refund' },
  });
  useEffect(() => {
    if (open) form.resetFields();
  }, [open, form]);

  const submit = async (v: ResolveValues) => {
    const base = { outcome: v.outcome, note: v.note, version: dispute.version };
    const body =
      v.outcome === 'refund'
        ? { ...base, payment_id: v.payment_id, amount_paise: parseRupees(v.amount), reason: v.reason, destination: v.destination ?? 'source' }
        : v.outcome === 'wallet_credit'
          ? { ...base, amount_paise: parseRupees(v.amount) }
          : v.outcome === 'redelivery'
            ? { ...base, delivery_date: v.delivery_date?.format('YYYY-MM-DD') }
            : base;
    try {
      await mutateAsync({
        url: `/disputes/${dispute.id}/resolve`,
        method: 'post',
        values: body,
        successNotification: {
          type: 'success',
          description: v.outcome === 'refund' ? 'Refund requested: the dispute is resolved when it is approved' : `Dispute ${dispute.number} resolved`,
          message: '',
        },
        errorNotification: (error?: HttpError) => ({ type: 'error', description: `Could not resolve dispute ${dispute.number}`, message: error?.message ?? 'The server did not answer.' }),
      });
      onClose();
    } finally {
      await onDone();
    }
  };

  const amountRule = {
    validator: (_: unknown, value: string) => {
      const p = parseRupees(value);
      return p !== null && p > 0 ? Promise.resolve() : Promise.reject(new Error('An amount in rupees, e.g. 120 or 120.50.'));
    },
  };
  return (
    <Modal
      open={open}
      title={`Resolve dispute ${dispute.number}`}
      okText={outcome === 'refund' ? 'Request refund' : 'Resolve'}
      onOk={() => form.submit()}
      onCancel={onClose}
      confirmLoading={mutation.isPending}
      destroyOnHidden
    >
      <Form<ResolveValues>
        form={form}
        layout="vertical"
        initialValues={{ outcome: 'explanation', destination: 'source', reason: reasonFor[dispute.category] ?? 'goodwill', delivery_date: dayjs().add(1, 'day') }}
        onFinish={submit}
      >
        <Form.Item name="outcome" label="Outcome">
          <Radio.Group
            optionType="button"
            data-testid="resolve-outcome"
            options={[
              { value: 'explanation', label: 'Explanation' },
              { value: 'refund', label: 'Refund' },
              { value: 'wallet_credit', label: 'Wallet credit' },
              { value: 'redelivery', label: 'Redelivery' },
            ]}
          />
        </Form.Item>
        {outcome === 'refund' && (
          <>
            <Alert
              type="info"
              showIcon
              style={{ marginBottom: 16 }}
              message="A request in the refund queue"
              description="Someone else approves it (four eyes); its approval resolves this dispute, a rejection hands it back to support."
            />
            <Form.Item name="payment_id" label="From the payment" rules={[{ required: true, message: 'Choose the payment the money goes back from.' }]}>
              <Select
                placeholder="A payment of this customer"
                data-testid="resolve-payment"
                options={(payments?.data ?? []).map((p) => ({
                  value: p.id,
                  label: `${formatPaise(p.amount_paise)} · ${p.method.replace('_', ' ')} · ${dayjs(p.received_on).format('D MMM YYYY')}${p.reference ? ` · ${p.reference}` : ''}`,
                }))}
              />
            </Form.Item>
            <Form.Item name="reason" label="Reason">
              <Select options={refundReasonOptions} />
            </Form.Item>
            <Form.Item name="destination" label="Back to">
              <Radio.Group optionType="button" options={[{ value: 'source', label: 'The way it came' }, { value: 'wallet', label: 'The wallet' }]} />
            </Form.Item>
          </>
        )}
        {(outcome === 'refund' || outcome === 'wallet_credit') && (
          <Form.Item name="amount" label="Amount (₹)" rules={[amountRule]}>
            <Input inputMode="decimal" prefix="₹" placeholder="120" data-testid="resolve-amount" />
          </Form.Item>
        )}
        {outcome === 'wallet_credit' && (
          <Typography.Paragraph type="secondary">Promotional credit, through the wallet&apos;s own permission and limit.</Typography.Paragraph>
        )}
        {outcome === 'redelivery' && (
          <Form.Item name="delivery_date" label="Deliver on" extra="At no charge: what the linked delivery fell short of." rules={[{ required: true, message: 'Choose the day.' }]}>
            <DatePicker format={dayFormats} disabledDate={beforeToday} />
          </Form.Item>
        )}
        <Form.Item name="note" label="Note" rules={[{ required: true, min: 3, max: 1000, whitespace: true, message: 'Say in a few words how it was resolved.' }]}>
          <Input.TextArea rows={3} maxLength={1000} data-testid="resolve-note" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** Merge a duplicate of the same customer into this dispute (it is closed, its thread and links join this one). */
export function MergeDialog({ dispute, open, onClose, onDone }: { dispute: Dispute; open: boolean; onClose: () => void; onDone: () => Promise<unknown> }) {
  const [form] = Form.useForm<{ other_id: string }>();
  const { mutateAsync, mutation } = useCustomMutation<Dispute>();
  const { selectProps, query } = useSelect<Dispute>({
    resource: 'disputes',
    optionLabel: (d) => `#${d.number} · ${d.subject} · ${statusLabels[d.status]}`,
    optionValue: (d) => d.id,
    filters: [
      { field: 'customer_id', operator: 'eq', value: dispute.customer_id },
      { field: 'status', operator: 'ne', value: 'closed' },
      { field: 'id', operator: 'ne', value: dispute.id },
    ],
    sorters: [{ field: 'created_at', order: 'desc' }],
    pagination: { pageSize: 50 },
    queryOptions: { enabled: open },
  });
  const count = query.data?.data.length ?? 0;
  return (
    <Modal
      open={open}
      title={`Merge into dispute ${dispute.number}`}
      okText="Merge"
      okButtonProps={{ disabled: count === 0 }}
      onOk={() => form.submit()}
      onCancel={onClose}
      confirmLoading={mutation.isPending}
      destroyOnHidden
    >
      <Form
        form={form}
        layout="vertical"
        onFinish={async ({ other_id }) => {
          try {
            await mutateAsync({
              url: `/disputes/${dispute.id}/merge`,
              method: 'post',
              values: { other_id, version: dispute.version },
              successNotification: { type: 'success', description: 'Merged: the other dispute is closed, its thread shows here', message: '' },
              errorNotification: (error?: HttpError) => ({ type: 'error', description: 'Could not merge', message: error?.message ?? 'The server did not answer.' }),
            });
            onClose();
          } finally {
            await onDone();
          }
        }}
      >
        <Typography.Paragraph>
          Another dispute of {dispute.customer_name} (only one customer&apos;s disputes merge): it is closed as merged, its messages show in this thread by time,
          and the links this one lacks are taken from it.
        </Typography.Paragraph>
        <Form.Item name="other_id" label="The duplicate" rules={[{ required: true, message: 'Choose the dispute to merge into this one.' }]}>
          <Select {...selectProps} placeholder={count === 0 ? 'No other open dispute of this customer' : 'Choose'} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

export const RefundWaiting = ({ dispute }: { dispute: Dispute }) =>
  dispute.refund_status === 'requested' ? (
    <Alert
      type="warning"
      showIcon
      style={{ marginBottom: 16 }}
      data-testid="refund-waiting"
      message={`A refund of ${formatPaise(dispute.refund_amount_paise)} waits for approval in the refund queue`}
      description="Its approval resolves this dispute; a rejection hands it back to support."
    />
  ) : null;

export { Day };
