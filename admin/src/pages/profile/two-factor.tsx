import { CheckCircleTwoTone, CopyOutlined, SafetyOutlined } from '@ant-design/icons';
import { type HttpError, useCustomMutation } from '@refinedev/core';
import { Alert, App, Button, Col, Form, Image, Input, Modal, Row, Space, Steps, Tag, Typography } from 'antd';
import { toDataURL } from 'qrcode';
import { useEffect, useState } from 'react';
import { TotpCodeInput, totpCodeRules } from '../../components/StepUp';

interface Enrolment {
  secret: string;
  otpauth_url: string;
  recovery_codes: string[];
}

/** The secret in groups of four, as authenticator apps show what to type. */
const grouped = (secret: string) => secret.match(/.{1,4}/g)?.join(' ') ?? secret;

/** Copies text to the clipboard and says so (the page is served over HTTPS or localhost, where the clipboard works). */
function CopyButton({ text, label, done }: { text: string; label: string; done: string }) {
  const { message } = App.useApp();
  return (
    <Button
      icon={<CopyOutlined />}
      onClick={() =>
        navigator.clipboard.writeText(text).then(
          () => message.success(done),
          () => message.error('Could not copy: select the text and copy it by hand.'),
        )
      }
    >
      {label}
    </Button>
  );
}

/** Enrolment in three steps: scan (or type) the secret, keep the recovery codes, confirm with a first code. */
function Enrol({ enrolment, onConfirmed, onCancel }: { enrolment: Enrolment; onConfirmed: () => void; onCancel: () => void }) {
  const [qr, setQr] = useState<string>();
  const [error, setError] = useState<string>();
  const { mutateAsync, mutation } = useCustomMutation<{ totp_enabled: true }>();
  useEffect(() => {
    void toDataURL(enrolment.otpauth_url, { margin: 1, width: 200 }).then(setQr);
  }, [enrolment.otpauth_url]);
  const confirm = async ({ code }: { code: string }) => {
    setError(undefined);
    try {
      await mutateAsync({ url: '/auth/totp/confirm', method: 'post', values: { code: code.trim() }, successNotification: false, errorNotification: false });
      onConfirmed();
    } catch (e) {
      setError((e as HttpError).message || 'Could not confirm the code.');
    }
  };
  return (
    <Steps
      direction="vertical"
      size="small"
      current={-1}
      items={[
        {
          title: 'Scan the QR code with your authenticator app',
          description: (
            <Row gutter={[24, 12]} style={{ margin: '8px 0 16px' }}>
              <Col flex="none">
                {qr ? <Image src={qr} width={200} height={200} preview={false} alt="QR code for your authenticator app" /> : <div style={{ width: 200, height: 200 }} />}
              </Col>
              <Col flex="1 1 240px">
                <Typography.Paragraph type="secondary" style={{ marginBottom: 4 }}>
                  Google Authenticator, Microsoft Authenticator, 1Password and others work. Cannot scan? Type this key (time-based, 6 digits):
                </Typography.Paragraph>
                <Typography.Text code copyable={{ text: enrolment.secret }} data-testid="totp-secret" style={{ fontSize: 15, wordBreak: 'break-all' }}>
                  {grouped(enrolment.secret)}
                </Typography.Text>
              </Col>
            </Row>
          ),
        },
        {
          title: 'Keep your recovery codes',
          description: (
            <div style={{ margin: '8px 0 16px' }}>
              <Alert
                type="warning"
                showIcon
                message="Shown only now"
                description="Each code signs you in once if you lose your phone. Store them somewhere safe, away from your phone."
                style={{ marginBottom: 12 }}
              />
              <div
                data-testid="recovery-codes"
                style={{ display: 'grid', gridTemplateColumns: 'repeat(auto-fill, minmax(190px, 1fr))', gap: '4px 16px', fontFamily: 'monospace', fontSize: 14, marginBottom: 12 }}
              >
                {enrolment.recovery_codes.map((c) => (
                  <span key={c}>{c}</span>
                ))}
              </div>
              <CopyButton text={enrolment.recovery_codes.join('\n')} label="Copy codes" done="Recovery codes copied" />
            </div>
          ),
        },
        {
          title: 'Enter the code your app shows',
          description: (
            <Form layout="inline" requiredMark={false} onFinish={confirm} style={{ margin: '8px 0', rowGap: 8 }} disabled={mutation.isPending}>
              <Form.Item name="code" rules={totpCodeRules}>
                <TotpCodeInput aria-label="Code from your authenticator app" />
              </Form.Item>
              <Space>
                <Button type="primary" htmlType="submit" loading={mutation.isPending}>
                  Turn on
                </Button>
                <Button onClick={onCancel}>Cancel</Button>
              </Space>
              {error && <Alert type="error" showIcon message={error} role="alert" style={{ width: '100%', marginTop: 8 }} />}
            </Form>
          ),
        },
      ]}
    />
  );
}

