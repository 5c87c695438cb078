import { List } from '@refinedev/antd';
import { useList } from '@refinedev/core';
import { Card, DatePicker, Empty, Select, Skeleton, Space, Table, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { lazy, Suspense, useMemo, useState } from 'react';
import { QueryError } from '../../components/QueryError';
import { usePhoneTable } from '../../components/responsive';
import { BUSINESS_TZ } from '../../format';
import { type ForecastRow, type StockLevel, useDepotSelect, useProductSelect } from './shared';

const ForecastChart = lazy(() => import('./ForecastChart'));

export interface ForecastShown extends ForecastRow {
  product_name: string;
  depot_name: string;
  total: number;
}

/** Demand for the next 7 days per date, shift, product and depot (subscriptions exactly, one-time expected), against stock. */
export function ForecastPage() {
  const [from, setFrom] = useState<Dayjs>(dayjs().tz(BUSINESS_TZ).add(1, 'day'));
  const [depotId, setDepotId] = useState<string | undefined>();
  const [productId, setProductId] = useState<string | undefined>();
  const depotSelect = useDepotSelect();
  const productSelect = useProductSelect();
  const phoneTable = usePhoneTable();
  const { result, query } = useList<ForecastRow>({
    resource: 'forecast',
    filters: [
      { field: 'from', operator: 'eq', value: from.format('YYYY-MM-DD') },
      { field: 'days', operator: 'eq', value: 7 },
      { field: 'depot_id', operator: 'eq', value: depotId },
    ],
    pagination: { pageSize: 1000 },
  });
  const { result: stock } = useList<StockLevel>({ resource: 'stock', filters: [{ field: 'depot_id', operator: 'eq', value: depotId }], pagination: { pageSize: 1000 } });
  const names = useMemo(() => {
    const products = new Map<string, string>();
    const depots = new Map<string, string>();
    for (const s of stock?.data ?? []) {
      products.set(s.product_id, s.product_name);
      depots.set(s.depot_id, s.depot_name);
    }
    for (const o of productSelect.options ?? []) products.set(String(o.value), String(o.label));
    for (const o of depotSelect.options ?? []) depots.set(String(o.value), String(o.label));
    return { products, depots };
  }, [stock, productSelect.options, depotSelect.options]);
  const rows: ForecastShown[] = (result?.data ?? [])
    .filter((r) => !productId || r.product_id === productId)
    .map((r) => ({ ...r, product_name: names.products.get(r.product_id) ?? '…', depot_name: r.depot_id ? (names.depots.get(r.depot_id) ?? '…') : 'No depot', total: r.subscription_quantity + r.expected_one_time_quantity }));
  const stockRows = (stock?.data ?? []).filter((s) => !productId || s.product_id === productId);

  return (
    <List title="Forecast">
      <Typography.Paragraph type="secondary">
        Subscription demand is exact: the same rules that generate the orders (schedules, pauses, one-day changes). One-time demand is the average of the last 8 same weekdays.
      </Typography.Paragraph>
      <Space wrap style={{ marginBottom: 16 }}>
        <DatePicker value={from} onChange={(d) => d && setFrom(d)} allowClear={false} format="D MMM YYYY" aria-label="From" />
        <Select options={depotSelect.options} loading={depotSelect.loading} value={depotId} onChange={(v) => setDepotId(v as string | undefined)} allowClear placeholder="All depots" style={{ width: 200 }} />
        <Select options={productSelect.options} loading={productSelect.loading} value={productId} onChange={(v) => setProductId(v as string | undefined)} showSearch optionFilterProp="label" allowClear placeholder="All products" style={{ width: 220 }} />
      </Space>
      <QueryError error={query.error} onRetry={() => query.refetch()} />
      <Card title="Demand against stock and incoming" size="small" style={{ marginBottom: 24 }}>
        <Suspense fallback={<Skeleton active />}>{query.isLoading ? <Skeleton active /> : <ForecastChart rows={rows} stock={stockRows} />}</Suspense>
      </Card>
      <Table<ForecastShown>
        dataSource={rows}
        loading={query.isLoading}
        rowKey={(r) => `${r.date}:${r.shift}:${r.product_id}:${r.depot_id}`}
        size="small"
        scroll={{ x: 800 }}
        {...phoneTable.table}
        pagination={{ pageSize: 50, showSizeChanger: false }}
        locale={{ emptyText: <Empty description="No demand in these days" /> }}
        data-testid="forecast-table"
      >
        <Table.Column<ForecastShown> dataIndex="date" title="Date" sorter={(a, b) => a.date.localeCompare(b.date)} render={(v: string) => dayjs(v).format('ddd D MMM')} />
        <Table.Column<ForecastShown> dataIndex="shift" title="Shift" render={(v: string) => (v === 'morning' ? 'Morning' : 'Evening')} />
        <Table.Column<ForecastShown> dataIndex="product_name" title="Product" sorter={(a, b) => a.product_name.localeCompare(b.product_name)} />
        <Table.Column<ForecastShown> dataIndex="depot_name" title="Depot" />
        <Table.Column<ForecastShown> dataIndex="subscription_quantity" title="Subscriptions" align="right" sorter={(a, b) => a.subscription_quantity - b.subscription_quantity} />
        <Table.Column<ForecastShown> dataIndex="expected_one_time_quantity" title="Expected one-time" align="right" />
        <Table.Column<ForecastShown> dataIndex="total" title="Total" align="right" sorter={(a, b) => a.total - b.total} render={(v: number) => <Typography.Text strong>{v}</Typography.Text>} />
      </Table>
    </List>
  );
}
