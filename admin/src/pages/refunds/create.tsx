import { Create, useForm, useSelect } from '@refinedev/antd';
import { type HttpError, useList, useOne } from '@refinedev/core';
import { Alert, Col, Descriptions, Form, Input, Radio, Row, Select, Typography } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { useSearchParams } from 'react-router';
import { Money } from '../../components/Money';
import { formatPaise, parseRupees } from '../../format';
import type { Customer } from '../../types';
import { formatDay } from '../invoices/shared';
import { newUuid } from '../orders/pickers';
import { creditNoteReasons, methodLabels, options, type Payment, type PaymentDetail, reasonLabels, type Refund, type RefundReason } from './shared';

interface RefundInput {
  customer_id: string;
  payment_id: string;
  amount: string;
  reason: RefundReason;
  destination: 'source' | 'wallet';
  invoice_id?: string;
  note: string;
}

/** Refunds still standing on a payment (all but rejected and failed) count against what it captured, as in SQL. */
const standing = (r: Refund) => r.status !== 'rejected' && r.status !== 'failed';

/**
 * Request a refund: the customer, one of their payments (what is still refundable shown), the amount in rupees (read
 * as text into integer paise: no float), the reason, where the money goes and a note. Someone else approves it. Opens
 * filled from ?customer_id=&payment_id= (the Payment page's "Request refund"). The Idempotency-Key makes a double
 * submit ask once.
 */
