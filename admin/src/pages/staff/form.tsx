import { Create, Edit, useForm, useSelect } from '@refinedev/antd';
import { type HttpError, useCan } from '@refinedev/core';
import { Alert, Col, Form, Input, Row, Select, Switch } from 'antd';
import { isIndianMobile, MOBILE_HINT } from '../../format';
import type { User } from '../../types';
import type { Staff } from './types';
import { ZoneSelect } from '../../components/FilterBar';

type StaffInput = Pick<Staff, 'name' | 'phone' | 'zone_id' | 'user_id' | 'is_active'>;

/**
 * Clearing a select leaves undefined; the API wants null for "no zone" / "no login". Without the login picker
 * (only admins may list users) user_id is left out, so saving never unlinks a login nobody saw.
 */
const clean = (v: Partial<StaffInput>, withLogin: boolean): Partial<StaffInput> => {
  const out: Partial<StaffInput> = { ...v, zone_id: v.zone_id ?? null, user_id: v.user_id ?? null };
  if (!withLogin) delete out.user_id;
  return out;
};

/** A refused save is shown in the alert above the form (the API's message), not as an unhandled rejection. */
const shownAbove = () => undefined;

const useCanLinkLogin = () => Boolean(useCan({ resource: 'users', action: 'list' }).data?.can);

function StaffFields({ zoneId, userId, editing }: { zoneId?: string | null; userId?: string | null; editing?: boolean }) {
  // Only admins may list users; others see no login picker (the link stays as it is).
  const canListUsers = useCanLinkLogin();
  const { selectProps: userSelect } = useSelect<User>({
    resource: 'users',
    optionLabel: (u) => `${u.name} · ${u.email}`,
    optionValue: 'id',
    defaultValue: userId ?? undefined,
    sorters: [{ field: 'email', order: 'asc' }],
    pagination: { pageSize: 50 },
    onSearch: (value) => [{ field: 'q', operator: 'eq', value: value || undefined }],
    queryOptions: { enabled: canListUsers },
  });
  return (
    <>
      <Row gutter={16}>
        <Col xs={24} md={12}>
          <Form.Item name="name" label="Name" rules={[{ required: true, whitespace: true, message: "Enter the staff member's name." }, { max: 120 }]}>
            <Input placeholder="Ravi Kumar" />
          </Form.Item>
        </Col>
        <Col xs={24} md={12}>
          <Form.Item
            name="phone"
            label="Mobile"
            extra="10 digits; +91, 0 and spaces are fine."
            rules={[
              { required: true, message: 'Enter the mobile number.' },
              { validator: (_, v?: string) => (!v || isIndianMobile(v) ? Promise.resolve() : Promise.reject(new Error(MOBILE_HINT))) },
            ]}
          >
            <Input placeholder="98450 12345" inputMode="tel" />
          </Form.Item>
        </Col>
      </Row>
      <Row gutter={16}>
        <Col xs={24} md={12}>
          <Form.Item name="zone_id" label="Home zone" extra="New orders in this zone are assigned to them by default.">
            <ZoneSelect current={zoneId} allowClear placeholder="No zone" />
          </Form.Item>
        </Col>
        {canListUsers && (
          <Col xs={24} md={12}>
            <Form.Item name="user_id" label="App login" extra="A user with the delivery staff role, to confirm their own deliveries through the API.">
              <Select {...userSelect} allowClear placeholder="No login" />
            </Form.Item>
          </Col>
        )}
      </Row>
      {editing && (
        <Form.Item name="is_active" label="Active" valuePropName="checked">
          <Switch />
        </Form.Item>
      )}
    </>
  );
}

export function StaffCreate() {
  const { formProps, saveButtonProps, onFinish, mutation } = useForm<Staff, HttpError, Partial<StaffInput>>({ redirect: 'list', errorNotification: false });
  const withLogin = useCanLinkLogin();
  return (
    <Create saveButtonProps={saveButtonProps} title="Add staff member">
      {mutation.error && <Alert type="error" showIcon style={{ marginBottom: 16, maxWidth: 880 }} message="Not saved" description={mutation.error.message} />}
      <Form {...formProps} layout="vertical" style={{ maxWidth: 880 }} onFinish={(v) => onFinish(clean({ ...v, is_active: true }, withLogin)).catch(shownAbove)}>
        <StaffFields />
      </Form>
    </Create>
  );
}

export function StaffEdit() {
  const { formProps, saveButtonProps, onFinish, query, formLoading, mutation } = useForm<Staff, HttpError, Partial<StaffInput>>({ redirect: 'list', errorNotification: false });
  const record = query?.data?.data;
  const withLogin = useCanLinkLogin();
  return (
    <Edit saveButtonProps={saveButtonProps} isLoading={formLoading} title={record ? `Edit ${record.name}` : 'Edit staff member'}>
      {mutation.error && <Alert type="error" showIcon style={{ marginBottom: 16, maxWidth: 880 }} message="Not saved" description={mutation.error.message} />}
      <Form
        {...formProps}
        layout="vertical"
        style={{ maxWidth: 880 }}
        onFinish={({ name, phone, zone_id, user_id, is_active }) => onFinish(clean({ name, phone, zone_id, user_id, is_active }, withLogin)).catch(shownAbove)}
      >
        <StaffFields zoneId={record?.zone_id} userId={record?.user_id} editing />
      </Form>
    </Edit>
  );
}
