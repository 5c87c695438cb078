import { Create, useForm, useSelect } from '@refinedev/antd';
import type { HttpError } from '@refinedev/core';
import { Form, Input, Radio, Select } from 'antd';
import { useSearchParams } from 'react-router';
import { formatPaise } from '../../format';
import type { Delivery } from '../deliveries/types';
import { formatDay, type Invoice } from '../invoices/shared';
import { useCustomerSelect } from '../orders/pickers';
import type { Order } from '../orders/types';
import { categoryOptions, type Dispute, priorityOptions } from './shared';

interface Values {
  customer_id?: string;
  category?: string;
  subject?: string;
  body?: string;
  priority: string;
  delivery_id?: string | null;
  order_id?: string | null;
  invoice_id?: string | null;
}

/** One customer's recent records of a resource, to link (none until a customer is chosen). */
function useLinkSelect<T extends { id: string }>(resource: string, customerId: string | undefined, sortField: string, label: (r: T) => string, current?: string) {
  return useSelect<T>({
    resource,
    optionLabel: (r) => label(r),
    optionValue: (r) => r.id,
    defaultValue: current,
    filters: [{ field: 'customer_id', operator: 'eq', value: customerId }],
    sorters: [{ field: sortField, order: 'desc' }],
    pagination: { pageSize: 30 },
    queryOptions: { enabled: Boolean(customerId) },
  });
}

/**
 * Open a dispute for a customer. From a customer's, a delivery's, an order's or an invoice's page ("Open dispute") it
 * opens with ?customer_id= and the link filled in; the links offered are the customer's own (the API refuses others).
 */
export function DisputeCreate() {
  const [params] = useSearchParams();
  const { formProps, saveButtonProps, form } = useForm<Dispute, HttpError, Values>({ resource: 'disputes', action: 'create', redirect: 'show' });
  const customerId = Form.useWatch('customer_id', form) as string | undefined;
  const { selectProps: customerSelect } = useCustomerSelect({ defaultValue: params.get('customer_id') ?? undefined });
  const { selectProps: deliverySelect } = useLinkSelect<Delivery>('deliveries', customerId, 'order_date', (d) => `${formatDay(d.order_date)} · ${d.shift} · ${d.status}`, params.get('delivery_id') ?? undefined);
  const { selectProps: orderSelect } = useLinkSelect<Order>('orders', customerId, 'delivery_date', (o) => `${formatDay(o.delivery_date)} · ${o.kind.replace('_', '-')} · ${formatPaise(o.total_paise)}`, params.get('order_id') ?? undefined);
  const { selectProps: invoiceSelect } = useLinkSelect<Invoice>('invoices', customerId, 'invoice_date', (i) => `${i.number} · ${formatDay(i.invoice_date)} · ${formatPaise(i.total_paise)}`, params.get('invoice_id') ?? undefined);

  const initialValues: Values = {
    customer_id: params.get('customer_id') ?? undefined,
    priority: 'normal',
    delivery_id: params.get('delivery_id') ?? undefined,
    order_id: params.get('order_id') ?? undefined,
    invoice_id: params.get('invoice_id') ?? undefined,
  };

  return (
    <Create title="Open dispute" saveButtonProps={{ ...saveButtonProps, children: 'Open dispute' }}>
      <Form
        {...formProps}
        layout="vertical"
        style={{ maxWidth: 640 }}
        initialValues={initialValues}
        onValuesChange={(changed: Partial<Values>) => {
          // Another customer: the links chosen were the previous one's.
          if ('customer_id' in changed) form.setFieldsValue({ delivery_id: undefined, order_id: undefined, invoice_id: undefined });
        }}
      >
        <Form.Item name="customer_id" label="Customer" rules={[{ required: true, message: 'Choose the customer.' }]}>
          <Select {...customerSelect} showSearch placeholder="Name or phone" data-testid="dispute-customer" />
        </Form.Item>
        <Form.Item name="category" label="What it is about" rules={[{ required: true, message: 'Choose a category.' }]}>
          <Select options={categoryOptions} placeholder="Category" data-testid="dispute-category" />
        </Form.Item>
        <Form.Item name="subject" label="Subject" rules={[{ required: true, min: 3, max: 200, whitespace: true, message: 'Say in a few words what it is about (3 to 200 characters).' }]}>
          <Input maxLength={200} placeholder="Two packets short on Monday" />
        </Form.Item>
        <Form.Item name="body" label="What the customer says" rules={[{ required: true, whitespace: true, max: 4000, message: 'Write down the complaint (at most 4,000 characters).' }]}>
          <Input.TextArea rows={4} maxLength={4000} showCount />
        </Form.Item>
        <Form.Item name="priority" label="Priority">
          <Radio.Group options={priorityOptions} optionType="button" />
        </Form.Item>
        <Form.Item name="delivery_id" label="Delivery" extra="The customer's own deliveries, newest first.">
          <Select {...deliverySelect} allowClear placeholder={customerId ? 'None' : 'Choose the customer first'} disabled={!customerId} data-testid="dispute-delivery" />
        </Form.Item>
        <Form.Item name="order_id" label="Order">
          <Select {...orderSelect} allowClear placeholder={customerId ? 'None' : 'Choose the customer first'} disabled={!customerId} />
        </Form.Item>
        <Form.Item name="invoice_id" label="Invoice">
          <Select {...invoiceSelect} allowClear placeholder={customerId ? 'None' : 'Choose the customer first'} disabled={!customerId} />
        </Form.Item>
      </Form>
    </Create>
  );
}
