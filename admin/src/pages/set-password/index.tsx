import { LockOutlined, ShopOutlined } from '@ant-design/icons';
import { type HttpError, useCustomMutation, useGo } from '@refinedev/core';
import { Alert, Button, Card, Form, Input, Layout, Result, Space, Typography } from 'antd';
import { useSearchParams } from 'react-router';
import { PASSWORD_HINT, passwordProblem } from '../../../../shared/password';

interface Values {
  password: string;
  again: string;
}

// Codes of a link that cannot be used (any more): the form gives way to what to do instead.
const deadLink = new Set(['link_used', 'link_expired', 'link_invalid', 'user_inactive']);

/** The page a one-time set-password link opens, without a login: the user chooses their password. */
export function SetPasswordPage() {
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const go = useGo();
  const { mutate, mutation } = useCustomMutation<{ ok: true; email: string }>();
  const error = mutation.error as (HttpError & { response?: { data?: { code?: string } } }) | null;
  const code = error?.response?.data?.code;
  const toLogin = (
    <Button type="primary" onClick={() => go({ to: '/login' })}>
      Go to sign in
    </Button>
  );

  let body;
  if (!token) body = <Result status="warning" title="This link is incomplete" subTitle="Open the whole link you were sent, or ask an admin for a new one." extra={toLogin} />;
  else if (mutation.isSuccess)
    body = <Result status="success" title="Your password is set" subTitle={`Sign in as ${mutation.data.data.email} with it.`} extra={toLogin} />;
  else if (code && deadLink.has(code)) body = <Result status="warning" title="This link cannot be used" subTitle={error?.message} extra={toLogin} />;
  else
    body = (
      <Form<Values>
        layout="vertical"
        requiredMark={false}
        disabled={mutation.isPending}
        onFinish={({ password }) =>
          mutate({ url: '/auth/set-password', method: 'post', values: { token, password }, successNotification: false, errorNotification: false })
        }
      >
        <Form.Item
          name="password"
          label="New password"
          extra={PASSWORD_HINT}
          rules={[
            { required: true, message: 'Choose a password.' },
            {
              validator: (_, v?: string) => {
                // The email is not known here: the API adds "not the email" when it checks.
                const problem = v ? passwordProblem(v, '') : null;
                return problem ? Promise.reject(new Error(problem)) : Promise.resolve();
              },
            },
          ]}
        >
          <Input.Password prefix={<LockOutlined />} autoComplete="new-password" autoFocus />
        </Form.Item>
        <Form.Item
          name="again"
          label="The same again"
          dependencies={['password']}
          rules={[
            { required: true, message: 'Type the password again.' },
            ({ getFieldValue }) => ({
              validator: (_, v?: string) => (!v || v === getFieldValue('password') ? Promise.resolve() : Promise.reject(new Error('The two passwords differ.'))),
            }),
          ]}
        >
          <Input.Password prefix={<LockOutlined />} autoComplete="new-password" />
        </Form.Item>
        {error && <Alert type="error" showIcon message={error.message} style={{ marginBottom: 16 }} role="alert" />}
        <Button type="primary" htmlType="submit" block loading={mutation.isPending}>
          Set password
        </Button>
      </Form>
    );

  return (
    <Layout style={{ minHeight: '100vh', display: 'flex', alignItems: 'center', justifyContent: 'center', background: '#f0f5ff', padding: 16 }}>
      <Card style={{ width: '100%', maxWidth: 420, boxShadow: '0 4px 24px rgba(0,0,0,0.06)' }}>
        <Space direction="vertical" size={4} style={{ width: '100%', marginBottom: 24, textAlign: 'center' }}>
          <ShopOutlined style={{ fontSize: 36, color: '#1677ff' }} />
          <Typography.Title level={3} style={{ margin: 0 }}>
            Choose your password
          </Typography.Title>
          <Typography.Text type="secondary">Milkrun admin</Typography.Text>
        </Space>
        {body}
      </Card>
    </Layout>
  );
}
