import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { Create, useForm } from '@refinedev/antd';
import { type HttpError, useList } from '@refinedev/core';
import { Alert, Button, Card, Col, DatePicker, Form, Input, InputNumber, Radio, Row, Select, Space, Table, Typography } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { Money } from '../../components/Money';
import { formatGst } from '../../format';
import { lineAmounts } from '../../../../shared/money';
import type { Product } from '../../types';
import { CustomerAddressFields } from '../../components/CustomerAddressFields';
import { beforeToday, dateField, formatDay, newUuid, productLabel, todayIST, weekdayFormats } from './pickers';
import { paymentMethodOptions } from './tags';
import type { Order, PaymentMethod } from './types';

interface Line {
  product_id?: string;
  quantity?: number;
}

interface OrderInput {
  customer_id: string;
  address_id: string;
  delivery_date: string;
  shift: 'morning' | 'evening';
  payment_method: PaymentMethod;
  note?: string;
  items: Line[];
}

/**
 * A one-time order: customer, one of their addresses, a day (today or later, IST), shift, payment method and the items.
 * Prices come from the catalogue; the price shown is sent along, so a price changed meanwhile is refused (409) rather
 * than charged as a surprise. The Idempotency-Key makes a double submit (or a retry after a lost answer) create one order.
 */
