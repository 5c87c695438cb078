import { Create, useForm } from '@refinedev/antd';
import type { HttpError } from '@refinedev/core';
import { Form, Input, Typography } from 'antd';
import type { ProductRequest } from '../../types';
import { CatalogueFields } from '../products/fields';

export function ProductRequestCreate() {
  const { formProps, saveButtonProps } = useForm<ProductRequest, HttpError, Partial<ProductRequest>>({
    successNotification: (data) => ({ type: 'success', description: 'Request sent', message: `${data?.data.name ?? 'The product'} waits for a manager's approval.` }),
  });
  return (
    <Create saveButtonProps={saveButtonProps} title="New product request">
      <Typography.Paragraph type="secondary">Ask for a product to be added to the catalogue. A manager or admin approves it; the SKU is assigned then.</Typography.Paragraph>
      <Form {...formProps} layout="vertical" style={{ maxWidth: 880 }}>
        <CatalogueFields />
        <Form.Item name="note" label="Why / supplier details" rules={[{ max: 1000 }]}>
          <Input.TextArea rows={3} placeholder="Customers in Koramangala ask for it; supplier delivers by 6 am." />
        </Form.Item>
      </Form>
    </Create>
  );
}
