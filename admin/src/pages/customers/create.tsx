import { Create, useForm } from '@refinedev/antd';
import type { HttpError } from '@refinedev/core';
import { Divider, Form, Typography } from 'antd';
import type { Address, Customer } from '../../types';
import { AddressFields, cleanAddress } from './address-fields';
import { CustomerFields, cleanCustomer } from './customer-fields';

type CustomerInput = Partial<Customer> & { address?: Partial<Address> };

export function CustomerCreate() {
  const { formProps, saveButtonProps, onFinish } = useForm<Customer, HttpError, CustomerInput>({
    redirect: 'show',
  });
  return (
    <Create saveButtonProps={saveButtonProps}>
      <Form
        {...formProps}
        layout="vertical"
        style={{ maxWidth: 880 }}
        // Customer and first address go in one POST, so the API creates both in one transaction.
        onFinish={(values) => onFinish(cleanCustomer({ ...values, address: values.address && cleanAddress({ ...values.address, is_default: true }) }))}
      >
        <CustomerFields />
        <Divider orientation="left" orientationMargin={0}>
          First address
        </Divider>
        <Typography.Paragraph type="secondary">Where the milk is delivered. More addresses can be added from the customer page.</Typography.Paragraph>
        <AddressFields prefix={['address']} />
      </Form>
    </Create>
  );
}
