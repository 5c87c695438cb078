import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { Create, CreateButton, Edit, EditButton, getDefaultSortOrder, List, useForm, useTable } from '@refinedev/antd';
import type { HttpError } from '@refinedev/core';
import { Button, Checkbox, Empty, Form, Input, InputNumber, Select, Space, Switch, Table, Tag, Typography } from 'antd';
import { FilterBar, FilterSearch } from '../../components/FilterBar';
import { filterValue } from '../../components/filters';
import { withTotal } from '../../components/listTotal';
import { QueryError } from '../../components/QueryError';
import { usePhoneTable } from '../../components/responsive';
import { formatPaise, paiseToRupees, rupeesToPaise } from '../../format';
import { gstinProblem } from '../../../../shared/supplier';
import { type Supplier, useProductSelect } from './shared';

export function SupplierList() {
  const { tableProps, sorters, filters, searchFormProps, tableQuery } = useTable<Supplier, HttpError, { q?: string }>({
    sorters: { initial: [{ field: 'name', order: 'asc' }] },
    pagination: { pageSize: 25 },
    onSearch: ({ q }) => [{ field: 'q', operator: 'eq', value: q?.trim() || undefined }],
  });
  const initial = { q: filterValue(filters, 'q', 'eq') };
  const phoneTable = usePhoneTable();
  return (
    <List title="Suppliers" headerButtons={<CreateButton>New supplier</CreateButton>}>
      <FilterBar form={searchFormProps} initialValues={initial} cleared={{ q: undefined }} active={Boolean(initial.q)}>
        <FilterSearch name="q" placeholder="Name, GSTIN or contact" width={260} />
      </FilterBar>
      <QueryError error={tableQuery.error} onRetry={() => tableQuery.refetch()} />
      <Table<Supplier> {...withTotal(tableProps, tableQuery.data)} rowKey="id" scroll={{ x: 800 }} {...phoneTable.table} locale={{ emptyText: <Empty description={initial.q ? 'No supplier matches' : 'No suppliers yet'} /> }}>
        <Table.Column<Supplier> dataIndex="name" title="Name" sorter defaultSortOrder={getDefaultSortOrder('name', sorters)} render={(v: string, r) => <>{v} {!r.is_active && <Tag>Inactive</Tag>}</>} />
        <Table.Column<Supplier> dataIndex="gstin" title="GSTIN" render={(v: string) => <span style={{ fontFamily: 'monospace' }}>{v}</span>} />
        <Table.Column<Supplier> dataIndex="contact_name" title="Contact" render={(v: string, r) => <>{v || '—'}<br /><Typography.Text type="secondary" style={{ fontSize: 12 }}>{r.phone}</Typography.Text></>} />
        <Table.Column<Supplier>
          dataIndex="products"
          title="Supplies"
          render={(p: Supplier['products']) => (p.length ? <Space size={[0, 4]} wrap>{p.map((x) => <Tag key={x.product_id} color={x.is_preferred ? 'blue' : undefined}>{x.product_name} · {formatPaise(x.price_paise)}</Tag>)}</Space> : '—')}
        />
        <Table.Column<Supplier> title="Actions" key="actions" width={1} {...phoneTable.actions} render={(_, r) => <EditButton hideText size="small" recordItemId={r.id} />} />
      </Table>
    </List>
  );
}

interface ProductLine {
  product_id?: string;
  price_rupees?: number;
  lead_time_days?: number;
  pack_size?: number;
  pack_label?: string;
  is_preferred?: boolean;
}
type SupplierValues = Omit<Partial<Supplier>, 'products'> & { products?: ProductLine[] };

const toForm = (s: Supplier | undefined): SupplierValues | undefined =>
  s && { ...s, products: s.products.map((p) => ({ ...p, price_rupees: paiseToRupees(p.price_paise) })) };
const toApi = (v: SupplierValues) => ({
  name: v.name,
  gstin: v.gstin?.trim().toUpperCase(),
  contact_name: v.contact_name ?? '',
  phone: v.phone ?? '',
  email: v.email ?? '',
  address: v.address ?? '',
  is_active: v.is_active ?? true,
  products: (v.products ?? []).map((p) => ({ product_id: p.product_id, price_paise: rupeesToPaise(p.price_rupees ?? 0), lead_time_days: p.lead_time_days ?? 1, pack_size: p.pack_size ?? 1, pack_label: p.pack_label ?? '', is_preferred: Boolean(p.is_preferred) })),
});

