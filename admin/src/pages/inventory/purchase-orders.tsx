import { CheckOutlined, CloseOutlined, DeleteOutlined, FilePdfOutlined, InboxOutlined, PlusOutlined, SendOutlined } from '@ant-design/icons';
import { Create, CreateButton, getDefaultSortOrder, List, Show, ShowButton, useForm, useTable } from '@refinedev/antd';
import { type HttpError, useCan, useCustomMutation, useInvalidate, useLink, useShow } from '@refinedev/core';
import { Alert, Button, DatePicker, Descriptions, Empty, Form, Input, InputNumber, Modal, Popconfirm, Select, Space, Table, Tooltip, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect, useState } from 'react';
import { DateTime } from '../../components/DateTime';
import { FilterBar } from '../../components/FilterBar';
import { filterValue } from '../../components/filters';
import { withTotal } from '../../components/listTotal';
import { Money } from '../../components/Money';
import { QueryError } from '../../components/QueryError';
import { ReasonModal } from '../../components/ReasonModal';
import { usePhoneTable } from '../../components/responsive';
import { formatPaise, rupeesToPaise } from '../../format';
import { useMe } from '../refunds/actions';
import { options, PoStatusTag, poNumber, poPdfUrl, poStatusLabels, type PurchaseOrder, type PurchaseOrderStatus, useDepotSelect, useProductSelect, useSupplierSelect } from './shared';

interface Search {
  status?: PurchaseOrderStatus;
  supplier_id?: string;
  depot_id?: string;
}

/** Purchase orders, newest first; drafts awaiting a second person's approval one filter away. */
export function PurchaseOrderList() {
  const Link = useLink();
  const { tableProps, sorters, filters, searchFormProps, tableQuery } = useTable<PurchaseOrder, HttpError, Search>({
    sorters: { initial: [{ field: 'created_at', order: 'desc' }] },
    pagination: { pageSize: 25 },
    onSearch: ({ status, supplier_id, depot_id }) => [
      { field: 'status', operator: 'eq', value: status || undefined },
      { field: 'supplier_id', operator: 'eq', value: supplier_id || undefined },
      { field: 'depot_id', operator: 'eq', value: depot_id || undefined },
    ],
  });
  const initial: Search = {
    status: filterValue(filters, 'status', 'eq') as PurchaseOrderStatus | undefined,
    supplier_id: filterValue(filters, 'supplier_id', 'eq'),
    depot_id: filterValue(filters, 'depot_id', 'eq'),
  };
  const supplierSelect = useSupplierSelect(initial.supplier_id);
  const depotSelect = useDepotSelect(initial.depot_id);
  const hasFilters = Object.values(initial).some((v) => v !== undefined);
  const phoneTable = usePhoneTable();
  return (
    <List title="Purchase orders" headerButtons={<CreateButton>New purchase order</CreateButton>}>
      <FilterBar form={searchFormProps} initialValues={initial} cleared={{ status: undefined, supplier_id: undefined, depot_id: undefined }} active={hasFilters}>
        <Form.Item name="status">
          <Select allowClear placeholder="Any status" style={{ width: 170 }} options={options(poStatusLabels)} />
        </Form.Item>
        <Form.Item name="supplier_id">
          <Select {...supplierSelect} allowClear placeholder="All suppliers" style={{ width: 200 }} />
        </Form.Item>
        <Form.Item name="depot_id">
          <Select {...depotSelect} allowClear placeholder="All depots" style={{ width: 180 }} />
        </Form.Item>
      </FilterBar>
      <QueryError error={tableQuery.error} onRetry={() => tableQuery.refetch()} />
      <Table<PurchaseOrder>
        {...withTotal(tableProps, tableQuery.data)}
        rowKey="id"
        scroll={{ x: 900 }}
        {...phoneTable.table}
        locale={{ emptyText: <Empty description={hasFilters ? 'No purchase orders match these filters' : 'No purchase orders yet'} /> }}
      >
        <Table.Column<PurchaseOrder>
          dataIndex="number"
          title="Number"
          sorter
          defaultSortOrder={getDefaultSortOrder('number', sorters)}
          render={(v: number, r) => (
            <Link to={`/purchase-orders/show/${r.id}`}>
              <span style={{ fontFamily: 'monospace', whiteSpace: 'nowrap' }}>{poNumber(v)}</span>
            </Link>
          )}
        />
        <Table.Column<PurchaseOrder> dataIndex="created_at" title="Created" sorter defaultSortOrder={getDefaultSortOrder('created_at', sorters)} render={(v: string, r) => <Space direction="vertical" size={0}><DateTime value={v} /><Typography.Text type="secondary" style={{ fontSize: 12 }}>by {r.created_by_name}</Typography.Text></Space>} />
        <Table.Column<PurchaseOrder> dataIndex="supplier_name" title="Supplier" />
        <Table.Column<PurchaseOrder> dataIndex="depot_name" title="Depot" />
        <Table.Column<PurchaseOrder> dataIndex="expected_date" title="Expected" render={(v: string | null) => (v ? dayjs(v).format('D MMM YYYY') : '—')} />
        <Table.Column<PurchaseOrder> dataIndex="total_paise" title="Total" align="right" render={(v: number) => <Money paise={v} strong />} />
        <Table.Column<PurchaseOrder> dataIndex="status" title="Status" render={(v: PurchaseOrderStatus) => <PoStatusTag status={v} />} />
        <Table.Column<PurchaseOrder> title="Actions" key="actions" width={1} {...phoneTable.actions} render={(_, r) => <ShowButton hideText size="small" recordItemId={r.id} />} />
      </Table>
    </List>
  );
}

