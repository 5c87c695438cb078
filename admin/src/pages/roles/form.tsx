import { Create, Edit, useForm } from '@refinedev/antd';
import type { HttpError } from '@refinedev/core';
import { Alert, Col, Form, Input, Row, Switch, Typography } from 'antd';
import type { Role } from '../../types';
import { type Grant, PermissionMatrix } from './matrix';

interface RoleInput {
  name: string;
  description: string;
  requires_totp: boolean;
  permissions: Grant[];
}

// The API's rule (CHECK roles_name_format), checked while typing.
const NAME_RULE = /^[a-z][a-z0-9_]{1,39}$/;

function RoleFields({ adminRole }: { adminRole: boolean }) {
  return (
    <>
      <Row gutter={16}>
        <Col xs={24} md={8}>
          <Form.Item
            name="name"
            label="Name"
            extra={adminRole ? 'The admin role keeps its name.' : 'Lowercase letters, digits and _ (typed on the command line: --role name).'}
            rules={[
              { required: true, message: 'Enter a name.' },
              { pattern: NAME_RULE, message: 'A role name is 2 to 40 lowercase letters, digits or _, starting with a letter (e.g. auditor, zone_manager).' },
            ]}
          >
            <Input placeholder="auditor" disabled={adminRole} autoComplete="off" />
          </Form.Item>
        </Col>
        <Col xs={24} md={12}>
          <Form.Item name="description" label="What it is for" rules={[{ max: 200, message: 'At most 200 characters.' }]}>
            <Input placeholder="Reads everything, changes nothing" />
          </Form.Item>
        </Col>
        <Col xs={24} md={4}>
          <Form.Item name="requires_totp" label="Two-factor sign-in" valuePropName="checked" extra="When required, members sign in with a code.">
            <Switch checkedChildren="required" unCheckedChildren="optional" />
          </Form.Item>
        </Col>
      </Row>
      <Typography.Title level={5}>Permissions</Typography.Title>
      <Typography.Paragraph type="secondary">
        Tick what the role may do. The gear beside a ticked box sets its conditions where the API enforces them: own records, own zones, an amount
        limit, a fresh two-factor code. Changes apply to the role&apos;s members on their next request.
      </Typography.Paragraph>
      <Form.Item name="permissions" noStyle>
        <PermissionMatrix adminRole={adminRole} />
      </Form.Item>
    </>
  );
}

const body = (v: RoleInput) => ({
  name: v.name,
  description: v.description ?? '',
  requires_totp: Boolean(v.requires_totp),
  permissions: (v.permissions ?? []).map((g) => ({ resource: g.resource, action: g.action, conditions: g.conditions ?? null })),
});

export function RoleCreate() {
  const { formProps, saveButtonProps, onFinish, mutation } = useForm<Role, HttpError, Record<string, unknown>>({ redirect: 'show', errorNotification: false });
  return (
    <Create saveButtonProps={saveButtonProps} title="New role">
      {mutation.error && <Alert type="error" showIcon style={{ marginBottom: 16 }} message="Not created" description={mutation.error.message} data-testid="server-error" />}
      <Form
        {...formProps}
        layout="vertical"
        initialValues={{ description: '', requires_totp: false, permissions: [] }}
        onFinish={(v) => onFinish(body(v as unknown as RoleInput)).catch(() => undefined)}
      >
        <RoleFields adminRole={false} />
      </Form>
    </Create>
  );
}

export function RoleEdit() {
  const { formProps, saveButtonProps, onFinish, mutation, query, formLoading } = useForm<Role, HttpError, Record<string, unknown>>({ redirect: 'show', errorNotification: false });
  const role = query?.data?.data;
  const adminRole = role?.name === 'admin';
  return (
    <Edit saveButtonProps={saveButtonProps} isLoading={formLoading} title={role ? `Edit role: ${role.name}` : 'Edit role'} canDelete={false}>
      {mutation.error && <Alert type="error" showIcon style={{ marginBottom: 16 }} message="Not saved" description={mutation.error.message} data-testid="server-error" />}
      <Form
        {...formProps}
        layout="vertical"
        onFinish={(v) => {
          const { name, ...rest } = body(v as unknown as RoleInput);
          return onFinish(adminRole ? rest : { name, ...rest }).catch(() => undefined);
        }}
      >
        <RoleFields adminRole={adminRole} />
      </Form>
    </Edit>
  );
}
