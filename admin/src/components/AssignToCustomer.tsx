import { type HttpError, useCustomMutation } from '@refinedev/core';
import { Alert, Button, Form, Modal, Select } from 'antd';
import { type ReactNode, useState } from 'react';
import { useCustomerSelect } from '../pages/orders/pickers';

/**
 * An Assign button and its modal for something that arrived without a known customer (a gateway payment, a WhatsApp
 * message): pick the customer, read what assigning does, confirm. The caller decides who sees the button.
 */
export function AssignToCustomer(props: {
  /** The POST that assigns; it takes { customer_id }. */
  url: string;
  title: string;
  /** What the modal says about the thing being assigned, above the picker. */
  children?: ReactNode;
  /** What assigning it to this customer does, shown before the final yes. */
  warning: (customer: string) => string;
  /** The success notification's text. */
  assigned: (customer: string) => string;
  /** The error notification's title. */
  failed: string;
  /** Refreshes what the assignment changed (lists, details), whether it succeeded or not. */
  refresh: () => Promise<unknown>;
  size?: 'small' | 'middle';
  testId?: string;
}) {
  const [open, setOpen] = useState(false);
  const [customer, setCustomer] = useState<string | undefined>();
  const [label, setLabel] = useState('');
  const [confirming, setConfirming] = useState(false);
  const { selectProps } = useCustomerSelect();
  const { mutateAsync, mutation } = useCustomMutation();
  const close = () => {
    setOpen(false);
    setConfirming(false);
    setCustomer(undefined);
  };
  const assign = async () => {
    try {
      await mutateAsync({
        url: props.url,
        method: 'post',
        values: { customer_id: customer },
        successNotification: { type: 'success', message: 'Assigned', description: props.assigned(label) },
        errorNotification: (error?: HttpError) => ({ type: 'error', message: error?.message ?? 'The server did not answer.', description: props.failed }),
      });
      close();
    } catch {
      setConfirming(false);
    } finally {
      await props.refresh();
    }
  };
  return (
    <>
      <Button size={props.size} type="primary" onClick={() => setOpen(true)} data-testid={props.testId}>
        Assign
      </Button>
      <Modal
        open={open}
        title={props.title}
        okText={confirming ? `Yes, assign to ${label}` : 'Assign…'}
        okButtonProps={{ disabled: !customer, danger: confirming }}
        confirmLoading={mutation.isPending}
        onCancel={close}
        onOk={() => (confirming ? void assign() : setConfirming(true))}
        destroyOnHidden
      >
        {props.children}
        <Form
          layout="vertical"
          onValuesChange={(_, all: { customer_id?: string }) => {
            // A different customer is a new question: back to the first step.
            setCustomer(all.customer_id);
            const option = (selectProps.options ?? []).find((o) => o.value === all.customer_id);
            setLabel(String(option?.label ?? 'the customer'));
            setConfirming(false);
          }}
        >
          <Form.Item label="Customer" name="customer_id" required>
            <Select {...selectProps} placeholder="Search by name or phone" data-testid="assign-customer" />
          </Form.Item>
        </Form>
        {confirming && <Alert type="warning" showIcon message={props.warning(label)} />}
      </Modal>
    </>
  );
}
