import { Create, useForm } from '@refinedev/antd';
import { type HttpError, useList } from '@refinedev/core';
import { Alert, DatePicker, Form, Input, Radio, Select, Typography } from 'antd';
import dayjs from 'dayjs';
import { useMemo } from 'react';
import { useSearchParams } from 'react-router';
import { formatPaise, parseRupees } from '../../format';
import type { Invoice } from '../invoices/shared';
import { formatDay } from '../invoices/shared';
import { dateField, dayFormats, newUuid, todayIST, useCustomerSelect } from '../orders/pickers';
import { methodOptions, type PaymentDetail, type PaymentMethod, referenceLabels } from './shared';

interface Values {
  customer_id?: string;
  amount?: string;
  method: PaymentMethod;
  reference?: string;
  received_on: string;
  invoice_ids?: string[];
  note?: string;
}

/** The API's bound (payments_amount_max): ₹1,00,00,000. */
const MAX_PAISE = 1_000_000_000;

/**
 * Record money received. The amount is typed in rupees and sent as integer paise, read from the text (no float). One
 * Idempotency-Key per form: a double click, or a retry after a lost answer, records the payment once (the API answers
 * the first payment again); a refused attempt claims nothing, so the same key may try again after a correction.
 * Opened with ?customer_id= (and ?invoice_id=) from a customer's or an invoice's page, it starts filled in.
 */
