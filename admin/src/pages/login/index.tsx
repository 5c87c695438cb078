import { LockOutlined, MailOutlined, SafetyOutlined, ShopOutlined } from '@ant-design/icons';
import { useIsAuthenticated, useLogin, useParsed } from '@refinedev/core';
import { NavigateToResource } from '@refinedev/react-router';
import { Navigate } from 'react-router';
import { Alert, Button, Card, Form, Input, Layout, Space, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { TotpCodeInput, totpCodeRules } from '../../components/StepUp';

interface Credentials {
  email: string;
  password: string;
  totp?: string;
  recovery_code?: string;
}

/** The second step, once the API answered that the password was right and a code is needed. */
type SecondFactor = 'totp' | 'recovery' | null;

export function LoginPage() {
  const { mutate: login, isPending, data } = useLogin<Credentials>();
  const [form] = Form.useForm<Credentials>();
  const [second, setSecond] = useState<SecondFactor>(null);
  // The answer whose message no longer applies (the user switched between code and recovery code since).
  const [dismissed, setDismissed] = useState<unknown>(null);
  // The API's own words: "Wrong email or password.", "Too many attempts ...", "That code is wrong ...".
  const failure = data && !data.success ? data.error : undefined;
  useEffect(() => {
    if (failure?.name === 'totp_required' || failure?.name === 'totp_invalid') setSecond((s) => s ?? 'totp');
  }, [failure]);
  const { data: auth } = useIsAuthenticated();
  // The page asked for before signing in (?to=, a path of this app only), else the customers. Once the sign-in succeeds
  // this renders as well as the login's own redirect: going elsewhere here lost the deep link when it rendered last.
  const to = useParsed<{ to?: string }>().params?.to;
  if (auth?.authenticated) return typeof to === 'string' && /^\/(?![/\\])/.test(to) ? <Navigate to={to} replace /> : <NavigateToResource resource="customers" />;
  // "Enter the code" is the next step, not an error; a wrong code or a lockout is.
  const error = failure && failure !== dismissed && failure.name !== 'totp_required' ? failure.message : undefined;
  const back = () => {
    setSecond(null);
    setDismissed(failure);
    form.setFieldsValue({ totp: undefined, recovery_code: undefined, password: undefined });
  };
  return (
    <Layout style={{ minHeight: '100vh', display: 'flex', alignItems: 'center', justifyContent: 'center', background: '#f0f5ff', padding: 12 }}>
      <Card style={{ width: 380, maxWidth: '100%', boxShadow: '0 4px 24px rgba(0,0,0,0.06)' }}>
        <Space direction="vertical" size={4} style={{ width: '100%', marginBottom: 24, textAlign: 'center' }}>
          <ShopOutlined style={{ fontSize: 36, color: '#1677ff' }} />
          <Typography.Title level={3} style={{ margin: 0 }}>
            Milkrun admin
          </Typography.Title>
          <Typography.Text type="secondary">{second ? 'Two-factor sign-in' : 'Sign in to the back office'}</Typography.Text>
        </Space>
        <Form<Credentials> form={form} layout="vertical" requiredMark={false} onFinish={(values) => login(values)} disabled={isPending}>
          {/* Kept (hidden) on the second step: the API checks the password and the code together. */}
          <Form.Item name="email" label="Email" hidden={second !== null} rules={[{ required: true, message: 'Enter your email.' }, { type: 'email', message: 'Enter a valid email.' }]}>
            <Input prefix={<MailOutlined />} placeholder="you@milkrun.test" autoComplete="username" autoFocus />
          </Form.Item>
          <Form.Item name="password" label="Password" hidden={second !== null} rules={[{ required: true, message: 'Enter your password.' }]}>
            <Input.Password prefix={<LockOutlined />} autoComplete="current-password" />
          </Form.Item>
          {second === 'totp' && (
            <Form.Item name="totp" label="Code from your authenticator app" rules={totpCodeRules} extra={`Signing in as ${form.getFieldValue('email') ?? ''}`}>
              <TotpCodeInput autoFocus aria-label="Code from your authenticator app" />
            </Form.Item>
          )}
          {second === 'recovery' && (
            <Form.Item
              name="recovery_code"
              label="Recovery code"
              rules={[{ required: true, whitespace: true, message: 'Enter one of your recovery codes.' }]}
              extra="Each recovery code works once."
            >
              <Input prefix={<SafetyOutlined />} placeholder="abcd-efgh-jkmn-pqrs" autoComplete="off" autoFocus style={{ fontFamily: 'monospace' }} />
            </Form.Item>
          )}
          {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 16 }} role="alert" />}
          <Button type="primary" htmlType="submit" block loading={isPending}>
            {second ? 'Verify' : 'Sign in'}
          </Button>
          {second && (
            <Space style={{ width: '100%', justifyContent: 'space-between', marginTop: 12 }} wrap>
              <Button
                type="link"
                style={{ padding: 0 }}
                onClick={() => {
                  form.setFieldsValue({ totp: undefined, recovery_code: undefined });
                  setDismissed(failure);
                  setSecond(second === 'totp' ? 'recovery' : 'totp');
                }}
              >
                {second === 'totp' ? 'Use a recovery code' : 'Use a code from the app'}
              </Button>
              <Button type="link" style={{ padding: 0 }} onClick={back}>
                Back
              </Button>
            </Space>
          )}
        </Form>
      </Card>
    </Layout>
  );
}