export function RefundCreate() {
  const [params] = useSearchParams();
  const [idempotencyKey, setKey] = useState(newUuid);
  const { formProps, saveButtonProps, onFinish, form, mutation } = useForm<Refund, HttpError, Record<string, unknown>>({
    resource: 'refunds',
    action: 'create',
    redirect: 'show',
    errorNotification: false,
    meta: { headers: { 'Idempotency-Key': idempotencyKey } },
    successNotification: (data) => ({
      type: 'success',
      description: 'Refund requested',
      message: data ? `${formatPaise(data.data.amount_paise)} for ${data.data.customer_name}: someone else approves it.` : '',
    }),
    onMutationSuccess: () => setKey(newUuid()),
  });
  const customerId = Form.useWatch('customer_id', form) as string | undefined;
  const paymentId = Form.useWatch('payment_id', form) as string | undefined;
  const reason = Form.useWatch('reason', form) as RefundReason | undefined;
  const amountText = Form.useWatch('amount', form) as string | undefined;

  const { selectProps: customerSelect } = useSelect<Customer>({
    resource: 'customers',
    optionLabel: 'name',
    optionValue: 'id',
    sorters: [{ field: 'name', order: 'asc' }],
    pagination: { pageSize: 50 },
    defaultValue: params.get('customer_id') ?? undefined,
    onSearch: (value) => [{ field: 'q', operator: 'eq', value: value || undefined }],
  });
  // The customer's payments in hand (captured), newest first, and the refunds already standing on them.
  const { result: paymentResult, query: paymentsQuery } = useList<Payment>({
    resource: 'payments',
    filters: [
      { field: 'customer_id', operator: 'eq', value: customerId },
      { field: 'status', operator: 'eq', value: 'captured' },
    ],
    sorters: [{ field: 'received_on', order: 'desc' }],
    pagination: { currentPage: 1, pageSize: 100 },
    queryOptions: { enabled: Boolean(customerId) },
  });
  const { result: refundResult } = useList<Refund>({
    resource: 'refunds',
    filters: [{ field: 'customer_id', operator: 'eq', value: customerId }],
    pagination: { currentPage: 1, pageSize: 100 },
    queryOptions: { enabled: Boolean(customerId) },
  });
  const refundable = useMemo(() => {
    const asked = new Map<string, number>();
    for (const r of refundResult?.data ?? []) if (standing(r)) asked.set(r.payment_id, (asked.get(r.payment_id) ?? 0) + r.amount_paise);
    return (p: Payment) => p.amount_paise - (asked.get(p.id) ?? 0);
  }, [refundResult?.data]);
  const payments = paymentResult?.data ?? [];
  const payment = payments.find((p) => p.id === paymentId);
  // The invoices the payment settles: a credit-note reason reduces one of them (the only one, or the one chosen).
  const { result: detail } = useOne<PaymentDetail>({ resource: 'payments', id: paymentId ?? '', queryOptions: { enabled: Boolean(paymentId) } });
  const invoices = useMemo(() => {
    const byId = new Map<string, { id: string; number: string; date: string; paise: number }>();
    for (const a of detail?.allocations ?? []) {
      if (a.reversed_at) continue;
      const seen = byId.get(a.invoice_id);
      byId.set(a.invoice_id, { id: a.invoice_id, number: a.invoice_number, date: a.invoice_date, paise: (seen?.paise ?? 0) + a.amount_paise });
    }
    return [...byId.values()];
  }, [detail]);
  const notes = reason !== undefined && creditNoteReasons.includes(reason);

  // A new customer empties the payment; a new payment the invoice.
  useEffect(() => {
    if (customerId && payment === undefined && paymentId && paymentsQuery.isSuccess) form.setFieldValue('payment_id', undefined);
  }, [customerId, payment, paymentId, paymentsQuery.isSuccess, form]);
  useEffect(() => {
    form.setFieldValue('invoice_id', invoices.length === 1 ? invoices[0].id : undefined);
  }, [paymentId, invoices, form]);

  const paise = amountText ? parseRupees(amountText) : null;
  const left = payment ? refundable(payment) : null;

  const submit = (v: RefundInput) =>
    onFinish({
      payment_id: v.payment_id,
      amount_paise: parseRupees(v.amount),
      reason: v.reason,
      destination: v.destination,
      note: v.note.trim(),
      ...(notes && v.invoice_id ? { invoice_id: v.invoice_id } : {}),
    }).catch(() => undefined); // shown in the alert above the form

  return (
    <Create title="Request a refund" saveButtonProps={{ ...saveButtonProps, children: 'Request refund' }}>
      {mutation.error && (
        <Alert type="error" showIcon closable style={{ marginBottom: 16, maxWidth: 960 }} message="The refund was not requested" description={mutation.error.message} data-testid="server-error" />
      )}
      <Form
        {...formProps}
        layout="vertical"
        style={{ maxWidth: 960 }}
        initialValues={{ customer_id: params.get('customer_id') ?? undefined, payment_id: params.get('payment_id') ?? undefined, destination: 'source' }}
        onFinish={(v) => submit(v as unknown as RefundInput)}
      >
        <Row gutter={16}>
          <Col xs={24} md={10}>
            <Form.Item name="customer_id" label="Customer" rules={[{ required: true, message: 'Choose the customer.' }]} extra="Type a name or phone number to search.">
              <Select {...customerSelect} showSearch placeholder="Customer" data-testid="refund-customer" />
            </Form.Item>
          </Col>
          <Col xs={24} md={14}>
            <Form.Item
              name="payment_id"
              label="Payment"
              rules={[{ required: true, message: 'Choose the payment the money goes back from.' }]}
              extra={customerId && paymentsQuery.isSuccess && payments.length === 0 ? 'This customer has no payment in hand to refund.' : 'Payments in hand (captured; cheques once cleared), newest first.'}
            >
              <Select
                placeholder={customerId ? 'Payment' : 'Choose the customer first'}
                disabled={!customerId}
                loading={paymentsQuery.isLoading && Boolean(customerId)}
                data-testid="refund-payment"
                options={payments.map((p) => {
                  const rest = refundable(p);
                  const notInHand = p.cheque_status !== null && p.cheque_status !== 'cleared';
                  return {
                    value: p.id,
                    disabled: rest <= 0 || notInHand,
                    label: `${formatPaise(p.amount_paise)} · ${methodLabels[p.method]}${p.reference ? ` ${p.reference}` : ''} · ${formatDay(p.received_on)} · ${notInHand ? `cheque ${p.cheque_status}` : rest <= 0 ? 'nothing left to refund' : `refundable ${formatPaise(rest)}`}`,
                  };
                })}
              />
            </Form.Item>
          </Col>
        </Row>
        {payment && (
          <Descriptions size="small" bordered column={{ xs: 1, md: 3 }} style={{ marginBottom: 24 }} data-testid="refundable">
            <Descriptions.Item label="Received">
              <Money paise={payment.amount_paise} />
            </Descriptions.Item>
            <Descriptions.Item label="Already refunded or asked">
              <Money paise={payment.amount_paise - (left ?? 0)} />
            </Descriptions.Item>
            <Descriptions.Item label="Still refundable">
              <Money paise={left} strong />
            </Descriptions.Item>
          </Descriptions>
        )}
        <Row gutter={16}>
          <Col xs={24} md={8}>
            <Form.Item
              name="amount"
              label="Amount (₹)"
              rules={[
                { required: true, message: 'Enter the amount in rupees.' },
                {
                  validator: async (_, value?: string) => {
                    if (!value) return;
                    const p = parseRupees(value);
                    if (p === null) throw new Error('Rupees with at most two decimals, e.g. 2500 or 2,500.50.');
                    if (p <= 0) throw new Error('More than ₹0.');
                    if (left !== null && p > left) throw new Error(`At most ${formatPaise(left)}: what is still refundable of this payment.`);
                  },
                },
              ]}
              extra={paise !== null && paise > 0 ? `${formatPaise(paise)} (${paise.toLocaleString('en-IN')} paise)` : undefined}
            >
              <Input inputMode="decimal" prefix="₹" placeholder="2,500.00" data-testid="refund-amount" />
            </Form.Item>
          </Col>
          <Col xs={24} md={8}>
            <Form.Item name="reason" label="Reason" rules={[{ required: true, message: 'Choose the reason.' }]}>
              <Select placeholder="Reason" options={options(reasonLabels)} data-testid="refund-reason" />
            </Form.Item>
          </Col>
          <Col xs={24} md={8}>
            <Form.Item name="destination" label="Money goes" rules={[{ required: true }]}>
              <Radio.Group
                optionType="button"
                options={[
                  { value: 'source', label: payment ? `Back by ${methodLabels[payment.method]}` : 'Back to source' },
                  { value: 'wallet', label: 'To wallet' },
                ]}
              />
            </Form.Item>
          </Col>
        </Row>
        {notes && invoices.length > 1 && (
          <Form.Item name="invoice_id" label="Invoice the credit note reduces" rules={[{ required: true, message: 'Choose the invoice: this payment settles several.' }]}>
            <Select
              placeholder="Invoice"
              options={invoices.map((i) => ({ value: i.id, label: `${i.number} of ${formatDay(i.date)} (this payment settles ${formatPaise(i.paise)} of it)` }))}
            />
          </Form.Item>
        )}
        {notes && payment && (
          <Typography.Paragraph type="secondary">
            {invoices.length === 0
              ? 'This payment settles no invoice: no credit note is issued.'
              : `When approved, a GST credit note reduces ${invoices.length === 1 ? invoices[0].number : 'the chosen invoice'} by this amount (its lines and tax in proportion).`}
          </Typography.Paragraph>
        )}
        <Form.Item
          name="note"
          label="Note"
          rules={[
            { required: true, whitespace: true, min: 3, message: 'Say in a few words what happened (at least 3 characters).' },
            { max: 1000, message: 'At most 1,000 characters.' },
          ]}
        >
          <Input.TextArea rows={3} placeholder="e.g. 2 of 6 packets missing on 3 Dec; customer called." data-testid="refund-note" />
        </Form.Item>
      </Form>
    </Create>
  );
}
