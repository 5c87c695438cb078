import { type HttpError, useCan, useCustomMutation, useInvalidate } from '@refinedev/core';
import { Alert, Button, Form, Modal, Select, Tag, Typography } from 'antd';
import { useState } from 'react';
import { formatPaise } from '../../format';
import { useCustomerSelect } from '../orders/pickers';

// Gateway payments, inferred from the API's response schemas (type-only: nothing of the server reaches the bundle).
import type { GatewayPayment } from '../../../../api/modules/gateway/gateway.schemas';

export type { GatewayPayment, GatewayPaymentDetail } from '../../../../api/modules/gateway/gateway.schemas';
export type GatewayStatus = GatewayPayment['status'];

const statusColors: Record<GatewayStatus, string> = { created: 'default', authorized: 'blue', captured: 'green', refunded: 'purple', failed: 'red' };
export const gatewayStatusOptions = (Object.keys(statusColors) as GatewayStatus[]).map((s) => ({ value: s, label: s }));
export const GatewayStatusTag = ({ status }: { status: GatewayStatus }) => <Tag color={statusColors[status]}>{status}</Tag>;

export const MatchTag = ({ payment }: { payment: Pick<GatewayPayment, 'customer_id' | 'notes_customer_id'> }) =>
  payment.customer_id ? <Tag color="green">matched</Tag> : <Tag color="orange">unmatched</Tag>;

const outcomeColors: Record<string, string> = { applied: 'green', stale: 'default', unmatched: 'orange', ignored: 'default', received: 'blue' };
export const OutcomeTag = ({ outcome }: { outcome: string }) => <Tag color={outcomeColors[outcome] ?? 'default'}>{outcome}</Tag>;

export const mono = { fontFamily: 'monospace', whiteSpace: 'nowrap' as const };

/**
 * Assign an unmatched gateway payment to its customer (finance): pick the customer, then confirm what it does (a
 * captured payment settles their oldest invoices, the rest wallet credit). Shown only to roles granted `assign`.
 */
export function AssignButton({ payment, size }: { payment: GatewayPayment; size?: 'small' | 'middle' }) {
  const { data: can } = useCan({ resource: 'gateway-payments', action: 'assign' });
  const [open, setOpen] = useState(false);
  const [customer, setCustomer] = useState<string | undefined>();
  const [label, setLabel] = useState<string>('');
  const [confirming, setConfirming] = useState(false);
  const { selectProps } = useCustomerSelect();
  const { mutateAsync, mutation } = useCustomMutation<GatewayPayment>();
  const invalidate = useInvalidate();
  if (!can?.can || payment.customer_id) return null;
  const close = () => {
    setOpen(false);
    setConfirming(false);
    setCustomer(undefined);
  };
  const assign = async () => {
    try {
      await mutateAsync({
        url: `/gateway-payments/${payment.id}/assign`,
        method: 'post',
        values: { customer_id: customer },
        successNotification: { type: 'success', message: 'Assigned', description: `${payment.gateway_payment_id} is ${label}'s now.` },
        errorNotification: (error?: HttpError) => ({ type: 'error', message: error?.message ?? 'The server did not answer.', description: `Could not assign ${payment.gateway_payment_id}` }),
      });
      close();
    } catch {
      setConfirming(false);
    } finally {
      await Promise.all([
        invalidate({ resource: 'gateway-payments', invalidates: ['list', 'many', 'detail'], id: payment.id }),
        invalidate({ resource: 'payments', invalidates: ['list'] }),
        invalidate({ resource: 'invoices', invalidates: ['list'] }),
      ]);
    }
  };
  const captured = payment.status === 'captured' || payment.status === 'refunded';
  return (
    <>
      <Button size={size} type="primary" onClick={() => setOpen(true)}>
        Assign
      </Button>
      <Modal
        open={open}
        title={`Assign ${payment.gateway_payment_id} (${formatPaise(payment.amount_paise)})`}
        okText={confirming ? `Yes, assign to ${label}` : 'Assign…'}
        okButtonProps={{ disabled: !customer, danger: confirming }}
        confirmLoading={mutation.isPending}
        onCancel={close}
        onOk={() => (confirming ? void assign() : setConfirming(true))}
        destroyOnHidden
      >
        <Typography.Paragraph type="secondary">
          {payment.notes_customer_id ? `The payment's notes named "${payment.notes_customer_id}", who is not a customer here.` : "The payment's notes named no customer."}{' '}
          {[payment.email, payment.contact].filter(Boolean).length ? `Paid by ${[payment.email, payment.contact].filter(Boolean).join(', ')}.` : ''}
        </Typography.Paragraph>
        <Form
          layout="vertical"
          onValuesChange={(_, all: { customer_id?: string }) => {
            setCustomer(all.customer_id);
            const option = (selectProps.options ?? []).find((o) => o.value === all.customer_id);
            setLabel(String(option?.label ?? 'the customer'));
            setConfirming(false);
          }}
        >
          <Form.Item label="Customer" name="customer_id" required>
            <Select {...selectProps} placeholder="Search by name or phone" data-testid="assign-customer" />
          </Form.Item>
        </Form>
        {confirming && (
          <Alert
            type="warning"
            showIcon
            message={
              captured
                ? `${formatPaise(payment.amount_paise)} becomes ${label}'s payment: it settles their oldest unpaid invoices first, the rest goes to their wallet. This cannot be undone here.`
                : `The payment becomes ${label}'s; once captured it settles their oldest unpaid invoices. This cannot be undone here.`
            }
          />
        )}
      </Modal>
    </>
  );
}
