import { LockOutlined, MailOutlined, ShopOutlined } from '@ant-design/icons';
import { useIsAuthenticated, useLogin } from '@refinedev/core';
import { NavigateToResource } from '@refinedev/react-router';
import { Alert, Button, Card, Form, Input, Layout, Space, Typography } from 'antd';

interface Credentials {
  email: string;
  password: string;
}

export function LoginPage() {
  const { mutate: login, isPending, data } = useLogin<Credentials>();
  // The API's own words: "Wrong email or password.", "Too many attempts ...".
  const error = data && !data.success ? data.error?.message : undefined;
  const { data: auth } = useIsAuthenticated();
  if (auth?.authenticated) return <NavigateToResource resource="customers" />;
  return (
    <Layout style={{ minHeight: '100vh', display: 'flex', alignItems: 'center', justifyContent: 'center', background: '#f0f5ff' }}>
      <Card style={{ width: 380, boxShadow: '0 4px 24px rgba(0,0,0,0.06)' }}>
        <Space direction="vertical" size={4} style={{ width: '100%', marginBottom: 24, textAlign: 'center' }}>
          <ShopOutlined style={{ fontSize: 36, color: '#1677ff' }} />
          <Typography.Title level={3} style={{ margin: 0 }}>
            Milkrun admin
          </Typography.Title>
          <Typography.Text type="secondary">Sign in to the back office</Typography.Text>
        </Space>
        <Form<Credentials> layout="vertical" requiredMark={false} onFinish={(values) => login(values)} disabled={isPending}>
          <Form.Item name="email" label="Email" rules={[{ required: true, message: 'Enter your email.' }, { type: 'email', message: 'Enter a valid email.' }]}>
            <Input prefix={<MailOutlined />} placeholder="you@milkrun.test" autoComplete="username" autoFocus />
          </Form.Item>
          <Form.Item name="password" label="Password" rules={[{ required: true, message: 'Enter your password.' }]}>
            <Input.Password prefix={<LockOutlined />} autoComplete="current-password" />
          </Form.Item>
          {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 16 }} role="alert" />}
          <Button type="primary" htmlType="submit" block loading={isPending}>
            Sign in
          </Button>
        </Form>
      </Card>
    </Layout>
  );
}
