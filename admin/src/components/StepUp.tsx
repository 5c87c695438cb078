import { SafetyOutlined } from '@ant-design/icons';
import { Alert, Form, Input, Modal, Space, Typography } from 'antd';
import { useEffect, useState } from 'react';

interface Pending {
  message: string;
  resolve: (code: string | null) => void;
}

let ask: ((message: string) => Promise<string | null>) | null = null;

/** Asks the signed-in user for a code of their authenticator app; null when they cancel (or no prompt is mounted). */
export function askForStepUpCode(message: string): Promise<string | null> {
  return ask ? ask(message) : Promise.resolve(null);
}

/** The 6-digit field of a second-factor code: digits only, what phones offer to fill from an SMS or an app. */
export function TotpCodeInput(props: { autoFocus?: boolean; 'aria-label'?: string }) {
  return <Input inputMode="numeric" autoComplete="one-time-code" maxLength={6} placeholder="123456" style={{ fontFamily: 'monospace', letterSpacing: 4 }} {...props} />;
}

export const totpCodeRules = [
  { required: true, message: 'Enter the 6-digit code.' },
  { pattern: /^\d{6}$/, message: 'The code is the 6 digits your authenticator app shows.' },
];

/**
 * The admin's one step-up dialog, mounted once in App. Any request the API answers 403 step_up_required opens it
 * (providers/stepUp.ts) and, with the code typed, is sent again: a page needs nothing of its own for an action that
 * needs a fresh second factor (refund and payout approvals use it as they come). A wrong code asks again.
 */
export function StepUpPrompt() {
  const [pending, setPending] = useState<Pending | null>(null);
  const [form] = Form.useForm<{ code: string }>();
  useEffect(() => {
    ask = (message) => new Promise((resolve) => setPending({ message, resolve }));
    return () => {
      ask = null;
    };
  }, []);
  useEffect(() => {
    if (pending) form.resetFields();
  }, [pending, form]);
  const close = (code: string | null) => {
    pending?.resolve(code);
    setPending(null);
  };
  return (
    <Modal
      open={pending !== null}
      title={
        <Space>
          <SafetyOutlined />
          Confirm with your authenticator app
        </Space>
      }
      okText="Confirm"
      onOk={() => form.submit()}
      onCancel={() => close(null)}
      destroyOnHidden
      width={400}
    >
      <Typography.Paragraph type="secondary">This action needs a fresh code from your authenticator app. Each code works once.</Typography.Paragraph>
      {pending?.message && /wrong|used/i.test(pending.message) && <Alert type="error" showIcon message={pending.message} style={{ marginBottom: 16 }} role="alert" />}
      <Form form={form} layout="vertical" requiredMark={false} onFinish={({ code }) => close(code.trim())}>
        <Form.Item name="code" label="Code" rules={totpCodeRules}>
          <TotpCodeInput autoFocus aria-label="Authenticator code" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