interface LineValues {
  product_id?: string;
  quantity?: number;
  unit_price_rupees?: number;
}
interface CreateValues {
  supplier_id?: string;
  depot_id?: string;
  expected_date?: Dayjs;
  note?: string;
  lines?: LineValues[];
}

/** A purchase order by hand: supplier, depot, lines (product, quantity, price in rupees; empty price = the supplier's). */
export function PurchaseOrderCreate() {
  const { formProps, saveButtonProps, form } = useForm<PurchaseOrder, HttpError, CreateValues>({ redirect: 'show' });
  const supplierSelect = useSupplierSelect();
  const depotSelect = useDepotSelect();
  const productSelect = useProductSelect();
  const lines = Form.useWatch('lines', form) as LineValues[] | undefined;
  const total = (lines ?? []).reduce((s, l) => s + (l?.quantity ?? 0) * rupeesToPaise(l?.unit_price_rupees ?? 0), 0);
  return (
    <Create saveButtonProps={saveButtonProps} title="New purchase order">
      <Form
        {...formProps}
        layout="vertical"
        style={{ maxWidth: 760 }}
        initialValues={{ lines: [{}] }}
        onFinish={(v) =>
          formProps.onFinish?.({
            supplier_id: v.supplier_id,
            depot_id: v.depot_id,
            expected_date: v.expected_date ? v.expected_date.format('YYYY-MM-DD') : undefined,
            note: v.note ?? '',
            lines: (v.lines ?? []).map((l) => ({ product_id: l.product_id, quantity: l.quantity, ...(l.unit_price_rupees !== undefined && l.unit_price_rupees !== null ? { unit_price_paise: rupeesToPaise(l.unit_price_rupees) } : {}) })),
          } as never)
        }
      >
        <Space wrap size="middle" style={{ width: '100%' }}>
          <Form.Item name="supplier_id" label="Supplier" rules={[{ required: true, message: 'Choose a supplier.' }]}>
            <Select {...supplierSelect} placeholder="Supplier" style={{ width: 240 }} data-testid="po-supplier" />
          </Form.Item>
          <Form.Item name="depot_id" label="Deliver to depot" rules={[{ required: true, message: 'Choose a depot.' }]}>
            <Select {...depotSelect} placeholder="Depot" style={{ width: 220 }} data-testid="po-depot" />
          </Form.Item>
          <Form.Item name="expected_date" label="Expected on">
            <DatePicker format="D MMM YYYY" disabledDate={(d) => d.isBefore(dayjs().startOf('day'))} />
          </Form.Item>
        </Space>
        <Typography.Title level={5}>Lines</Typography.Title>
        <Form.List
          name="lines"
          rules={[{ validator: async (_, l?: unknown[]) => { if (!l?.length) throw new Error('Add at least one line.'); } }]}
        >
          {(fields, { add, remove }, { errors }) => (
            <>
              {fields.map((f) => (
                <Space key={f.key} wrap align="start" style={{ marginBottom: 4 }}>
                  <Form.Item
                    name={[f.name, 'product_id']}
                    rules={[
                      { required: true, message: 'Choose a product.' },
                      { validator: async (_, v) => { if (v && (form.getFieldValue('lines') as LineValues[]).filter((l) => l?.product_id === v).length > 1) throw new Error('This product is already on the order.'); } },
                    ]}
                  >
                    <Select {...productSelect} placeholder="Product" style={{ width: 240 }} />
                  </Form.Item>
                  <Form.Item name={[f.name, 'quantity']} rules={[{ required: true, message: 'Enter a quantity.' }, { type: 'integer', min: 1, max: 1_000_000, message: 'A whole number, 1 to 10,00,000.' }]}>
                    <InputNumber placeholder="Quantity" min={1} precision={0} style={{ width: 120 }} />
                  </Form.Item>
                  <Form.Item name={[f.name, 'unit_price_rupees']} extra="Empty: the supplier's price" rules={[{ type: 'number', min: 0, message: 'A price cannot be negative.' }]}>
                    <InputNumber placeholder="Unit price" prefix="₹" min={0} precision={2} style={{ width: 150 }} />
                  </Form.Item>
                  <Button icon={<DeleteOutlined />} onClick={() => remove(f.name)} disabled={fields.length === 1} aria-label="Remove line" />
                </Space>
              ))}
              <Form.ErrorList errors={errors} />
              <div>
                <Button icon={<PlusOutlined />} onClick={() => add({})} style={{ marginBottom: 16 }}>
                  Add line
                </Button>
              </div>
            </>
          )}
        </Form.List>
        <Form.Item name="note" label="Note for the supplier" rules={[{ max: 500, message: 'At most 500 characters.' }]}>
          <Input.TextArea rows={2} />
        </Form.Item>
        {total > 0 && <Typography.Text>Total at the prices entered: <Money paise={total} strong /></Typography.Text>}
      </Form>
    </Create>
  );
}

