import { useSelect } from '@refinedev/antd';
import { Alert, Form, Input, Radio, Select, Space, Typography, type FormInstance } from 'antd';
import { DateTime } from '../../components/DateTime';
import type { Role, Zone } from '../../types';
import type { PasswordLink } from '../../../../api/modules/access/users.schemas';
import { PASSWORD_HINT, passwordProblem } from '../../../../shared/password';

/** The roles as options, by name (the API takes role names); each shows what the role is for. */
export function RolesSelect(props: { value?: string[]; onChange?: (v: string[]) => void; placeholder?: string }) {
  const { query } = useSelect<Role>({ resource: 'roles', optionValue: 'name', optionLabel: 'name', sorters: [{ field: 'name', order: 'asc' }], pagination: { pageSize: 100 } });
  const roles = query.data?.data ?? [];
  return (
    <Select
      mode="multiple"
      allowClear
      loading={query.isLoading}
      placeholder={props.placeholder ?? 'Choose roles'}
      value={props.value}
      onChange={props.onChange}
      optionLabelProp="label"
      options={roles.map((r) => ({
        value: r.name,
        label: r.name.replace(/_/g, ' '),
        desc: r.description,
      }))}
      optionRender={(o) => (
        <Space direction="vertical" size={0}>
          <span>{String(o.label)}</span>
          {o.data.desc && (
            <Typography.Text type="secondary" style={{ fontSize: 12, whiteSpace: 'normal' }}>
              {o.data.desc}
            </Typography.Text>
          )}
        </Space>
      )}
      data-testid="roles-select"
    />
  );
}

/** The zones a user works in: roles with "own zones only" grants reach customers of these zones alone. */
export function ZonesSelect(props: { value?: string[]; onChange?: (v: string[]) => void }) {
  const { query } = useSelect<Zone>({ resource: 'zones', optionValue: 'id', optionLabel: 'name', sorters: [{ field: 'name', order: 'asc' }], pagination: { pageSize: 100 } });
  return (
    <Select
      mode="multiple"
      allowClear
      loading={query.isLoading}
      placeholder="No zones"
      value={props.value}
      onChange={props.onChange}
      optionFilterProp="label"
      options={(query.data?.data ?? []).map((z) => ({ value: z.id, label: z.name }))}
      data-testid="zones-select"
    />
  );
}

/**
 * A first (or new) password, or a one-time link: the radio `password_mode` and, for a typed one, the field with the
 * shared rule checked while typing (the API checks it again). `email` is the account's, for "not the email".
 */
export function PasswordChoice({ email, linkLabel }: { email?: string; linkLabel: string }) {
  const form = Form.useFormInstance();
  const mode = Form.useWatch('password_mode', form);
  return (
    <>
      <Form.Item name="password_mode" label="Password" initialValue="link">
        <Radio.Group
          options={[
            { value: 'link', label: linkLabel },
            { value: 'password', label: 'Type a password' },
          ]}
        />
      </Form.Item>
      {mode === 'password' ? (
        <Form.Item
          name="password"
          label="New password"
          extra={PASSWORD_HINT}
          rules={[
            { required: true, message: 'Type a password, or choose a link.' },
            {
              validator: (_, v?: string) => {
                const problem = v ? passwordProblem(v, email ?? form.getFieldValue('email') ?? '') : null;
                return problem ? Promise.reject(new Error(problem)) : Promise.resolve();
              },
            },
          ]}
        >
          <Input.Password autoComplete="new-password" data-testid="password-input" />
        </Form.Item>
      ) : (
        <Typography.Paragraph type="secondary" style={{ marginTop: -12 }}>
          You get a link to send to the user; they choose their own password with it. It works once, for 24 hours.
        </Typography.Paragraph>
      )}
    </>
  );
}

/** The link as the API answers it, once: the admin copies it now (only its hash is kept). */
export function PasswordLinkCard({ link, name }: { link: PasswordLink; name: string }) {
  const url = `${window.location.origin}${link.path}`;
  return (
    <Alert
      type="success"
      showIcon
      message={`Set-password link for ${name}`}
      description={
        <>
          <Typography.Paragraph copyable={{ text: url, tooltips: ['Copy link', 'Copied'] }} code style={{ wordBreak: 'break-all', marginBottom: 8 }} data-testid="password-link">
            {url}
          </Typography.Paragraph>
          <Typography.Text type="secondary">
            Shown only now: copy it and send it to {name} in a way you trust. It works once, until <DateTime value={link.expires_at} />.
          </Typography.Text>
        </>
      }
    />
  );
}

/**
 * The API's validation messages on the fields they name ("password: The password needs ...; roles: ..."), besides the
 * alert above the form that shows the whole message.
 */
export function showFieldErrors(form: FormInstance, message: string | undefined, fields: string[]) {
  if (!message) return;
  const found = message
    .split('; ')
    .map((part) => /^([a-z_]+)(?:\.\d+)?: (.*)$/.exec(part))
    .filter((m): m is RegExpExecArray => m !== null && fields.includes(m[1]));
  if (found.length) form.setFields(found.map((m) => ({ name: m[1], errors: [m[2]] })));
}
