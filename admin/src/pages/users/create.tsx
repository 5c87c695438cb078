import { Create, useForm } from '@refinedev/antd';
import { type HttpError, useGo } from '@refinedev/core';
import { Alert, Button, Col, Form, Input, Modal, Row } from 'antd';
import { useState } from 'react';
import type { CreatedUser } from '../../../../api/modules/access/users.schemas';
import { PasswordChoice, PasswordLinkCard, RolesSelect, showFieldErrors, ZonesSelect } from './fields';

type Created = CreatedUser;
interface UserInput {
  name: string;
  email: string;
  roles: string[];
  zone_ids?: string[];
  password_mode: 'link' | 'password';
  password?: string;
}

/** A new user: name, email, roles, and a first password or (the default) a one-time link shown once to copy. */
export function UserCreate() {
  const go = useGo();
  const [created, setCreated] = useState<Created | null>(null);
  const { formProps, saveButtonProps, onFinish, mutation, form } = useForm<Created, HttpError, Record<string, unknown>>({
    redirect: false,
    errorNotification: false,
    // With a link, the dialog below says it all (a notice would cover it on a phone).
    successNotification: (data) => {
      const user = data?.data as Created | undefined;
      return user?.set_password_link ? false : { type: 'success', description: `${user?.name ?? 'The user'} added`, message: 'They can sign in with the password you typed.' };
    },
    onMutationSuccess: ({ data }) => {
      if (data.set_password_link) setCreated(data);
      else go({ to: { resource: 'users', action: 'show', id: data.id } });
    },
    onMutationError: (error) => showFieldErrors(form, error.message, ['name', 'email', 'roles', 'password']),
  });
  const submit = ({ name, email, roles, zone_ids = [], password_mode, password }: UserInput) =>
    onFinish(password_mode === 'password' ? { name, email, roles, zone_ids, password } : { name, email, roles, zone_ids, send_link: true }).catch(() => undefined);

  return (
    <Create saveButtonProps={saveButtonProps} title="Add user">
      {mutation.error && <Alert type="error" showIcon style={{ marginBottom: 16, maxWidth: 880 }} message="Not created" description={mutation.error.message} data-testid="server-error" />}
      <Form {...formProps} layout="vertical" style={{ maxWidth: 880 }} onFinish={(v) => submit(v as unknown as UserInput)}>
        <Row gutter={16}>
          <Col xs={24} md={12}>
            <Form.Item name="name" label="Name" rules={[{ required: true, whitespace: true, message: 'Enter a name.' }, { max: 120 }]}>
              <Input placeholder="Shreya Rao" autoComplete="off" />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="email" label="Email" extra="They sign in with it; it cannot be changed later." rules={[{ required: true, message: 'Enter an email.' }, { type: 'email', message: 'Enter a valid email.' }]}>
              <Input placeholder="shreya@yourdairy.in" autoComplete="off" inputMode="email" />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item name="roles" label="Roles" extra="What they may do; several roles add up." rules={[{ required: true, type: 'array', min: 1, message: 'Choose at least one role.' }]}>
          <RolesSelect />
        </Form.Item>
        <Form.Item name="zone_ids" label="Zones" extra="Where they work: a role limited to own zones reaches customers of these zones only.">
          <ZonesSelect />
        </Form.Item>
        <PasswordChoice linkLabel="Send a set-password link" />
      </Form>
      <Modal
        open={created !== null}
        title="User created"
        closable={false}
        maskClosable={false}
        footer={
          <Button type="primary" onClick={() => created && go({ to: { resource: 'users', action: 'show', id: created.id } })}>
            I have copied the link
          </Button>
        }
      >
        {created?.set_password_link && <PasswordLinkCard link={created.set_password_link} name={created.name} />}
      </Modal>
    </Create>
  );
}
