import { Form, Input, Modal } from 'antd';
import { type ReactNode, useEffect } from 'react';

interface ReasonModalProps {
  open: boolean;
  title: string;
  /** The danger button's words: "Reject", "Void invoice", "Mark failed". */
  okText: string;
  cancelText?: string;
  /** What happens, above the reason (a paragraph or an alert). */
  intro?: ReactNode;
  label?: string;
  placeholder: string;
  /** A required reason has at least 3 characters; `requiredMessage` is said when it is missing. */
  required?: boolean;
  requiredMessage?: string;
  rows?: number;
  confirmLoading?: boolean;
  onCancel: () => void;
  /** The trimmed reason ('' when optional and left empty). */
  onSubmit: (reason: string) => void;
}

/** Asks why before an irreversible action (reject, void, fail, cancel): one text field, kept by the API with the change. */
export function ReasonModal({
  open,
  title,
  okText,
  cancelText,
  intro,
  label = 'Reason',
  placeholder,
  required = true,
  requiredMessage = 'Give a reason.',
  rows = 3,
  confirmLoading,
  onCancel,
  onSubmit,
}: ReasonModalProps) {
  const [form] = Form.useForm<{ reason?: string }>();
  // A reopened dialog starts empty, not with the last reason typed.
  useEffect(() => {
    if (open) form.resetFields();
  }, [open, form]);
  const rules = required
    ? [{ required: true, message: requiredMessage }, { whitespace: true, min: 3, message: 'Give a reason of at least 3 characters.' }, { max: 500 }]
    : [{ max: 500 }];
  return (
    <Modal open={open} title={title} okText={okText} cancelText={cancelText} okButtonProps={{ danger: true }} confirmLoading={confirmLoading} onCancel={onCancel} onOk={() => form.submit()} destroyOnHidden>
      {intro}
      <Form form={form} layout="vertical" preserve={false} onFinish={({ reason }) => onSubmit(reason?.trim() ?? '')}>
        <Form.Item name="reason" label={label} rules={rules}>
          <Input.TextArea rows={rows} autoFocus={required} placeholder={placeholder} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