export function PaymentCreate() {
  const [params] = useSearchParams();
  const idempotencyKey = useMemo(() => newUuid(), []);
  const { formProps, saveButtonProps, form } = useForm<PaymentDetail, HttpError, Record<string, unknown>>({
    resource: 'payments',
    action: 'create',
    redirect: 'show',
    meta: { headers: { 'Idempotency-Key': idempotencyKey } },
    successNotification: (res) => ({
      type: 'success',
      description: `Recorded ${formatPaise((res?.data as PaymentDetail | undefined)?.amount_paise)}`,
      message: settledText(res?.data as PaymentDetail | undefined),
    }),
  });
  const customerId = Form.useWatch('customer_id', form) as string | undefined;
  const method = (Form.useWatch('method', form) as PaymentMethod | undefined) ?? 'upi';
  const amountText = Form.useWatch('amount', form) as string | undefined;
  const { selectProps: customerSelect } = useCustomerSelect({ defaultValue: params.get('customer_id') ?? undefined });
  // The customer's invoices still owing, oldest due first: the ones a payment settles unless others are chosen.
  const { result: open, query: openQuery } = useList<Invoice>({
    resource: 'invoices',
    filters: [
      { field: 'customer_id', operator: 'eq', value: customerId },
      { field: 'status', operator: 'eq', value: 'issued' },
      { field: 'payment_status', operator: 'ne', value: 'paid' },
    ],
    sorters: [{ field: 'due_date', order: 'asc' }],
    pagination: { currentPage: 1, pageSize: 100 },
    queryOptions: { enabled: Boolean(customerId) },
  });
  const openInvoices = customerId ? (open?.data ?? []) : [];
  const owed = openInvoices.reduce((s, i) => s + i.balance_due_paise, 0);
  const paise = parseRupees(amountText);

  const initialValues: Values = {
    customer_id: params.get('customer_id') ?? undefined,
    method: 'upi',
    received_on: todayIST(),
    invoice_ids: params.get('invoice_id') ? [params.get('invoice_id')!] : undefined,
  };

  return (
    <Create title="Record payment" saveButtonProps={{ ...saveButtonProps, children: 'Record payment' }}>
      <Form
        {...formProps}
        layout="vertical"
        style={{ maxWidth: 640 }}
        initialValues={initialValues}
        onValuesChange={(changed: Record<string, unknown>) => {
          // Another customer's invoices cannot stay chosen.
          if ('customer_id' in changed) form.setFieldValue('invoice_ids', []);
        }}
        onFinish={(values) => {
          const v = values as unknown as Values;
          return formProps.onFinish?.({
            customer_id: v.customer_id,
            amount_paise: parseRupees(v.amount),
            method: v.method,
            reference: v.reference?.trim() || null,
            received_on: v.received_on,
            ...(v.invoice_ids?.length ? { invoice_ids: v.invoice_ids } : {}),
            ...(v.note?.trim() ? { note: v.note.trim() } : {}),
          });
        }}
      >
        <Form.Item name="customer_id" label="Customer" rules={[{ required: true, message: 'Choose the customer who paid.' }]}>
          <Select {...customerSelect} showSearch placeholder="Search by name or phone" data-testid="payment-customer" />
        </Form.Item>
        <Form.Item
          name="amount"
          label="Amount received"
          rules={[
            { required: true, message: 'Type the amount received.' },
            {
              validator: (_, value: string | undefined) => {
                if (!value) return Promise.resolve();
                const p = parseRupees(value);
                if (p === null) return Promise.reject(new Error('An amount in rupees, with at most two decimals (e.g. 1250 or 1,250.50).'));
                if (p <= 0) return Promise.reject(new Error('The amount must be more than ₹0.'));
                if (p > MAX_PAISE) return Promise.reject(new Error('At most ₹1,00,00,000 in one payment.'));
                return Promise.resolve();
              },
            },
          ]}
          extra={paise !== null && paise > 0 ? `${formatPaise(paise)}${owed > 0 ? ` · the customer owes ${formatPaise(owed)}${paise > owed ? `; ${formatPaise(paise - owed)} becomes wallet credit` : ''}` : ''}` : undefined}
        >
          <Input prefix="₹" inputMode="decimal" autoComplete="off" placeholder="0.00" style={{ maxWidth: 240 }} />
        </Form.Item>
        <Form.Item name="method" label="Method" rules={[{ required: true }]}>
          <Radio.Group optionType="button" buttonStyle="solid" options={methodOptions} />
        </Form.Item>
        <Form.Item
          name="reference"
          label={referenceLabels[method]}
          dependencies={['method']}
          rules={[
            { required: method !== 'cash', whitespace: true, message: `A ${method.replace('_', ' ')} payment needs its reference (UTR, UPI reference, cheque number).` },
            { max: 100, message: 'At most 100 characters.' },
          ]}
        >
          <Input autoComplete="off" style={{ maxWidth: 320 }} />
        </Form.Item>
        <Form.Item name="received_on" label="Received on" {...dateField} rules={[{ required: true, message: 'Say the day the money came in.' }]}>
          <DatePicker format={dayFormats} allowClear={false} disabledDate={(d) => d.isAfter(dayjs(todayIST()), 'day')} />
        </Form.Item>
        <Form.Item
          name="invoice_ids"
          label="Settle these invoices first (optional)"
          extra="Otherwise the payment settles the customer's oldest unpaid invoices first; what is left over becomes wallet credit."
        >
          <Select
            mode="multiple"
            allowClear
            disabled={!customerId}
            loading={openQuery.isFetching}
            placeholder={customerId ? (openInvoices.length ? 'Oldest first by default' : 'No unpaid invoices') : 'Choose the customer first'}
            options={openInvoices.map((i) => ({ value: i.id, label: `${i.number} · due ${formatDay(i.due_date)} · owes ${formatPaise(i.balance_due_paise)}` }))}
            data-testid="payment-invoices"
          />
        </Form.Item>
        <Form.Item name="note" label="Note (optional)">
          <Input.TextArea rows={2} maxLength={500} />
        </Form.Item>
        {method === 'cheque' && (
          <Alert type="info" showIcon style={{ marginBottom: 16 }} message="A cheque is recorded as received: deposit it, then mark it cleared or bounced from the payment's page." />
        )}
        <Typography.Paragraph type="secondary">Recorded once, whatever the clicks: a retry of this form never records the payment twice.</Typography.Paragraph>
      </Form>
    </Create>
  );
}

/** "Settled MR/26-27/000123; ₹50.00 to wallet credit." */
function settledText(p: PaymentDetail | undefined): string {
  if (!p) return '';
  const live = p.allocations.filter((a) => !a.reversed_at && a.source === 'payment');
  const parts = [live.length ? `Settled ${live.map((a) => a.invoice_number).join(', ')}` : 'Settled no invoice'];
  if (p.credited_paise > 0) parts.push(`${formatPaise(p.credited_paise)} to wallet credit`);
  return `${parts.join('; ')}.`;
}
