import { Create, Edit, useForm } from '@refinedev/antd';
import { Form, Input } from 'antd';
import type { Zone } from '../../types';

function ZoneFields() {
  return (
    <Form.Item name="name" label="Name" rules={[{ required: true, whitespace: true, message: 'Enter a zone name.' }, { max: 80 }]}>
      <Input placeholder="e.g. Whitefield" autoFocus />
    </Form.Item>
  );
}

export function ZoneCreate() {
  const { formProps, saveButtonProps } = useForm<Zone>();
  return (
    <Create saveButtonProps={saveButtonProps}>
      <Form {...formProps} layout="vertical" style={{ maxWidth: 480 }}>
        <ZoneFields />
      </Form>
    </Create>
  );
}

export function ZoneEdit() {
  const { formProps, saveButtonProps, formLoading } = useForm<Zone>();
  return (
    <Edit saveButtonProps={saveButtonProps} isLoading={formLoading} title="Rename zone">
      <Form {...formProps} layout="vertical" style={{ maxWidth: 480 }} onFinish={(v) => formProps.onFinish?.({ name: (v as Zone).name })}>
        <ZoneFields />
      </Form>
    </Edit>
  );
}