export function OrderCreate() {
  const [idempotencyKey, setKey] = useState(newUuid);
  const { formProps, saveButtonProps, onFinish, form, mutation } = useForm<Order, HttpError, Record<string, unknown>>({
    redirect: 'show',
    // The API's message goes in the alert above the form, where it stays while the order is fixed.
    errorNotification: false,
    meta: { headers: { 'Idempotency-Key': idempotencyKey } },
    successNotification: (data) => ({
      type: 'success',
      description: 'Order created',
      message: data ? `${data.data.customer_name}, ${formatDay(data.data.delivery_date)}: ${data.data.item_count} item(s). Its delivery is pending.` : '',
    }),
    onMutationSuccess: () => setKey(newUuid()),
  });
  // A refused order: bring the message at the top into view (the submit button is at the bottom of a long form).
  useEffect(() => {
    if (mutation.error) window.scrollTo({ top: 0, behavior: 'smooth' });
  }, [mutation.error]);
  const lines = (Form.useWatch('items', form) as Line[] | undefined) ?? [];
  // The whole catalogue on sale (a few dozen products): searched in the browser, and every line's price at hand.
  const { result: productResult, query: productQuery } = useList<Product>({
    resource: 'products',
    filters: [{ field: 'is_active', operator: 'eq', value: 'true' }],
    sorters: [{ field: 'name', order: 'asc' }],
    pagination: { pageSize: 1000 },
  });
  const products = useMemo(() => new Map((productResult?.data ?? []).map((p) => [p.id, p])), [productResult?.data]);
  const productOptions = (productResult?.data ?? []).map((p) => ({ value: p.id, label: productLabel(p) }));

  const priced = lines.map((l) => {
    const p = l?.product_id ? products.get(l.product_id) : undefined;
    const qty = Number.isInteger(l?.quantity) && (l?.quantity ?? 0) > 0 ? l!.quantity! : 0;
    return p ? { product: p, quantity: qty, ...lineAmounts(qty, p.price_paise, p.gst_rate_bp) } : null;
  });
  const subtotal = priced.reduce((s, l) => s + (l?.taxable_paise ?? 0), 0);
  const tax = priced.reduce((s, l) => s + (l ? l.cgst_paise + l.sgst_paise : 0), 0);

  const submit = (v: OrderInput) =>
    onFinish({
      customer_id: v.customer_id,
      address_id: v.address_id,
      delivery_date: v.delivery_date,
      shift: v.shift,
      payment_method: v.payment_method,
      note: v.note?.trim() ?? '',
      items: v.items.map((l) => ({ product_id: l.product_id, quantity: l.quantity, unit_price_paise: products.get(l.product_id!)?.price_paise })),
    }).catch(() => undefined); // shown in the alert above the form

  return (
    <Create saveButtonProps={{ ...saveButtonProps, children: 'Create order' }} title="New one-time order">
      {mutation.error && (
        <Alert type="error" showIcon closable style={{ marginBottom: 16, maxWidth: 960 }} message="The order was not created" description={mutation.error.message} data-testid="server-error" />
      )}
      <Form
        {...formProps}
        layout="vertical"
        style={{ maxWidth: 960 }}
        initialValues={{ delivery_date: todayIST(), shift: 'morning', payment_method: 'postpaid', items: [{ quantity: 1 }] }}
        onFinish={(v) => submit(v as unknown as OrderInput)}
      >
        <CustomerAddressFields form={form} activeOnly customerExtra="Type a name or phone number to search; inactive customers are not offered." />
        <Row gutter={16}>
          <Col xs={24} md={6}>
            <Form.Item name="delivery_date" label="Delivery date" rules={[{ required: true, message: 'Choose the delivery day.' }]} {...dateField}>
              <DatePicker format={weekdayFormats} disabledDate={beforeToday} allowClear={false} style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col xs={24} md={6}>
            <Form.Item name="shift" label="Shift" rules={[{ required: true, message: 'Choose a shift.' }]}>
              <Radio.Group optionType="button" buttonStyle="solid" options={[{ value: 'morning', label: 'Morning' }, { value: 'evening', label: 'Evening' }]} />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="payment_method" label="Payment" rules={[{ required: true, message: 'Choose how it is paid.' }]}>
              <Select options={paymentMethodOptions} />
            </Form.Item>
          </Col>
        </Row>

        <Card size="small" title="Items" style={{ marginBottom: 16 }}>
          <Form.List
            name="items"
            rules={[
              {
                validator: async (_, items?: Line[]) => {
                  if (!items?.length) throw new Error('Add at least one item.');
                  const ids = items.map((l) => l?.product_id).filter(Boolean);
                  if (new Set(ids).size !== ids.length) throw new Error('A product appears twice; combine the quantities into one line.');
                },
              },
            ]}
          >
            {(fields, { add, remove }, { errors }) => (
              <>
                <Table
                  size="small"
                  pagination={false}
                  rowKey="key"
                  dataSource={fields}
                  locale={{ emptyText: 'No items yet' }}
                  columns={[
                    {
                      title: 'Product',
                      key: 'product',
                      render: (_, field) => (
                        <Form.Item name={[field.name, 'product_id']} rules={[{ required: true, message: 'Choose a product.' }]} style={{ margin: 0 }}>
                          <Select
                            showSearch
                            optionFilterProp="label"
                            placeholder="Search products on sale"
                            options={productOptions}
                            loading={productQuery.isLoading}
                            aria-label={`Product of line ${field.name + 1}`}
                            style={{ minWidth: 320 }}
                          />
                        </Form.Item>
                      ),
                    },
                    {
                      title: 'Quantity',
                      key: 'quantity',
                      width: 130,
                      render: (_, field) => (
                        <Form.Item
                          name={[field.name, 'quantity']}
                          rules={[
                            { required: true, message: 'Enter a quantity.' },
                            { type: 'integer', min: 1, max: 1000, message: 'From 1 to 1000.' },
                          ]}
                          style={{ margin: 0 }}
                        >
                          <InputNumber min={1} max={1000} precision={0} aria-label={`Quantity of line ${field.name + 1}`} style={{ width: 100 }} />
                        </Form.Item>
                      ),
                    },
                    {
                      title: 'Unit price',
                      key: 'price',
                      align: 'right',
                      render: (_, field) => {
                        const l = priced[field.name];
                        return l ? (
                          <Space direction="vertical" size={0} style={{ alignItems: 'flex-end' }}>
                            <Money paise={l.product.price_paise} />
                            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                              GST {formatGst(l.product.gst_rate_bp)}
                            </Typography.Text>
                          </Space>
                        ) : (
                          <Typography.Text type="secondary">—</Typography.Text>
                        );
                      },
                    },
                    {
                      title: 'Amount',
                      key: 'amount',
                      align: 'right',
                      render: (_, field) => (priced[field.name] ? <Money paise={priced[field.name]!.taxable_paise} /> : <Typography.Text type="secondary">—</Typography.Text>),
                    },
                    {
                      key: 'remove',
                      width: 48,
                      render: (_, field) => (
                        <Button type="text" danger icon={<DeleteOutlined />} aria-label={`Remove line ${field.name + 1}`} disabled={fields.length === 1} onClick={() => remove(field.name)} />
                      ),
                    },
                  ]}
                />
                <Form.ErrorList errors={errors} />
                <Space style={{ width: '100%', justifyContent: 'space-between', marginTop: 12 }} align="start">
                  <Button icon={<PlusOutlined />} onClick={() => add({ quantity: 1 })} disabled={fields.length >= 50}>
                    Add item
                  </Button>
                  <div style={{ textAlign: 'right' }} data-testid="order-total">
                    <div>
                      Items: <Money paise={subtotal} />
                    </div>
                    <div>
                      <Typography.Text type="secondary">GST: </Typography.Text>
                      <Money paise={tax} />
                    </div>
                    <div style={{ fontSize: 16 }}>
                      Total with tax: <Money paise={subtotal + tax} strong />
                    </div>
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      Billed on delivery, for what is delivered.
                    </Typography.Text>
                  </div>
                </Space>
              </>
            )}
          </Form.List>
        </Card>

        <Form.Item name="note" label="Note for the delivery (optional)" rules={[{ max: 500 }]}>
          <Input.TextArea rows={2} placeholder="Leave with the security guard" />
        </Form.Item>
      </Form>
    </Create>
  );
}
