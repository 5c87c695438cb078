import { Edit, useForm } from '@refinedev/antd';
import type { HttpError } from '@refinedev/core';
import { Form } from 'antd';
import type { Customer } from '../../types';
import { CustomerFields, cleanCustomer } from './customer-fields';

export function CustomerEdit() {
  const { formProps, saveButtonProps, formLoading, query, onFinish } = useForm<Customer, HttpError, Partial<Customer>>({ redirect: 'show' });
  return (
    <Edit saveButtonProps={saveButtonProps} isLoading={formLoading}>
      <Form
        {...formProps}
        layout="vertical"
        style={{ maxWidth: 880 }}
        onFinish={({ name, phone, email, zone_id, status, language, notes }) => onFinish(cleanCustomer({ name, phone, email, zone_id, status, language, notes }))}
      >
        <CustomerFields zoneId={query?.data?.data.zone_id} action="edit" />
      </Form>
    </Edit>
  );
}