function SupplierFields() {
  const productSelect = useProductSelect();
  const form = Form.useFormInstance();
  return (
    <>
      <Space wrap size="middle">
        <Form.Item name="name" label="Name" rules={[{ required: true, whitespace: true, message: 'Enter the supplier name.' }, { max: 120, message: 'At most 120 characters.' }]}>
          <Input style={{ width: 260 }} />
        </Form.Item>
        <Form.Item name="gstin" label="GSTIN" rules={[{ required: true, message: 'Enter the GSTIN.' }, { validator: async (_, v?: string) => { const p = v ? gstinProblem(v.trim().toUpperCase()) : null; if (p) throw new Error(p); } }]}>
          <Input style={{ width: 200, fontFamily: 'monospace' }} placeholder="29ABCDE1234F1Z5" />
        </Form.Item>
        <Form.Item name="is_active" label="Active" valuePropName="checked" initialValue>
          <Switch />
        </Form.Item>
      </Space>
      <Space wrap size="middle">
        <Form.Item name="contact_name" label="Contact" rules={[{ max: 120, message: 'At most 120 characters.' }]}>
          <Input style={{ width: 200 }} />
        </Form.Item>
        <Form.Item name="phone" label="Phone" rules={[{ pattern: /^(\+?[0-9][0-9 -]{5,18}[0-9])?$/, message: 'Enter a phone number (digits, spaces, dashes).' }]}>
          <Input style={{ width: 180 }} />
        </Form.Item>
        <Form.Item name="email" label="Email" rules={[{ type: 'email', message: 'Enter a valid email address.' }]}>
          <Input style={{ width: 220 }} />
        </Form.Item>
      </Space>
      <Form.Item name="address" label="Address" rules={[{ max: 300, message: 'At most 300 characters.' }]}>
        <Input.TextArea rows={2} style={{ maxWidth: 600 }} />
      </Form.Item>
      <Typography.Title level={5}>Products supplied</Typography.Title>
      <Form.List name="products">
        {(fields, { add, remove }) => (
          <>
            {fields.map((f) => (
              <Space key={f.key} wrap align="start" style={{ marginBottom: 4 }}>
                <Form.Item
                  name={[f.name, 'product_id']}
                  rules={[
                    { required: true, message: 'Choose a product.' },
                    { validator: async (_, v) => { if (v && (form.getFieldValue('products') as ProductLine[]).filter((p) => p?.product_id === v).length > 1) throw new Error('Listed twice.'); } },
                  ]}
                >
                  <Select {...productSelect} placeholder="Product" style={{ width: 200 }} />
                </Form.Item>
                <Form.Item name={[f.name, 'price_rupees']} rules={[{ required: true, message: 'Enter the price.' }, { type: 'number', min: 0, message: 'Not negative.' }]}>
                  <InputNumber prefix="₹" min={0} precision={2} placeholder="Price" style={{ width: 120 }} />
                </Form.Item>
                <Form.Item name={[f.name, 'lead_time_days']} initialValue={1} rules={[{ type: 'integer', min: 0, max: 60, message: '0 to 60 days.' }]}>
                  <InputNumber min={0} max={60} precision={0} addonAfter="days" style={{ width: 120 }} />
                </Form.Item>
                <Form.Item name={[f.name, 'pack_size']} initialValue={1} rules={[{ type: 'integer', min: 1, max: 10000, message: '1 to 10,000 units.' }]}>
                  <InputNumber min={1} precision={0} addonBefore="pack" style={{ width: 130 }} />
                </Form.Item>
                <Form.Item name={[f.name, 'pack_label']} rules={[{ max: 60, message: 'At most 60 characters.' }]}>
                  <Input placeholder="e.g. crate of 12" style={{ width: 140 }} />
                </Form.Item>
                <Form.Item name={[f.name, 'is_preferred']} valuePropName="checked">
                  <Checkbox>Preferred</Checkbox>
                </Form.Item>
                <Button icon={<DeleteOutlined />} onClick={() => remove(f.name)} aria-label="Remove product" />
              </Space>
            ))}
            <div>
              <Button icon={<PlusOutlined />} onClick={() => add({ lead_time_days: 1, pack_size: 1 })}>
                Add product
              </Button>
            </div>
          </>
        )}
      </Form.List>
    </>
  );
}

export function SupplierCreate() {
  const { formProps, saveButtonProps } = useForm<Supplier, HttpError, SupplierValues>();
  return (
    <Create saveButtonProps={saveButtonProps} title="New supplier">
      <Form {...formProps} layout="vertical" onFinish={(v) => formProps.onFinish?.(toApi(v) as never)}>
        <SupplierFields />
      </Form>
    </Create>
  );
}

export function SupplierEdit() {
  const { formProps, saveButtonProps, formLoading, query } = useForm<Supplier, HttpError, SupplierValues>();
  return (
    <Edit saveButtonProps={saveButtonProps} isLoading={formLoading} title={`Edit ${query?.data?.data.name ?? 'supplier'}`}>
      <Form {...formProps} initialValues={toForm(query?.data?.data)} layout="vertical" onFinish={(v) => formProps.onFinish?.(toApi(v) as never)}>
        <SupplierFields />
      </Form>
    </Edit>
  );
}
