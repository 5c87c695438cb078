import { type HttpError, useCustomMutation, useInvalidate } from '@refinedev/core';
import { Alert, Form, Input, Modal, Typography } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { formatPaise } from '../../format';
import { getMe, grantFor, type Me } from '../../providers/session';
import { newUuid } from '../orders/pickers';
import type { Refund } from './shared';

/** The API's default approval limit above which a fresh second-factor code is asked (DEFAULT_STEP_UP_ABOVE_PAISE). */
const DEFAULT_STEP_UP_ABOVE_PAISE = 200_000;

/** The signed-in user (id, second factor, grants), as access control reads it. */
export function useMe(): Me | null {
  const [me, setMe] = useState<Me | null>(null);
  useEffect(() => {
    let live = true;
    getMe()
      .then((m) => live && setMe(m))
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, []);
  return me;
}

/**
 * Whether approving this amount asks for a code (the API's rule, api/modules/refunds approvalNeedsCode): above the
 * grant's max_amount_paise (₹2,000 when it sets none), or always for a step-up grant.
 */
export function approvalAsksCode(me: Me | null, amountPaise: number): { asks: boolean; limit: number } {
  const conditions = grantFor(me, 'refunds', 'approve')?.conditions as { max_amount_paise?: number; step_up?: boolean } | null | undefined;
  const limit = conditions?.max_amount_paise ?? DEFAULT_STEP_UP_ABOVE_PAISE;
  return { asks: Boolean(conditions?.step_up) || amountPaise > limit, limit };
}

/**
 * The refund's actions: approve (a 403 step_up_required opens the admin's one code dialog, providers/stepUp.ts),
 * reject with a reason, mark paid with a reference, send to the gateway. Approve and pay carry an Idempotency-Key per
 * refund and page: a double click or a retry does it once. Each refreshes the refund and the lists it changes.
 */
export function useRefundActions(refund: Refund | undefined) {
  const { mutateAsync, mutation } = useCustomMutation<Refund>();
  const invalidate = useInvalidate();
  const keys = useMemo(() => ({ approve: newUuid(), pay: newUuid() }), [refund?.id]);
  const refresh = () =>
    Promise.all([
      invalidate({ resource: 'refunds', invalidates: ['resourceAll'] }),
      invalidate({ resource: 'credit-notes', invalidates: ['list'] }),
      invalidate({ resource: 'invoices', invalidates: ['resourceAll'] }),
    ]);
  const fail = (what: string) => (error?: HttpError) => ({ type: 'error' as const, description: what, message: error?.message ?? 'The server did not answer.' });

  const run = async (path: string, values: object, success: { description: string; message: string }, failure: string, key?: string) => {
    if (!refund) return false;
    try {
      await mutateAsync({
        url: `/refunds/${refund.id}/${path}`,
        method: 'post',
        values,
        config: key ? { headers: { 'Idempotency-Key': key } } : undefined,
        successNotification: { type: 'success', ...success },
        errorNotification: fail(failure),
      });
      return true;
    } catch {
      return false;
    } finally {
      await refresh(); // also after a 409 (someone else decided first): show the refund as it is now
    }
  };
  const amount = refund ? formatPaise(refund.amount_paise) : '';
  return {
    pending: mutation.isPending,
    approve: () =>
      run(
        'approve',
        {},
        {
          description: `Approved: ${amount} for ${refund?.customer_name}`,
          message: refund?.destination === 'wallet' ? 'Credited to the customer\u2019s wallet.' : refund?.payment_method === 'gateway' ? 'Sent to the gateway.' : 'Pay it back and mark it paid with the reference.',
        },
        'Could not approve the refund',
        keys.approve,
      ),
    reject: (reason: string) => run('reject', { reason }, { description: 'Refund rejected', message: `Reason: ${reason}` }, 'Could not reject the refund'),
    pay: (reference: string) => run('pay', { reference }, { description: `Marked paid: ${amount}`, message: `Reference ${reference}` }, 'Could not mark the refund paid', keys.pay),
    send: () => run('send', {}, { description: 'Sent to the gateway', message: 'Its webhook ends it processed or failed.' }, 'Could not send the refund to the gateway'),
  };
}

/** Asks for the reference of the money paid back by hand (UPI reference, UTR, voucher number). */
export function PayModal({ open, refund, pending, onCancel, onSubmit }: { open: boolean; refund: Refund | undefined; pending: boolean; onCancel: () => void; onSubmit: (reference: string) => void }) {
  const [form] = Form.useForm<{ reference: string }>();
  useEffect(() => {
    if (open) form.resetFields();
  }, [open, form]);
  return (
    <Modal open={open} title="Mark the refund paid" okText="Mark paid" confirmLoading={pending} onCancel={onCancel} onOk={() => form.submit()} destroyOnHidden>
      {refund && (
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 16 }}
          message={`Pay ${formatPaise(refund.amount_paise)} back to ${refund.customer_name} first.`}
          description="Then enter the reference of that money: it shows on the refund and in the audit log."
        />
      )}
      <Form form={form} layout="vertical" preserve={false} onFinish={({ reference }) => onSubmit(reference.trim())}>
        <Form.Item
          name="reference"
          label="Reference"
          rules={[
            { required: true, whitespace: true, message: 'Enter the UPI reference, UTR or cash voucher number.' },
            { max: 100, message: 'At most 100 characters.' },
          ]}
        >
          <Input autoFocus placeholder="e.g. UPI 412345678901 or voucher 118" />
        </Form.Item>
      </Form>
      <Typography.Text type="secondary">Cash, UPI, bank transfer and cheque payments are paid back by hand; gateway payments go back through the gateway.</Typography.Text>
    </Modal>
  );
}
