import { PlusOutlined } from '@ant-design/icons';
import { getDefaultSortOrder, List, useSelect, useTable } from '@refinedev/antd';
import { type HttpError, useCan, useCreate, useInvalidate } from '@refinedev/core';
import { Alert, Button, DatePicker, Empty, Form, Input, InputNumber, Modal, Select, Space, Table, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { DateTime } from '../../components/DateTime';
import { FilterBar } from '../../components/FilterBar';
import { filterValue } from '../../components/filters';
import { withTotal } from '../../components/listTotal';
import { QueryError } from '../../components/QueryError';
import { usePhoneTable } from '../../components/responsive';
import { KindTag, kindLabels, type MovementKind, options, type StockMovement, useDepotSelect, useProductSelect } from './shared';

interface Search {
  kind?: MovementKind;
  depot_id?: string;
  product_id?: string;
}

/** The stock ledger, newest first; record wastage, spoilage, adjustments, transfers, dispatches and returns by hand. */
export function MovementList() {
  const { tableProps, sorters, filters, searchFormProps, tableQuery } = useTable<StockMovement, HttpError, Search>({
    sorters: { initial: [{ field: 'created_at', order: 'desc' }] },
    pagination: { pageSize: 25 },
    onSearch: ({ kind, depot_id, product_id }) => [
      { field: 'kind', operator: 'eq', value: kind || undefined },
      { field: 'depot_id', operator: 'eq', value: depot_id || undefined },
      { field: 'product_id', operator: 'eq', value: product_id || undefined },
    ],
  });
  const initial: Search = { kind: filterValue(filters, 'kind', 'eq') as MovementKind | undefined, depot_id: filterValue(filters, 'depot_id', 'eq'), product_id: filterValue(filters, 'product_id', 'eq') };
  const depotSelect = useDepotSelect(initial.depot_id);
  const productSelect = useProductSelect(initial.product_id);
  const { data: canCreate } = useCan({ resource: 'stock-movements', action: 'create' });
  const [recording, setRecording] = useState(false);
  const hasFilters = Object.values(initial).some((v) => v !== undefined);
  const phoneTable = usePhoneTable();
  return (
    <List
      title="Stock movements"
      headerButtons={canCreate?.can && <Button type="primary" icon={<PlusOutlined />} onClick={() => setRecording(true)} data-testid="record-movement">Record movement</Button>}
    >
      <FilterBar form={searchFormProps} initialValues={initial} cleared={{ kind: undefined, depot_id: undefined, product_id: undefined }} active={hasFilters}>
        <Form.Item name="kind">
          <Select allowClear placeholder="Any movement" style={{ width: 170 }} options={options(kindLabels)} />
        </Form.Item>
        <Form.Item name="depot_id">
          <Select {...depotSelect} allowClear placeholder="All depots" style={{ width: 180 }} />
        </Form.Item>
        <Form.Item name="product_id">
          <Select {...productSelect} allowClear placeholder="All products" style={{ width: 200 }} />
        </Form.Item>
      </FilterBar>
      <QueryError error={tableQuery.error} onRetry={() => tableQuery.refetch()} />
      <Table<StockMovement> {...withTotal(tableProps, tableQuery.data)} rowKey="id" scroll={{ x: 900 }} {...phoneTable.table} locale={{ emptyText: <Empty description={hasFilters ? 'No movements match these filters' : 'No movements yet'} /> }}>
        <Table.Column<StockMovement> dataIndex="created_at" title="When" sorter defaultSortOrder={getDefaultSortOrder('created_at', sorters)} render={(v: string) => <DateTime value={v} />} />
        <Table.Column<StockMovement> dataIndex="kind" title="Movement" render={(v: MovementKind) => <KindTag kind={v} />} />
        <Table.Column<StockMovement> dataIndex="product_name" title="Product" />
        <Table.Column<StockMovement> dataIndex="depot_name" title="Depot" />
        <Table.Column<StockMovement> dataIndex="batch_code" title="Batch" render={(v: string, r) => <><span style={{ fontFamily: 'monospace' }}>{v}</span><br /><Typography.Text type="secondary" style={{ fontSize: 12 }}>expires {dayjs(r.expiry_date).format('D MMM')}</Typography.Text></>} />
        <Table.Column<StockMovement> dataIndex="quantity" title="Quantity" align="right" render={(v: number) => <Typography.Text type={v < 0 ? 'danger' : 'success'}>{v > 0 ? `+${v}` : v}</Typography.Text>} />
        <Table.Column<StockMovement> dataIndex="balance" title="Balance" align="right" />
        <Table.Column<StockMovement> dataIndex="reason" title="Reason / run" render={(v: string, r) => v || (r.staff_name ? `${r.run_date} ${r.run_shift}, ${r.staff_name}` : '—')} />
      </Table>
      <RecordModal open={recording} onClose={() => setRecording(false)} />
    </List>
  );
}

const recordKinds = { wastage: 'Wastage', spoilage: 'Spoilage', adjustment: 'Counted adjustment', transfer: 'Transfer to another depot', dispatch: 'Dispatch to a run', return: 'Return from a run' } as const;
type RecordKind = keyof typeof recordKinds;
interface RecordValues {
  kind: RecordKind;
  product_id: string;
  depot_id: string;
  quantity: number;
  reason?: string;
  to_depot_id?: string;
  run_date?: Dayjs;
  shift?: 'morning' | 'evening';
  staff_id?: string;
  batch_code?: string;
  expiry_date?: Dayjs;
}

function RecordModal({ open, onClose }: { open: boolean; onClose: () => void }) {
  const [form] = Form.useForm<RecordValues>();
  const kind = Form.useWatch('kind', form);
  const quantity = Form.useWatch('quantity', form);
  const depotSelect = useDepotSelect();
  const productSelect = useProductSelect();
  const { selectProps: staffSelect } = useSelect<{ id: string; name: string }>({ resource: 'staff', optionLabel: 'name', optionValue: 'id', sorters: [{ field: 'name', order: 'asc' }], pagination: { pageSize: 100 }, queryOptions: { enabled: open } });
  const { mutateAsync, mutation } = useCreate();
  const invalidate = useInvalidate();
  const [error, setError] = useState<string | null>(null);
  const needsRun = kind === 'dispatch' || kind === 'return';
  const needsReason = kind === 'wastage' || kind === 'spoilage' || kind === 'adjustment';
  const found = kind === 'adjustment' && (quantity ?? 0) > 0;

  const submit = async (v: RecordValues) => {
    setError(null);
    try {
      await mutateAsync({
        resource: 'stock-movements',
        values: {
          kind: v.kind, product_id: v.product_id, depot_id: v.depot_id, quantity: v.quantity, reason: v.reason?.trim() ?? '',
          ...(v.kind === 'transfer' ? { to_depot_id: v.to_depot_id } : {}),
          ...(needsRun ? { run_date: v.run_date?.format('YYYY-MM-DD'), shift: v.shift, staff_id: v.staff_id } : {}),
          ...(found ? { batch_code: v.batch_code?.trim(), expiry_date: v.expiry_date?.format('YYYY-MM-DD') } : {}),
        },
        successNotification: { type: 'success', message: 'Movement recorded', description: recordKinds[v.kind] },
        errorNotification: false,
      });
      await invalidate({ resource: 'stock', invalidates: ['resourceAll'] });
      form.resetFields();
      onClose();
    } catch (e) {
      setError((e as HttpError).message ?? 'The server did not answer.');
    }
  };

  return (
    <Modal open={open} title="Record a stock movement" okText="Record" confirmLoading={mutation.isPending} onCancel={onClose} onOk={() => form.submit()} destroyOnHidden width={620}>
      {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 12 }} data-testid="movement-error" />}
      <Form form={form} layout="vertical" initialValues={{ kind: 'wastage' }} onFinish={submit}>
        <Form.Item name="kind" label="Movement" rules={[{ required: true, message: 'Choose what happened.' }]}>
          <Select options={options(recordKinds)} />
        </Form.Item>
        <Space wrap>
          <Form.Item name="product_id" label="Product" rules={[{ required: true, message: 'Choose a product.' }]}>
            <Select {...productSelect} style={{ width: 220 }} />
          </Form.Item>
          <Form.Item name="depot_id" label={kind === 'transfer' ? 'From depot' : 'Depot'} rules={[{ required: true, message: 'Choose a depot.' }]}>
            <Select {...depotSelect} style={{ width: 200 }} />
          </Form.Item>
          <Form.Item
            name="quantity"
            label={kind === 'adjustment' ? 'Units (+ found, − missing)' : 'Units'}
            rules={[
              { required: true, message: 'Enter how many units.' },
              { validator: async (_, v?: number) => { if (v === undefined || v === null) return; if (!Number.isInteger(v)) throw new Error('Whole units.'); if (kind === 'adjustment' ? v === 0 : v < 1) throw new Error(kind === 'adjustment' ? 'An adjustment is not zero.' : 'At least 1.'); } },
            ]}
          >
            <InputNumber precision={0} style={{ width: 140 }} />
          </Form.Item>
        </Space>
        {kind === 'transfer' && (
          <Form.Item name="to_depot_id" label="To depot" dependencies={['depot_id']} rules={[{ required: true, message: 'Choose the depot to transfer to.' }, { validator: async (_, v) => { if (v && v === form.getFieldValue('depot_id')) throw new Error('A transfer goes to another depot.'); } }]}>
            <Select {...depotSelect} style={{ width: 200 }} />
          </Form.Item>
        )}
        {needsRun && (
          <Space wrap>
            <Form.Item name="run_date" label="Run date" initialValue={dayjs()} rules={[{ required: true, message: 'Enter the run date.' }]}>
              <DatePicker format="D MMM YYYY" />
            </Form.Item>
            <Form.Item name="shift" label="Shift" initialValue="morning" rules={[{ required: true, message: 'Choose the shift.' }]}>
              <Select style={{ width: 130 }} options={[{ value: 'morning', label: 'Morning' }, { value: 'evening', label: 'Evening' }]} />
            </Form.Item>
            <Form.Item name="staff_id" label="Delivery staff" rules={[{ required: true, message: 'Choose who runs it.' }]}>
              <Select {...staffSelect} style={{ width: 200 }} />
            </Form.Item>
          </Space>
        )}
        {found && (
          <Space wrap>
            <Form.Item name="batch_code" label="Batch code (goods found)" rules={[{ required: true, whitespace: true, message: 'Enter the batch code of the goods found.' }]}>
              <Input style={{ width: 180 }} />
            </Form.Item>
            <Form.Item name="expiry_date" label="Expiry date" rules={[{ required: true, message: 'Enter the expiry date.' }]}>
              <DatePicker format="D MMM YYYY" />
            </Form.Item>
          </Space>
        )}
        <Form.Item name="reason" label="Reason" rules={[...(needsReason ? [{ required: true, whitespace: true, message: 'Say why (at least 3 characters).' }, { min: 3, message: 'At least 3 characters.' }] : []), { max: 500, message: 'At most 500 characters.' }]}>
          <Input.TextArea rows={2} placeholder={kind === 'spoilage' ? 'e.g. Curdled in the cold room' : kind === 'wastage' ? 'e.g. Crate dropped while unloading' : ''} />
        </Form.Item>
        <Typography.Text type="secondary">Dispatch, wastage, spoilage and transfers take the batches that expire first.</Typography.Text>
      </Form>
    </Modal>
  );
}
