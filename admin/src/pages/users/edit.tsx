import { Edit, useForm } from '@refinedev/antd';
import type { HttpError } from '@refinedev/core';
import { Alert, App, Col, Form, Input, Row, Switch, Typography } from 'antd';
import type { User } from '../../types';
import { RolesSelect, showFieldErrors, ZonesSelect } from './fields';

type UserInput = Pick<User, 'name' | 'roles' | 'is_active' | 'zone_ids'>;

/** Name, roles and the active switch; deactivating asks first, as it signs the user out at once. */
export function UserEdit() {
  const { modal } = App.useApp();
  const { formProps, saveButtonProps, onFinish, query, formLoading, mutation, form } = useForm<User, HttpError, UserInput>({
    redirect: 'show',
    errorNotification: false,
    onMutationError: (error) => showFieldErrors(form, error.message, ['name', 'roles']),
  });
  const record = query?.data?.data;
  const active = Form.useWatch('is_active', form);

  const save = ({ name, roles, is_active, zone_ids }: UserInput) => {
    const send = () => onFinish({ name, roles, is_active, zone_ids: zone_ids ?? [] }).catch(() => undefined);
    if (record?.is_active && !is_active) {
      modal.confirm({
        title: `Deactivate ${record.name}?`,
        content: 'They are signed out everywhere at once and cannot sign in until reactivated. Their history stays.',
        okText: 'Deactivate',
        okButtonProps: { danger: true },
        onOk: send,
      });
      return;
    }
    return send();
  };

  return (
    <Edit saveButtonProps={saveButtonProps} isLoading={formLoading} title={record ? `Edit ${record.name}` : 'Edit user'}>
      {mutation.error && <Alert type="error" showIcon style={{ marginBottom: 16, maxWidth: 880 }} message="Not saved" description={mutation.error.message} data-testid="server-error" />}
      <Form {...formProps} layout="vertical" style={{ maxWidth: 880 }} onFinish={(v) => save(v as UserInput)}>
        <Row gutter={16}>
          <Col xs={24} md={12}>
            <Form.Item name="name" label="Name" rules={[{ required: true, whitespace: true, message: 'Enter a name.' }, { max: 120 }]}>
              <Input />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item label="Email" extra="The sign-in name; it cannot be changed.">
              <Input value={record?.email} disabled />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item name="roles" label="Roles" extra="A removed role stops working on their very next request.">
          <RolesSelect placeholder="No role: they can sign in but do nothing" />
        </Form.Item>
        <Form.Item name="zone_ids" label="Zones" extra="Where they work: a role limited to own zones reaches customers of these zones only.">
          <ZonesSelect />
        </Form.Item>
        <Form.Item name="is_active" label="Active" valuePropName="checked" extra={active === false ? undefined : 'Switch off to deactivate: they are signed out at once.'}>
          <Switch checkedChildren="active" unCheckedChildren="inactive" />
        </Form.Item>
        {record?.is_active && active === false && (
          <Typography.Paragraph type="warning" data-testid="deactivate-warning">
            Saving deactivates {record.name}: they are signed out everywhere at once.
          </Typography.Paragraph>
        )}
      </Form>
    </Edit>
  );
}