/** Turning it off asks for a current code (or a recovery code when the phone is gone). */
function DisableModal({ open, onClose, onDone }: { open: boolean; onClose: () => void; onDone: () => void }) {
  const [form] = Form.useForm<{ code?: string; recovery_code?: string }>();
  const [useRecovery, setUseRecovery] = useState(false);
  const [error, setError] = useState<string>();
  const { mutateAsync, mutation } = useCustomMutation<{ totp_enabled: false }>();
  useEffect(() => {
    if (open) {
      form.resetFields();
      setError(undefined);
      setUseRecovery(false);
    }
  }, [open, form]);
  const submit = async (values: { code?: string; recovery_code?: string }) => {
    setError(undefined);
    try {
      const payload = useRecovery ? { recovery_code: values.recovery_code?.trim() } : { code: values.code?.trim() };
      await mutateAsync({ url: '/auth/totp', method: 'delete', values: payload, successNotification: false, errorNotification: false });
      onDone();
    } catch (e) {
      setError((e as HttpError).message || 'Could not turn it off.');
    }
  };
  return (
    <Modal open={open} title="Turn off two-factor sign-in?" okText="Turn off" okButtonProps={{ danger: true }} confirmLoading={mutation.isPending} onOk={() => form.submit()} onCancel={onClose} destroyOnHidden>
      <Typography.Paragraph type="secondary">Signing in will need only your password. Your recovery codes stop working.</Typography.Paragraph>
      <Form form={form} layout="vertical" requiredMark={false} onFinish={submit} preserve={false}>
        {useRecovery ? (
          <Form.Item name="recovery_code" label="Recovery code" rules={[{ required: true, whitespace: true, message: 'Enter one of your recovery codes.' }]}>
            <Input autoFocus autoComplete="off" placeholder="abcd-efgh-jkmn-pqrs" style={{ fontFamily: 'monospace' }} />
          </Form.Item>
        ) : (
          <Form.Item name="code" label="Code from your authenticator app" rules={totpCodeRules}>
            <TotpCodeInput autoFocus />
          </Form.Item>
        )}
      </Form>
      <Button type="link" style={{ padding: 0 }} onClick={() => setUseRecovery((v) => !v)}>
        {useRecovery ? 'Use a code from the app' : 'Lost your phone? Use a recovery code'}
      </Button>
      {error && <Alert type="error" showIcon message={error} role="alert" style={{ marginTop: 12 }} />}
    </Modal>
  );
}

/** Two-factor sign-in of the signed-in user: its state, enrolment and turning it off. */
export function TwoFactorSection({ enabled, onChange }: { enabled: boolean; onChange: () => void }) {
  const [enrolment, setEnrolment] = useState<Enrolment | null>(null);
  const [disabling, setDisabling] = useState(false);
  const [error, setError] = useState<string>();
  const { message } = App.useApp();
  const { mutateAsync, mutation } = useCustomMutation<Enrolment>();
  const start = async () => {
    setError(undefined);
    try {
      const { data } = await mutateAsync({ url: '/auth/totp/enroll', method: 'post', values: {}, successNotification: false, errorNotification: false });
      setEnrolment(data);
    } catch (e) {
      setError((e as HttpError).message || 'Could not start the set-up.');
    }
  };
  if (enrolment) {
    return (
      <Enrol
        enrolment={enrolment}
        onCancel={() => setEnrolment(null)}
        onConfirmed={() => {
          setEnrolment(null);
          message.success('Two-factor sign-in is on');
          onChange();
        }}
      />
    );
  }
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      {enabled ? (
        <>
          <Space wrap>
            <CheckCircleTwoTone twoToneColor="#52c41a" />
            <Typography.Text>Signing in needs your password and a code from your authenticator app.</Typography.Text>
          </Space>
          <Button danger onClick={() => setDisabling(true)}>
            Turn off two-factor sign-in
          </Button>
        </>
      ) : (
        <>
          <Typography.Text>Add a second step to signing in: a 6-digit code from an app on your phone, so a stolen password alone is not enough.</Typography.Text>
          <Button type="primary" icon={<SafetyOutlined />} loading={mutation.isPending} onClick={start}>
            Set up two-factor sign-in
          </Button>
        </>
      )}
      {error && <Alert type="error" showIcon message={error} role="alert" />}
      <DisableModal
        open={disabling}
        onClose={() => setDisabling(false)}
        onDone={() => {
          setDisabling(false);
          message.success('Two-factor sign-in is off');
          onChange();
        }}
      />
    </Space>
  );
}

export const TwoFactorTag = ({ enabled }: { enabled: boolean }) => <Tag color={enabled ? 'green' : 'default'}>{enabled ? 'on' : 'off'}</Tag>;
