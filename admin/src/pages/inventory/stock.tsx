import { getDefaultSortOrder, List, useTable } from '@refinedev/antd';
import { type HttpError, useGo, useLink, useList, useOne } from '@refinedev/core';
import { Alert, Button, Card, Empty, Form, Select, Skeleton, Space, Table, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { lazy, Suspense } from 'react';
import { useParams } from 'react-router';
import { DateTime } from '../../components/DateTime';
import { FilterBar } from '../../components/FilterBar';
import { filterValue } from '../../components/filters';
import { withTotal } from '../../components/listTotal';
import { QueryError } from '../../components/QueryError';
import { usePhoneTable } from '../../components/responsive';
import { KindTag, type StockLevel, type StockMovement, useDepotSelect } from './shared';

// recharts is fetched after the table is on screen.
const WasteChart = lazy(() => import('./WasteChart'));

interface Search {
  depot_id?: string;
  low?: string;
}

const num = (v: number) => v.toLocaleString('en-IN');

/** Stock per depot and product: on hand, what expires today and tomorrow, tomorrow's forecast, what is on order. */
export function StockList() {
  const Link = useLink();
  const { tableProps, sorters, filters, searchFormProps, tableQuery } = useTable<StockLevel, HttpError, Search>({
    sorters: { initial: [{ field: 'depot_name', order: 'asc' }] },
    pagination: { pageSize: 50 },
    onSearch: ({ depot_id, low }) => [
      { field: 'depot_id', operator: 'eq', value: depot_id || undefined },
      { field: 'low', operator: 'eq', value: low || undefined },
    ],
  });
  const initial: Search = { depot_id: filterValue(filters, 'depot_id', 'eq'), low: filterValue(filters, 'low', 'eq') };
  const depotSelect = useDepotSelect(initial.depot_id);
  const { result: lowRows } = useList<StockLevel>({ resource: 'stock', filters: [{ field: 'low', operator: 'eq', value: 'true' }], pagination: { pageSize: 1 } });
  const lowCount = lowRows?.total ?? 0;
  const hasFilters = Boolean(initial.depot_id || initial.low);
  const phoneTable = usePhoneTable();
  const sortable = (field: string) => ({ sorter: true, defaultSortOrder: getDefaultSortOrder(field, sorters) });

  return (
    <List title="Stock">
      {lowCount > 0 && initial.low !== 'true' && (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 16 }}
          data-testid="low-stock-alert"
          message={`${lowCount} product${lowCount === 1 ? '' : 's'} short for tomorrow`}
          description="Tomorrow's forecast exceeds what will be there (on hand still good tomorrow plus what is on order). See Reorder proposals."
        />
      )}
      <FilterBar form={searchFormProps} initialValues={initial} cleared={{ depot_id: undefined, low: undefined }} active={hasFilters}>
        <Form.Item name="depot_id">
          <Select {...depotSelect} allowClear placeholder="All depots" style={{ width: 200 }} />
        </Form.Item>
        <Form.Item name="low">
          <Select allowClear placeholder="All stock" style={{ width: 160 }} options={[{ value: 'true', label: 'Short only' }]} />
        </Form.Item>
      </FilterBar>
      <QueryError error={tableQuery.error} onRetry={() => tableQuery.refetch()} />
      <Table<StockLevel>
        {...withTotal(tableProps, tableQuery.data)}
        rowKey="id"
        scroll={{ x: 900 }}
        {...phoneTable.table}
        onRow={(r) => (r.low ? { style: { background: '#fff1f0' }, 'data-low': 'true' } as object : {})}
        locale={{ emptyText: <Empty description={hasFilters ? 'No stock matches these filters' : 'No stock yet: receive a purchase order'} /> }}
      >
        {/* On a phone the product (its ledger link) is pinned left with its depot under it, and the alert right. */}
        <Table.Column<StockLevel>
          dataIndex="product_name"
          title="Product"
          {...sortable('product_name')}
          {...phoneTable.key}
          render={(v: string, r) => {
            const link = (
              <Link to={`/stock/ledger/${r.product_id}/${r.depot_id}`} data-testid="stock-ledger-link">
                {v}
              </Link>
            );
            if (!phoneTable.phone) return link;
            return (
              <Space direction="vertical" size={0} style={{ maxWidth: 140 }}>
                {link}
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {r.depot_name}
                </Typography.Text>
              </Space>
            );
          }}
        />
        <Table.Column<StockLevel> dataIndex="depot_name" title="Depot" responsive={['md']} {...sortable('depot_name')} />
        <Table.Column<StockLevel> dataIndex="quantity" title="On hand" align="right" {...sortable('quantity')} render={(v: number) => <Typography.Text strong data-testid="on-hand">{num(v)}</Typography.Text>} />
        <Table.Column<StockLevel> dataIndex="expiring_today" title="Expires today" align="right" {...sortable('expiring_today')} render={(v: number) => (v ? <Typography.Text type="danger">{num(v)}</Typography.Text> : '0')} />
        <Table.Column<StockLevel> dataIndex="expiring_tomorrow" title="Expires tomorrow" align="right" {...sortable('expiring_tomorrow')} render={(v: number) => (v ? <Typography.Text type="warning">{num(v)}</Typography.Text> : '0')} />
        <Table.Column<StockLevel> dataIndex="forecast_tomorrow" title="Forecast tomorrow" align="right" {...sortable('forecast_tomorrow')} render={num} />
        <Table.Column<StockLevel> dataIndex="incoming" title="Incoming" align="right" {...sortable('incoming')} render={num} />
        <Table.Column<StockLevel>
          dataIndex="low"
          title="Alert"
          {...sortable('low')}
          {...phoneTable.actions}
          render={(v: boolean) => (v ? <Tag color="red">Short</Tag> : <Tag color="green">Covered</Tag>)}
        />
      </Table>
      <Card title="Spoilage and wastage per week, last 90 days" size="small" style={{ marginTop: 24 }}>
        <Suspense fallback={<Skeleton active />}>
          <WasteChart depotId={initial.depot_id} />
        </Suspense>
      </Card>
    </List>
  );
}

