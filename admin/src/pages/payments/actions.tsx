import { BankOutlined, CheckCircleOutlined, RollbackOutlined } from '@ant-design/icons';
import { type HttpError, useCan, useCustomMutation, useInvalidate } from '@refinedev/core';
import { Alert, Button, Popconfirm } from 'antd';
import { type ReactNode, useMemo, useState } from 'react';
import { ReasonModal } from '../../components/ReasonModal';
import { formatPaise } from '../../format';
import { newUuid } from '../orders/pickers';
import type { PaymentDetail } from './shared';

/**
 * The actions of a payment's page, in its header: each shows only when the payment's state allows it and the role's
 * grants do (as the API would answer). More actions on a payment (a refund request) are one more entry in
 * `paymentActions` below, a component of their own taking the payment and `refresh`.
 */
export interface PaymentActionProps {
  payment: PaymentDetail;
  /** Reloads the payment, its lists, the invoices it touched and the customer's balances. */
  refresh: () => Promise<unknown>;
}

export function usePaymentRefresh(payment: PaymentDetail | undefined) {
  const invalidate = useInvalidate();
  return () =>
    Promise.all([
      payment && invalidate({ resource: 'payments', id: payment.id, invalidates: ['detail'] }),
      invalidate({ resource: 'payments', invalidates: ['list', 'many'] }),
      invalidate({ resource: 'invoices', invalidates: ['list', 'many', 'detail'] }),
      invalidate({ resource: 'receivables', invalidates: ['list'] }),
      invalidate({ resource: 'audit-logs', invalidates: ['list'] }),
    ]);
}

/** Deposit, clear and bounce a cheque: each confirmed first; bounce asks why and says what it undoes. */
export function ChequeActions({ payment, refresh }: PaymentActionProps) {
  const { data: canDeposit } = useCan({ resource: 'payments', action: 'deposit' });
  const { data: canClear } = useCan({ resource: 'payments', action: 'clear' });
  const { data: canBounce } = useCan({ resource: 'payments', action: 'bounce' });
  const { mutateAsync, mutation } = useCustomMutation<PaymentDetail>();
  const [bouncing, setBouncing] = useState(false);
  // A bounce reverses money: one key per page, so a double click or a retry bounces once.
  const bounceKey = useMemo(() => newUuid(), [payment.id]);
  if (payment.method !== 'cheque') return null;
  const cheque = `cheque ${payment.reference ?? ''}`.trim();

  const act = async (verb: 'deposit' | 'clear' | 'bounce', values: object, done: string, headers?: Record<string, string>) => {
    try {
      await mutateAsync({
        url: `/payments/${payment.id}/${verb}`,
        method: 'post',
        values,
        config: headers ? { headers } : undefined,
        successNotification: { type: 'success', description: done, message: '' },
        errorNotification: (error?: HttpError) => ({ type: 'error', description: `Could not ${verb} ${cheque}`, message: error?.message ?? 'The server did not answer.' }),
      });
      return true;
    } catch {
      return false;
    } finally {
      await refresh();
    }
  };

  const live = payment.allocations.filter((a) => !a.reversed_at);
  return (
    <>
      {payment.cheque_status === 'received' && canDeposit?.can && (
        <Popconfirm title={`Deposit ${cheque}?`} description="Mark it deposited at the bank today." okText="Deposited" onConfirm={() => act('deposit', {}, `Cheque ${payment.reference} deposited`)}>
          <Button icon={<BankOutlined />} loading={mutation.isPending} data-testid="cheque-deposit">
            Deposit
          </Button>
        </Popconfirm>
      )}
      {payment.cheque_status === 'deposited' && canClear?.can && (
        <Popconfirm title={`Mark ${cheque} cleared?`} description="The bank credited the money today." okText="Cleared" onConfirm={() => act('clear', {}, `Cheque ${payment.reference} cleared`)}>
          <Button type="primary" icon={<CheckCircleOutlined />} loading={mutation.isPending} data-testid="cheque-clear">
            Clear
          </Button>
        </Popconfirm>
      )}
      {payment.cheque_status === 'deposited' && canBounce?.can && (
        <Button danger icon={<RollbackOutlined />} onClick={() => setBouncing(true)} data-testid="cheque-bounce">
          Bounce
        </Button>
      )}
      <ReasonModal
        open={bouncing}
        title={`Cheque ${payment.reference} bounced?`}
        okText="Mark bounced"
        intro={
          <Alert
            type="warning"
            showIcon
            style={{ marginBottom: 16 }}
            message="This reverses what the cheque paid."
            description={
              live.length || payment.credited_paise > 0
                ? `Its ${live.length} allocation${live.length === 1 ? '' : 's'} (${live.map((a) => a.invoice_number).join(', ') || 'none'}) are reversed, so those invoices are due again${payment.credited_paise > 0 ? `, and the ${formatPaise(payment.credited_paise)} of wallet credit it became is taken back` : ''}. The statement shows the bounce.`
                : 'It settles nothing now; the statement shows the bounce.'
            }
          />
        }
        requiredMessage="Say why the bank returned it."
        placeholder="e.g. Insufficient funds (returned by the bank, memo R01)"
        confirmLoading={mutation.isPending}
        onCancel={() => setBouncing(false)}
        onSubmit={async (reason) => {
          if (await act('bounce', { reason }, `Cheque ${payment.reference} bounced: its allocations are reversed`, { 'Idempotency-Key': bounceKey })) setBouncing(false);
        }}
      />
    </>
  );
}

/** Every action of a payment's header, in order. Add an action here (one component taking PaymentActionProps). */
export const paymentActions: ((props: PaymentActionProps) => ReactNode)[] = [ChequeActions];

export function PaymentActions(props: PaymentActionProps) {
  return (
    <>
      {paymentActions.map((Action, i) => (
        <Action key={i} {...props} />
      ))}
    </>
  );
}