function usePoAction(po: PurchaseOrder | undefined) {
  const { mutateAsync, mutation } = useCustomMutation<PurchaseOrder>();
  const invalidate = useInvalidate();
  const run = async (path: string, values: object, done: string, failure: string) => {
    if (!po) return false;
    try {
      await mutateAsync({
        url: `/purchase-orders/${po.id}/${path}`,
        method: 'post',
        values,
        successNotification: { type: 'success', message: done, description: poNumber(po.number) },
        errorNotification: (e?: HttpError) => ({ type: 'error', message: failure, description: e?.message ?? 'The server did not answer.' }),
      });
      return true;
    } catch {
      return false;
    } finally {
      await Promise.all(['purchase-orders', 'stock', 'stock-movements', 'reorder-proposals', 'forecast'].map((resource) => invalidate({ resource, invalidates: ['resourceAll'] })));
    }
  };
  return { pending: mutation.isPending, run };
}

/** One purchase order: its lines and what arrived; the actions its status allows. */
export function PurchaseOrderShow() {
  const { query, result: po } = useShow<PurchaseOrder>();
  const me = useMe();
  const { data: canApprove } = useCan({ resource: 'purchase-orders', action: 'approve' });
  const { data: canSend } = useCan({ resource: 'purchase-orders', action: 'send' });
  const { data: canCancel } = useCan({ resource: 'purchase-orders', action: 'cancel' });
  const { data: canReceive } = useCan({ resource: 'purchase-orders', action: 'receive' });
  const { data: canPdf } = useCan({ resource: 'purchase-orders', action: 'pdf' });
  const actions = usePoAction(po);
  const [cancelling, setCancelling] = useState(false);
  const [receiving, setReceiving] = useState(false);
  const own = Boolean(po && me && po.created_by === me.id);
  const status = po?.status;
  const open = status === 'sent' || status === 'partially_received' || status === 'approved';

  return (
    <Show
      isLoading={query.isLoading}
      title={po ? `Purchase order ${poNumber(po.number)}` : 'Purchase order'}
      canEdit={false}
      canDelete={false}
      headerButtons={({ defaultButtons }) => (
        <Space wrap>
          {status === 'draft' && canApprove?.can && (
            <Tooltip title={own ? 'You drafted this order: someone else must approve it.' : undefined}>
              <Popconfirm title={`Approve ${po ? formatPaise(po.total_paise) : ''} to ${po?.supplier_name}?`} okText="Approve" disabled={own} onConfirm={() => actions.run('approve', {}, 'Purchase order approved', 'Could not approve')}>
                <Button type="primary" icon={<CheckOutlined />} disabled={own} loading={actions.pending} data-testid="approve-po">
                  Approve
                </Button>
              </Popconfirm>
            </Tooltip>
          )}
          {status === 'approved' && canSend?.can && (
            <Popconfirm title="Mark it sent to the supplier?" okText="Mark sent" onConfirm={() => actions.run('send', {}, 'Marked sent', 'Could not mark it sent')}>
              <Button type="primary" icon={<SendOutlined />} loading={actions.pending} data-testid="send-po">
                Mark sent
              </Button>
            </Popconfirm>
          )}
          {open && canReceive?.can && (
            <Button type="primary" icon={<InboxOutlined />} onClick={() => setReceiving(true)} data-testid="receive-po">
              Receive goods
            </Button>
          )}
          {(status === 'draft' || status === 'approved' || status === 'sent') && canCancel?.can && (
            <Button danger icon={<CloseOutlined />} onClick={() => setCancelling(true)}>
              Cancel order
            </Button>
          )}
          {po && canPdf?.can && (
            <Button icon={<FilePdfOutlined />} href={poPdfUrl(po.id)} download={`${poNumber(po.number)}.pdf`} data-testid="po-pdf">
              PDF
            </Button>
          )}
          {defaultButtons}
        </Space>
      )}
    >
      <QueryError error={query.error} onRetry={() => query.refetch()} />
      {po && (
        <>
          {own && status === 'draft' && <Alert type="info" showIcon style={{ marginBottom: 16 }} message="You drafted this order: another manager approves it (four eyes)." />}
          <Descriptions bordered size="small" column={{ xs: 1, sm: 1, md: 2 }} style={{ marginBottom: 24 }}>
            <Descriptions.Item label="Status"><PoStatusTag status={po.status} /></Descriptions.Item>
            <Descriptions.Item label="Total"><Money paise={po.total_paise} strong /></Descriptions.Item>
            <Descriptions.Item label="Supplier">{po.supplier_name}</Descriptions.Item>
            <Descriptions.Item label="Depot">{po.depot_name}</Descriptions.Item>
            <Descriptions.Item label="Expected">{po.expected_date ? dayjs(po.expected_date).format('D MMM YYYY') : '—'}</Descriptions.Item>
            <Descriptions.Item label="Created"><DateTime value={po.created_at} /> by {po.created_by_name}</Descriptions.Item>
            <Descriptions.Item label="Approved">{po.approved_at ? <><DateTime value={po.approved_at} /> by {po.approved_by_name}</> : '—'}</Descriptions.Item>
            <Descriptions.Item label="Sent">{po.sent_at ? <DateTime value={po.sent_at} /> : '—'}</Descriptions.Item>
            {po.cancel_reason && <Descriptions.Item label="Cancelled because" span={2}>{po.cancel_reason}</Descriptions.Item>}
            {po.note && <Descriptions.Item label="Note" span={2}>{po.note}</Descriptions.Item>}
          </Descriptions>
          <Table rowKey="id" dataSource={po.lines} pagination={false} scroll={{ x: 600 }} size="small" data-testid="po-lines">
            <Table.Column dataIndex="product_name" title="Product" />
            <Table.Column dataIndex="quantity" title="Ordered" align="right" />
            <Table.Column dataIndex="unit_price_paise" title="Unit price" align="right" render={(v: number) => <Money paise={v} />} />
            <Table.Column key="amount" title="Amount" align="right" render={(_, l: PurchaseOrder['lines'][number]) => <Money paise={l.quantity * l.unit_price_paise} />} />
            <Table.Column dataIndex="quantity_accepted" title="Accepted" align="right" />
            <Table.Column dataIndex="quantity_rejected" title="Rejected" align="right" />
          </Table>
        </>
      )}
      <ReasonModal
        open={cancelling}
        title="Cancel this purchase order?"
        okText="Cancel order"
        cancelText="Keep it"
        placeholder="e.g. Supplier cannot deliver this week"
        required
        requiredMessage="Say why the order is cancelled."
        confirmLoading={actions.pending}
        onCancel={() => setCancelling(false)}
        onSubmit={async (reason) => {
          if (await actions.run('cancel', { reason }, 'Purchase order cancelled', 'Could not cancel')) setCancelling(false);
        }}
      />
      {po && <ReceiveModal open={receiving} po={po} pending={actions.pending} onCancel={() => setReceiving(false)} onSubmit={async (lines) => { if (await actions.run('receive', { lines }, 'Goods received into stock', 'Could not receive')) setReceiving(false); }} />}
    </Show>
  );
}

