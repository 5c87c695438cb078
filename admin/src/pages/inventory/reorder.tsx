import { ShoppingCartOutlined } from '@ant-design/icons';
import { getDefaultSortOrder, List, useTable } from '@refinedev/antd';
import { type HttpError, useCan, useCreate, useGo, useInvalidate } from '@refinedev/core';
import { App, Button, Empty, Form, Popconfirm, Select, Table, Typography } from 'antd';
import { useState } from 'react';
import { FilterBar } from '../../components/FilterBar';
import { filterValue } from '../../components/filters';
import { withTotal } from '../../components/listTotal';
import { Money } from '../../components/Money';
import { QueryError } from '../../components/QueryError';
import { usePhoneTable } from '../../components/responsive';
import { formatPaise } from '../../format';
import { type PurchaseOrder, poNumber, type ReorderProposal, useDepotSelect } from './shared';

/** Selected proposals as draft orders: one per supplier and depot, each line at the supplier's price. */
export function draftsOf(rows: ReorderProposal[]) {
  const groups = new Map<string, { supplier_id: string; depot_id: string; supplier_name: string; depot_name: string; lines: { product_id: string; quantity: number; unit_price_paise: number }[] }>();
  for (const r of rows) {
    const key = `${r.supplier_id}:${r.depot_id}`;
    const g = groups.get(key) ?? { supplier_id: r.supplier_id, depot_id: r.depot_id, supplier_name: r.supplier_name, depot_name: r.depot_name, lines: [] };
    g.lines.push({ product_id: r.product_id, quantity: r.quantity, unit_price_paise: r.unit_price_paise });
    groups.set(key, g);
  }
  return [...groups.values()];
}

/** What to buy per depot and product, in whole packs of the preferred supplier; selected rows become draft purchase orders. */
export function ReorderList() {
  const go = useGo();
  const { notification } = App.useApp();
  const invalidate = useInvalidate();
  const { mutateAsync: create } = useCreate<PurchaseOrder>();
  const { data: canCreate } = useCan({ resource: 'purchase-orders', action: 'create' });
  const [selected, setSelected] = useState<ReorderProposal[]>([]);
  const [creating, setCreating] = useState(false);
  const { tableProps, sorters, filters, searchFormProps, tableQuery } = useTable<ReorderProposal, HttpError, { depot_id?: string }>({
    sorters: { initial: [{ field: 'depot_name', order: 'asc' }] },
    pagination: { pageSize: 50 },
    onSearch: ({ depot_id }) => [{ field: 'depot_id', operator: 'eq', value: depot_id || undefined }],
  });
  const initial = { depot_id: filterValue(filters, 'depot_id', 'eq') };
  const depotSelect = useDepotSelect(initial.depot_id);
  const phoneTable = usePhoneTable();
  const drafts = draftsOf(selected);
  const total = selected.reduce((s, r) => s + r.quantity * r.unit_price_paise, 0);
  const sortable = (field: string) => ({ sorter: true, defaultSortOrder: getDefaultSortOrder(field, sorters) });

  const createOrders = async () => {
    setCreating(true);
    const made: PurchaseOrder[] = [];
    try {
      for (const d of drafts) {
        const { data } = await create({ resource: 'purchase-orders', values: { supplier_id: d.supplier_id, depot_id: d.depot_id, lines: d.lines }, successNotification: false });
        made.push(data);
      }
    } catch {
      // useCreate already showed the API's message; the orders made so far stay drafts.
    } finally {
      setCreating(false);
      setSelected([]);
      await invalidate({ resource: 'reorder-proposals', invalidates: ['resourceAll'] });
    }
    if (!made.length) return;
    notification.success({ message: `${made.length} draft purchase order${made.length === 1 ? '' : 's'} created`, description: `${made.map((p) => poNumber(p.number)).join(', ')}: another manager approves them.` });
    go({ to: made.length === 1 ? `/purchase-orders/show/${made[0].id}` : '/purchase-orders?filters[0][field]=status&filters[0][operator]=eq&filters[0][value]=draft' });
  };

  return (
    <List
      title="Reorder proposals"
      headerButtons={
        canCreate?.can && (
          <Popconfirm
            title={`Draft ${drafts.length} purchase order${drafts.length === 1 ? '' : 's'}?`}
            description={`${selected.length} line${selected.length === 1 ? '' : 's'}, ${formatPaise(total)}, one order per supplier and depot.`}
            okText="Create"
            onConfirm={createOrders}
            disabled={!selected.length}
          >
            <Button type="primary" icon={<ShoppingCartOutlined />} disabled={!selected.length} loading={creating} data-testid="create-po-from-proposals">
              Create purchase order{drafts.length > 1 ? 's' : ''}
            </Button>
          </Popconfirm>
        )
      }
    >
      <Typography.Paragraph type="secondary">
        Forecast over the supplier's lead time, plus safety stock, less stock still good tomorrow and what is on order, rounded up to whole packs. Select rows to draft purchase orders.
      </Typography.Paragraph>
      <FilterBar form={searchFormProps} initialValues={initial} cleared={{ depot_id: undefined }} active={Boolean(initial.depot_id)}>
        <Form.Item name="depot_id">
          <Select {...depotSelect} allowClear placeholder="All depots" style={{ width: 200 }} />
        </Form.Item>
      </FilterBar>
      <QueryError error={tableQuery.error} onRetry={() => tableQuery.refetch()} />
      <Table<ReorderProposal>
        {...withTotal(tableProps, tableQuery.data)}
        rowKey="id"
        scroll={{ x: 1000 }}
        {...phoneTable.table}
        rowSelection={canCreate?.can ? { selectedRowKeys: selected.map((r) => r.id), onChange: (_, rows) => setSelected(rows), preserveSelectedRowKeys: true } : undefined}
        locale={{ emptyText: <Empty description="Nothing to reorder: stock and orders cover the forecast" /> }}
      >
        <Table.Column<ReorderProposal> dataIndex="product_name" title="Product" {...sortable('product_name')} />
        <Table.Column<ReorderProposal> dataIndex="depot_name" title="Depot" {...sortable('depot_name')} />
        <Table.Column<ReorderProposal> dataIndex="supplier_name" title="Supplier" {...sortable('supplier_name')} render={(v: string, r) => <>{v}<br /><Typography.Text type="secondary" style={{ fontSize: 12 }}>{r.lead_time_days} day lead time</Typography.Text></>} />
        <Table.Column<ReorderProposal> dataIndex="forecast" title="Forecast" align="right" {...sortable('forecast')} />
        <Table.Column<ReorderProposal> dataIndex="on_hand" title="On hand" align="right" {...sortable('on_hand')} />
        <Table.Column<ReorderProposal> dataIndex="incoming" title="On order" align="right" {...sortable('incoming')} />
        <Table.Column<ReorderProposal> dataIndex="shortfall" title="Short by" align="right" {...sortable('shortfall')} render={(v: number, r) => <span title={`includes safety stock ${r.safety_stock}`}>{v}</span>} />
        <Table.Column<ReorderProposal>
          dataIndex="quantity"
          title="Order"
          align="right"
          {...sortable('quantity')}
          render={(v: number, r) => (
            <>
              <Typography.Text strong>{r.pack_size > 1 ? `${v / r.pack_size} × ${r.pack_label || `pack of ${r.pack_size}`}` : v}</Typography.Text>
              <br />
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>{v} units</Typography.Text>
            </>
          )}
        />
        <Table.Column<ReorderProposal> key="value" title="Value" align="right" render={(_, r) => <Money paise={r.quantity * r.unit_price_paise} />} />
      </Table>
    </List>
  );
}
