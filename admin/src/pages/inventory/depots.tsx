import { Create, CreateButton, Edit, EditButton, getDefaultSortOrder, List, useForm, useTable } from '@refinedev/antd';
import type { HttpError } from '@refinedev/core';
import { Empty, Form, Input, InputNumber, Space, Switch, Table, Tag } from 'antd';
import { ZoneSelect } from '../../components/FilterBar';
import { withTotal } from '../../components/listTotal';
import { QueryError } from '../../components/QueryError';
import { usePhoneTable } from '../../components/responsive';
import type { Depot } from './shared';

export function DepotList() {
  const { tableProps, sorters, tableQuery } = useTable<Depot>({ sorters: { initial: [{ field: 'name', order: 'asc' }] }, pagination: { pageSize: 25 } });
  const phoneTable = usePhoneTable();
  return (
    <List title="Depots" headerButtons={<CreateButton>New depot</CreateButton>}>
      <QueryError error={tableQuery.error} onRetry={() => tableQuery.refetch()} />
      <Table<Depot> {...withTotal(tableProps, tableQuery.data)} rowKey="id" scroll={{ x: 700 }} {...phoneTable.table} locale={{ emptyText: <Empty description="No depots yet" /> }}>
        <Table.Column<Depot> dataIndex="name" title="Name" sorter defaultSortOrder={getDefaultSortOrder('name', sorters)} render={(v: string, r) => <>{v} {!r.is_active && <Tag>Inactive</Tag>}</>} />
        <Table.Column<Depot> dataIndex="city" title="City" />
        <Table.Column<Depot> dataIndex="zone_names" title="Zones served" render={(z: string[]) => (z.length ? <Space size={[0, 4]} wrap>{z.map((n) => <Tag key={n}>{n}</Tag>)}</Space> : '—')} />
        <Table.Column<Depot> title="Actions" key="actions" width={1} {...phoneTable.actions} render={(_, r) => <EditButton hideText size="small" recordItemId={r.id} />} />
      </Table>
    </List>
  );
}

function DepotFields({ zones }: { zones?: string[] }) {
  return (
    <>
      <Space wrap size="middle">
        <Form.Item name="name" label="Name" rules={[{ required: true, whitespace: true, message: 'Enter a depot name.' }, { max: 120, message: 'At most 120 characters.' }]}>
          <Input style={{ width: 240 }} />
        </Form.Item>
        <Form.Item name="city" label="City" rules={[{ required: true, whitespace: true, message: 'Enter the city.' }, { max: 80, message: 'At most 80 characters.' }]}>
          <Input style={{ width: 180 }} />
        </Form.Item>
        <Form.Item name="is_active" label="Active" valuePropName="checked" initialValue>
          <Switch />
        </Form.Item>
      </Space>
      <Form.Item name="address" label="Address" rules={[{ max: 300, message: 'At most 300 characters.' }]}>
        <Input.TextArea rows={2} style={{ maxWidth: 560 }} />
      </Form.Item>
      <Space wrap size="middle">
        <Form.Item name="lat" label="Latitude" rules={[{ required: true, message: 'Enter the latitude.' }, { type: 'number', min: 6, max: 37.5, message: 'Latitude in India is 6 to 37.5.' }]}>
          <InputNumber step={0.0001} style={{ width: 160 }} />
        </Form.Item>
        <Form.Item name="lng" label="Longitude" rules={[{ required: true, message: 'Enter the longitude.' }, { type: 'number', min: 68, max: 97.5, message: 'Longitude in India is 68 to 97.5.' }]}>
          <InputNumber step={0.0001} style={{ width: 160 }} />
        </Form.Item>
      </Space>
      <Form.Item name="zone_ids" label="Zones served" extra="A zone has one depot: choosing it here moves it from its old depot.">
        <ZoneSelect mode="multiple" placeholder="Zones" style={{ maxWidth: 560 }} current={zones?.[0]} />
      </Form.Item>
    </>
  );
}

export function DepotCreate() {
  const { formProps, saveButtonProps } = useForm<Depot>();
  return (
    <Create saveButtonProps={saveButtonProps} title="New depot">
      <Form {...formProps} layout="vertical">
        <DepotFields />
      </Form>
    </Create>
  );
}

export function DepotEdit() {
  const { formProps, saveButtonProps, formLoading, query } = useForm<Depot>();
  const d = query?.data?.data;
  return (
    <Edit saveButtonProps={saveButtonProps} isLoading={formLoading} title={`Edit ${d?.name ?? 'depot'}`}>
      <Form
        {...formProps}
        layout="vertical"
        onFinish={(v) => {
          const x = v as Depot;
          return formProps.onFinish?.({ name: x.name, city: x.city, address: x.address ?? '', lat: x.lat, lng: x.lng, is_active: x.is_active, zone_ids: x.zone_ids ?? [] } as never);
        }}
      >
        <DepotFields zones={d?.zone_ids} />
      </Form>
    </Edit>
  );
}
