import type { z } from '@hono/zod-openapi';
import { Tag, Tooltip } from 'antd';
// Records of money going back, inferred from the API's response schemas (type-only: nothing of the server reaches the bundle).
import type { Refund } from '../../../../api/modules/refunds/refunds.schemas';

export type { Refund } from '../../../../api/modules/refunds/refunds.schemas';
export type { CreditNote } from '../../../../api/modules/credit-notes/credit-notes.schemas';
import type { CreditNoteLine as CreditNoteLineSchema } from '../../../../api/modules/credit-notes/credit-notes.schemas';
export type CreditNoteLine = z.infer<typeof CreditNoteLineSchema>;
export type { Payment } from '../../../../api/modules/payments/payments.schemas';
import type { PaymentDetail as PaymentDetailSchema } from '../../../../api/modules/payments/payments.schemas';
/** A payment with its allocations (GET /api/payments/:id). */
export type PaymentDetail = z.infer<typeof PaymentDetailSchema>;
export type RefundStatus = Refund['status'];
export type RefundReason = Refund['reason'];
export type RefundDestination = Refund['destination'];

export const statusLabels: Record<RefundStatus, string> = {
  requested: 'Awaiting approval',
  approved: 'Approved',
  rejected: 'Rejected',
  processing: 'At the gateway',
  processed: 'Processed',
  failed: 'Failed',
  paid: 'Paid back',
};
const statusColors: Record<RefundStatus, string> = {
  requested: 'gold',
  approved: 'blue',
  rejected: 'default',
  processing: 'processing',
  processed: 'green',
  failed: 'red',
  paid: 'green',
};
const statusHelp: Record<RefundStatus, string> = {
  requested: 'Someone other than the requester approves or rejects it.',
  approved: 'Approved: to be paid back by hand (Mark paid) or sent to the gateway.',
  rejected: 'Rejected with a reason: no money moved.',
  processing: 'Sent to the gateway: its webhook says processed or failed.',
  processed: 'Done: back through the gateway, or credited to the wallet.',
  failed: 'The gateway refused it: the money stays with the customer as wallet credit.',
  paid: 'Paid back by hand, with its reference.',
};

export const RefundStatusTag = ({ status }: { status: RefundStatus }) => (
  <Tooltip title={statusHelp[status]}>
    <Tag color={statusColors[status]} data-testid="refund-status">
      {statusLabels[status]}
    </Tag>
  </Tooltip>
);

export const reasonLabels: Record<RefundReason, string> = {
  short_delivery: 'Short delivery',
  spoilt_product: 'Spoilt product',
  billing_error: 'Billing error',
  duplicate_payment: 'Duplicate payment',
  cancellation: 'Cancellation',
  goodwill: 'Goodwill',
};
/** Reasons that reduce a billed supply: approving such a refund against an invoice issues a GST credit note. */
export const creditNoteReasons: RefundReason[] = ['short_delivery', 'spoilt_product', 'billing_error'];

export const destinationLabels: Record<RefundDestination, string> = { source: 'Back to source', wallet: 'To wallet' };

export const methodLabels: Record<string, string> = { cash: 'Cash', upi: 'UPI', bank_transfer: 'Bank transfer', cheque: 'Cheque', gateway: 'Gateway' };

export const options = <K extends string>(labels: Record<K, string>) => (Object.keys(labels) as K[]).map((k) => ({ value: k, label: labels[k] }));

/** "CN/26-27/000001" -> "CN-26-27-000001.pdf". */
export const pdfName = (number: string) => `${number.replace(/\//g, '-')}.pdf`;
export const creditNotePdfUrl = (id: string) => `/api/credit-notes/${id}/pdf`;
