import { Col, Form, type FormInstance, Row, Select } from 'antd';
import { useEffect } from 'react';
import { useAddressSelect, useCustomerSelect } from '../pages/orders/pickers';
import type { Address } from '../types';

/**
 * The customer and one of their addresses, side by side, as `customer_id` and `address_id` of `form` (one-time order,
 * subscription). Choosing a customer picks their default address; an address of the previous customer never stays.
 */
export function CustomerAddressFields({
  form,
  current,
  activeOnly,
  locked = false,
  customerExtra,
}: {
  form: FormInstance;
  /** The customer already chosen (editing), so its label shows before any search. */
  current?: string;
  /** Offer only customers who may get new orders (not inactive). */
  activeOnly: boolean;
  /** The customer may not change (an existing subscription). */
  locked?: boolean;
  customerExtra: string;
}) {
  const customerId = Form.useWatch('customer_id', form) as string | undefined;
  const { selectProps: customerSelect } = useCustomerSelect({ defaultValue: current, activeOnly });
  const { selectProps: addressSelect, query: addressQuery } = useAddressSelect(customerId);

  const addresses = addressQuery.data?.data as Address[] | undefined;
  useEffect(() => {
    if (!customerId || !addresses) return;
    const chosen = form.getFieldValue('address_id') as string | undefined;
    if (chosen && addresses.some((a) => a.id === chosen)) return;
    form.setFieldValue('address_id', (addresses.find((a) => a.is_default) ?? addresses[0])?.id);
  }, [customerId, addresses, form]);

  return (
    <Row gutter={16}>
      <Col xs={24} md={12}>
        <Form.Item name="customer_id" label="Customer" rules={[{ required: true, message: 'Choose a customer.' }]} extra={customerExtra}>
          <Select
            {...customerSelect}
            showSearch
            placeholder="Search customers"
            disabled={locked}
            onChange={(v, o) => {
              customerSelect.onChange?.(v, o);
              form.setFieldValue('address_id', undefined);
            }}
          />
        </Form.Item>
      </Col>
      <Col xs={24} md={12}>
        <Form.Item name="address_id" label="Delivery address" rules={[{ required: true, message: 'Choose a delivery address.' }]}>
          <Select
            {...addressSelect}
            placeholder={customerId ? 'Choose an address' : 'Choose a customer first'}
            disabled={!customerId}
            notFoundContent={customerId ? 'This customer has no address yet: add one on the customer page.' : null}
          />
        </Form.Item>
      </Col>
    </Row>
  );
}