interface ReceiveLine {
  product_id: string;
  product_name: string;
  outstanding: number;
  quantity_accepted?: number;
  quantity_rejected?: number;
  batch_code?: string;
  expiry_date?: Dayjs;
}

/** Receiving: per line still outstanding, the units accepted and rejected, and the batch code and expiry of the accepted. */
function ReceiveModal({ open, po, pending, onCancel, onSubmit }: { open: boolean; po: PurchaseOrder; pending: boolean; onCancel: () => void; onSubmit: (lines: object[]) => void }) {
  const [form] = Form.useForm<{ lines: ReceiveLine[] }>();
  useEffect(() => {
    if (!open) return;
    form.setFieldsValue({
      lines: po.lines
        .map((l) => ({ product_id: l.product_id, product_name: l.product_name, outstanding: l.quantity - l.quantity_accepted - l.quantity_rejected }))
        .filter((l) => l.outstanding > 0)
        .map((l) => ({ ...l, quantity_accepted: l.outstanding, quantity_rejected: 0, expiry_date: dayjs().add(2, 'day') })),
    });
  }, [open, po, form]);
  return (
    <Modal open={open} title={`Receive ${poNumber(po.number)}`} okText="Receive into stock" confirmLoading={pending} onCancel={onCancel} onOk={() => form.submit()} width={860} destroyOnHidden>
      <Typography.Paragraph type="secondary">Count what arrived. Accepted units go into stock on their batch; rejected ones are sent back. Leave a line at 0 and 0 to receive it later.</Typography.Paragraph>
      <Form
        form={form}
        layout="vertical"
        onFinish={({ lines }) =>
          onSubmit(
            lines
              .filter((l) => (l.quantity_accepted ?? 0) + (l.quantity_rejected ?? 0) > 0)
              .map((l) => ({
                product_id: l.product_id,
                quantity_accepted: l.quantity_accepted ?? 0,
                quantity_rejected: l.quantity_rejected ?? 0,
                ...((l.quantity_accepted ?? 0) > 0 ? { batch_code: l.batch_code?.trim(), expiry_date: l.expiry_date?.format('YYYY-MM-DD') } : {}),
              })),
          )
        }
      >
        <Form.List name="lines" rules={[{ validator: async (_, l?: ReceiveLine[]) => { if (!l?.some((x) => (x.quantity_accepted ?? 0) + (x.quantity_rejected ?? 0) > 0)) throw new Error('Receive at least one unit.'); } }]}>
          {(fields, _ops, { errors }) => (
            <>
              {fields.map((f) => {
                const line = form.getFieldValue(['lines', f.name]) as ReceiveLine;
                const accepted = (name: number) => (form.getFieldValue(['lines', name, 'quantity_accepted']) ?? 0) > 0;
                return (
                  <div key={f.key} style={{ borderBottom: '1px solid #f0f0f0', marginBottom: 8 }}>
                    <Typography.Text strong>{line?.product_name}</Typography.Text> <Typography.Text type="secondary">({line?.outstanding} outstanding)</Typography.Text>
                    <Space wrap align="start" style={{ marginTop: 4 }}>
                      <Form.Item
                        name={[f.name, 'quantity_accepted']}
                        label="Accepted"
                        dependencies={[['lines', f.name, 'quantity_rejected']]}
                        rules={[
                          { type: 'integer', min: 0, message: 'Whole units, not negative.' },
                          { validator: async (_, v) => { const r = form.getFieldValue(['lines', f.name, 'quantity_rejected']) ?? 0; if ((v ?? 0) + r > (line?.outstanding ?? 0)) throw new Error(`At most ${line?.outstanding} in all.`); } },
                        ]}
                      >
                        <InputNumber min={0} precision={0} style={{ width: 100 }} data-testid="receive-accepted" />
                      </Form.Item>
                      <Form.Item name={[f.name, 'quantity_rejected']} label="Rejected" rules={[{ type: 'integer', min: 0, message: 'Whole units, not negative.' }]}>
                        <InputNumber min={0} precision={0} style={{ width: 100 }} />
                      </Form.Item>
                      <Form.Item
                        name={[f.name, 'batch_code']}
                        label="Batch code"
                        dependencies={[['lines', f.name, 'quantity_accepted']]}
                        rules={[{ validator: async (_, v?: string) => { if (accepted(f.name) && !v?.trim()) throw new Error('Enter the batch code printed on the crate.'); } }, { max: 60, message: 'At most 60 characters.' }]}
                      >
                        <Input style={{ width: 170 }} placeholder="e.g. NDB-0612-A" data-testid="receive-batch" />
                      </Form.Item>
                      <Form.Item
                        name={[f.name, 'expiry_date']}
                        label="Expiry date"
                        dependencies={[['lines', f.name, 'quantity_accepted']]}
                        rules={[{ validator: async (_, v?: Dayjs) => { if (accepted(f.name) && !v) throw new Error('Enter the expiry date.'); } }]}
                      >
                        <DatePicker format="D MMM YYYY" />
                      </Form.Item>
                    </Space>
                  </div>
                );
              })}
              {!fields.length && <Empty description="Every line is received" />}
              <Form.ErrorList errors={errors} />
            </>
          )}
        </Form.List>
      </Form>
    </Modal>
  );
}
