import { Tag } from 'antd';

// Records of the money side, inferred from the API's response schemas (type-only: nothing of the server reaches the bundle).
import type { Payment } from '../../../../api/modules/payments/payments.schemas';

export type { Allocation, Payment, PaymentDetail, WalletLot } from '../../../../api/modules/payments/payments.schemas';
export type PaymentMethod = Payment['method'];
export type PaymentStatus = Payment['status'];
export type ChequeStatus = NonNullable<Payment['cheque_status']>;

export const methodLabels: Record<PaymentMethod, string> = { cash: 'Cash', upi: 'UPI', bank_transfer: 'Bank transfer', cheque: 'Cheque', gateway: 'Gateway' };
const methodColors: Record<PaymentMethod, string> = { cash: 'green', upi: 'purple', bank_transfer: 'blue', cheque: 'gold', gateway: 'cyan' };
export const methodOptions = (Object.keys(methodLabels) as PaymentMethod[]).map((m) => ({ value: m, label: methodLabels[m] }));

/** What the reference is called for each method (the form's label and the list's column). */
export const referenceLabels: Record<PaymentMethod, string> = {
  cash: 'Receipt number (optional)',
  upi: 'UPI reference (UTR)',
  bank_transfer: 'Bank UTR',
  cheque: 'Cheque number',
  gateway: 'Gateway payment id',
};

export const MethodTag = ({ method }: { method: PaymentMethod }) => <Tag color={methodColors[method]}>{methodLabels[method]}</Tag>;

const statusColors: Record<PaymentStatus, string> = { created: 'default', authorized: 'blue', captured: 'green', refunded: 'purple', failed: 'red' };
export const paymentStatusOptions = (Object.keys(statusColors) as PaymentStatus[]).map((s) => ({ value: s, label: s }));
export const PaymentStatusTag = ({ status }: { status: PaymentStatus }) => <Tag color={statusColors[status]}>{status}</Tag>;

const chequeColors: Record<ChequeStatus, string> = { received: 'blue', deposited: 'gold', cleared: 'green', bounced: 'red' };
export const chequeStatusOptions = (Object.keys(chequeColors) as ChequeStatus[]).map((s) => ({ value: s, label: `Cheque ${s}` }));
export const ChequeStatusTag = ({ status }: { status: ChequeStatus | null | undefined }) => (status ? <Tag color={chequeColors[status]}>cheque {status}</Tag> : null);

/** An invoice's payment state (paid_paise against its total, less credit notes). */
export type InvoicePaymentStatus = 'unpaid' | 'partially_paid' | 'paid';
const invoicePaymentColors: Record<InvoicePaymentStatus, string> = { unpaid: 'red', partially_paid: 'gold', paid: 'green' };
export const invoicePaymentLabels: Record<InvoicePaymentStatus, string> = { unpaid: 'unpaid', partially_paid: 'partly paid', paid: 'paid' };
export const invoicePaymentOptions = (Object.keys(invoicePaymentLabels) as InvoicePaymentStatus[]).map((s) => ({ value: s, label: invoicePaymentLabels[s] }));
export const InvoicePaymentTag = ({ status }: { status: InvoicePaymentStatus }) => (
  <Tag color={invoicePaymentColors[status]} data-testid="payment-status">
    {invoicePaymentLabels[status]}
  </Tag>
);