/** One product's ledger at one depot, newest first, with the stock after each line. */
export function StockLedger() {
  const { productId, depotId } = useParams();
  const go = useGo();
  const { result: product } = useOne<{ name: string }>({ resource: 'products', id: productId ?? '' });
  const { result: depot } = useOne<{ name: string }>({ resource: 'depots', id: depotId ?? '' });
  const { tableProps, tableQuery } = useTable<StockMovement>({
    resource: 'stock-movements',
    syncWithLocation: false,
    sorters: { initial: [{ field: 'created_at', order: 'desc' }], mode: 'server' },
    filters: {
      permanent: [
        { field: 'product_id', operator: 'eq', value: productId },
        { field: 'depot_id', operator: 'eq', value: depotId },
      ],
    },
    pagination: { pageSize: 25 },
  });
  const phoneTable = usePhoneTable();
  return (
    <List
      title={`Ledger: ${product?.name ?? '…'} at ${depot?.name ?? '…'}`}
      canCreate={false}
      breadcrumb={false}
      headerButtons={<Button onClick={() => go({ to: `/stock?filters[0][field]=depot_id&filters[0][operator]=eq&filters[0][value]=${depotId}` })}>Stock at this depot</Button>}
    >
      <Typography.Paragraph type="secondary">Every movement of this product at this depot; the balance is the stock right after the line.</Typography.Paragraph>
      <QueryError error={tableQuery.error} onRetry={() => tableQuery.refetch()} />
      <Table<StockMovement>
        {...withTotal(tableProps, tableQuery.data)}
        rowKey="id"
        scroll={{ x: 800 }}
        {...phoneTable.table}
        locale={{ emptyText: <Empty description="No movements of this product at this depot" /> }}
      >
        <Table.Column<StockMovement> dataIndex="created_at" title="When" render={(v: string) => <DateTime value={v} />} />
        <Table.Column<StockMovement> dataIndex="kind" title="Movement" render={(v: StockMovement['kind']) => <KindTag kind={v} />} />
        <Table.Column<StockMovement> dataIndex="batch_code" title="Batch" render={(v: string, r) => <Space direction="vertical" size={0}><span style={{ fontFamily: 'monospace' }}>{v}</span><Typography.Text type="secondary" style={{ fontSize: 12 }}>expires {dayjs(r.expiry_date).format('D MMM')}</Typography.Text></Space>} />
        <Table.Column<StockMovement> dataIndex="quantity" title="Quantity" align="right" render={(v: number) => <Typography.Text type={v < 0 ? 'danger' : 'success'}>{v > 0 ? `+${num(v)}` : num(v)}</Typography.Text>} />
        <Table.Column<StockMovement> dataIndex="balance" title="Balance" align="right" render={(v: number) => <Typography.Text strong data-testid="ledger-balance">{num(v)}</Typography.Text>} />
        <Table.Column<StockMovement> dataIndex="reason" title="Reason" render={(v: string, r) => v || (r.staff_name ? `Run ${r.run_date} ${r.run_shift}, ${r.staff_name}` : '—')} />
      </Table>
    </List>
  );
}
