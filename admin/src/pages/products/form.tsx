import { Create, Edit, useForm } from '@refinedev/antd';
import type { HttpError } from '@refinedev/core';
import { Form, Switch } from 'antd';
import type { Product } from '../../types';
import { CatalogueFields } from './fields';

export function ProductCreate() {
  const { formProps, saveButtonProps } = useForm<Product, HttpError, Partial<Product>>();
  return (
    <Create saveButtonProps={saveButtonProps}>
      <Form {...formProps} layout="vertical" style={{ maxWidth: 880 }}>
        <CatalogueFields withSku />
        <Form.Item name="is_active" label="Active (orderable)" valuePropName="checked" initialValue={true}>
          <Switch />
        </Form.Item>
      </Form>
    </Create>
  );
}

export function ProductEdit() {
  const { formProps, saveButtonProps, formLoading, onFinish } = useForm<Product, HttpError, Partial<Product>>();
  return (
    <Edit saveButtonProps={saveButtonProps} isLoading={formLoading}>
      <Form
        {...formProps}
        layout="vertical"
        style={{ maxWidth: 880 }}
        onFinish={({ name, sku, category, unit, unit_size, price_paise, hsn_code, gst_rate_bp, is_active }) =>
          onFinish({ name, sku, category, unit, unit_size, price_paise, hsn_code, gst_rate_bp, is_active })
        }
      >
        <CatalogueFields withSku />
        <Form.Item name="is_active" label="Active (orderable)" valuePropName="checked">
          <Switch />
        </Form.Item>
      </Form>
    </Edit>
  );
}
