import { getDefaultSortOrder, List, useTable } from '@refinedev/antd';
import { type HttpError, useCustom, useLink } from '@refinedev/core';
import { Card, Empty, Form, Select, Table, Typography } from 'antd';
import dayjs from 'dayjs';
import type { Receivable, ReceivablesByZone } from '../../../../api/modules/receivables/receivables.schemas';
import { ExportButton } from '../../components/ExportButton';
import { FilterBar, FilterSearch, ZoneSelect } from '../../components/FilterBar';
import { filterValue } from '../../components/filters';
import { withTotal } from '../../components/listTotal';
import { Money } from '../../components/Money';
import { QueryError } from '../../components/QueryError';
import { usePhoneTable } from '../../components/responsive';
import { formatPhone } from '../../format';
import { Day, formatDay } from '../invoices/shared';
import { todayIST } from '../orders/pickers';

type Aged = 'due' | 'past_due' | 'over_30' | 'over_60' | 'over_90' | 'credit';

interface Search {
  q?: string;
  zone_id?: string;
  aged?: Aged;
}

// "Something over N days past due" is an oldest due date at least N+1 days back (customer_balances_oldest_idx).
const agedOptions: { value: Aged; label: string; days?: number }[] = [
  { value: 'due', label: 'Something due' },
  { value: 'past_due', label: 'Past due', days: 1 },
  { value: 'over_30', label: 'Over 30 days past due', days: 31 },
  { value: 'over_60', label: 'Over 60 days past due', days: 61 },
  { value: 'over_90', label: 'Over 90 days past due', days: 91 },
  { value: 'credit', label: 'In credit (wallet)' },
];
const oldestOn = (days: number) => dayjs(todayIST()).subtract(days, 'day').format('YYYY-MM-DD');

const buckets = [
  { key: 'not_due_paise', title: 'Not due' },
  { key: 'd1_30_paise', title: '1-30 days' },
  { key: 'd31_60_paise', title: '31-60 days' },
  { key: 'd61_90_paise', title: '61-90 days' },
  { key: 'over_90_paise', title: 'Over 90 days' },
] as const;

/**
 * Receivables: every customer who owes something or holds credit, their balance due aged by days past due, with
 * totals by zone above. Sorted, filtered and searched on the server like every list (customer_balances, by index).
 */
export function ReceivablesList() {
  const Link = useLink();
  const { tableProps, sorters, filters, searchFormProps, tableQuery } = useTable<Receivable, HttpError, Search>({
    sorters: { initial: [{ field: 'balance_due_paise', order: 'desc' }] },
    pagination: { pageSize: 25 },
    onSearch: ({ q, zone_id, aged }) => {
      const days = agedOptions.find((o) => o.value === aged)?.days;
      return [
        { field: 'q', operator: 'eq', value: q?.trim() || undefined },
        { field: 'zone_id', operator: 'eq', value: zone_id || undefined },
        { field: 'balance_due_paise', operator: 'gte', value: aged && aged !== 'credit' ? '1' : undefined },
        { field: 'oldest_due_date', operator: 'lte', value: days ? oldestOn(days) : undefined },
        { field: 'wallet_paise', operator: 'gte', value: aged === 'credit' ? '1' : undefined },
      ];
    },
  });
  const { query: zonesQuery } = useCustom<ReceivablesByZone>({ url: '/receivables/zones', method: 'get' });
  const zones = zonesQuery.data?.data;

  const oldest = filterValue(filters, 'oldest_due_date', 'lte');
  const aged: Aged | undefined = filterValue(filters, 'wallet_paise', 'gte')
    ? 'credit'
    : oldest
      ? (agedOptions.find((o) => o.days && oldestOn(o.days) === oldest)?.value ?? 'past_due')
      : filterValue(filters, 'balance_due_paise', 'gte')
        ? 'due'
        : undefined;
  const initial: Search = { q: filterValue(filters, 'q', 'eq'), zone_id: filterValue(filters, 'zone_id', 'eq'), aged };
  const hasFilters = Object.values(initial).some((v) => v !== undefined && v !== null);
  const phoneTable = usePhoneTable();
  const money = (key: string, title: string, sortable = false) => (
    <Table.Column<Receivable>
      key={key}
      dataIndex={key}
      title={title}
      align="right"
      sorter={sortable}
      defaultSortOrder={sortable ? getDefaultSortOrder(key, sorters) : undefined}
      render={(v: number) => (v ? <Money paise={v} /> : <Typography.Text type="secondary">—</Typography.Text>)}
    />
  );

  return (
    <List title="Receivables" headerButtons={<ExportButton resource="receivables" filters={filters} sorters={sorters} />}>
      <Card size="small" title={`By zone${zones ? `, as of ${formatDay(zones.as_of)}` : ''}`} style={{ marginBottom: 24 }} data-testid="receivables-zones">
        <QueryError error={zonesQuery.error} onRetry={() => zonesQuery.refetch()} />
        <Table
          rowKey={(z) => z.zone_id ?? 'total'}
          size="small"
          pagination={false}
          loading={zonesQuery.isLoading}
          dataSource={zones?.zones ?? []}
          scroll={{ x: 'max-content' }}
          summary={() =>
            zones && (
              <Table.Summary fixed>
                <Table.Summary.Row>
                  <Table.Summary.Cell index={0}>
                    <Typography.Text strong>All zones</Typography.Text>
                  </Table.Summary.Cell>
                  <Table.Summary.Cell index={1} align="right">
                    <Typography.Text strong>{zones.total.customers}</Typography.Text>
                  </Table.Summary.Cell>
                  {buckets.map((b, i) => (
                    <Table.Summary.Cell key={b.key} index={2 + i} align="right">
                      <Money paise={zones.total[b.key]} strong />
                    </Table.Summary.Cell>
                  ))}
                  <Table.Summary.Cell index={7} align="right">
                    <Money paise={zones.total.balance_due_paise} strong />
                  </Table.Summary.Cell>
                  <Table.Summary.Cell index={8} align="right">
                    <Money paise={zones.total.wallet_paise} strong />
                  </Table.Summary.Cell>
                </Table.Summary.Row>
              </Table.Summary>
            )
          }
        >
          <Table.Column dataIndex="zone_name" title="Zone" />
          <Table.Column dataIndex="customers" title="Customers owing" align="right" />
          {buckets.map((b) => (
            <Table.Column key={b.key} dataIndex={b.key} title={b.title} align="right" render={(v: number) => <Money paise={v} />} />
          ))}
          <Table.Column dataIndex="balance_due_paise" title="Balance due" align="right" render={(v: number) => <Money paise={v} strong />} />
          <Table.Column dataIndex="wallet_paise" title="Wallet credit" align="right" render={(v: number) => <Money paise={v} />} />
        </Table>
      </Card>
      <FilterBar form={searchFormProps} initialValues={initial} cleared={{ q: undefined, zone_id: undefined, aged: undefined }} active={hasFilters}>
        <FilterSearch name="q" placeholder="Customer name or phone" width={240} />
        <Form.Item name="zone_id">
          <ZoneSelect current={initial.zone_id} allowClear placeholder="All zones" style={{ width: 180 }} />
        </Form.Item>
        <Form.Item name="aged">
          <Select allowClear placeholder="Owing or in credit" style={{ width: 220 }} options={agedOptions.map(({ value, label }) => ({ value, label }))} />
        </Form.Item>
      </FilterBar>
      <QueryError error={tableQuery.error} onRetry={() => tableQuery.refetch()} />
      <Table<Receivable>
        {...withTotal(tableProps, tableQuery.data)}
        {...phoneTable.table}
        rowKey="id"
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: <Empty description={hasFilters ? 'No customer matches these filters' : 'Nobody owes anything'} /> }}
      >
        <Table.Column<Receivable>
          dataIndex="customer_name"
          title="Customer"
          render={(v: string, r) => (
            <div>
              <Link to={`/customers/show/${r.customer_id}?tab=statement`}>{v}</Link>
              <div>
                <Typography.Text type="secondary" style={{ fontSize: 12, whiteSpace: 'nowrap' }}>
                  {formatPhone(r.phone)}
                </Typography.Text>
              </div>
            </div>
          )}
        />
        <Table.Column<Receivable> dataIndex="zone_name" title="Zone" />
        {money('balance_due_paise', 'Balance due', true)}
        {buckets.map((b) => money(b.key, b.title))}
        <Table.Column<Receivable> dataIndex="open_invoices" title="Open invoices" align="right" />
        <Table.Column<Receivable>
          dataIndex="oldest_due_date"
          title="Oldest due"
          sorter
          defaultSortOrder={getDefaultSortOrder('oldest_due_date', sorters)}
          render={(v: string | null, r) => (v ? <span><Day value={v} />{r.days_past_due ? <Typography.Text type="danger"> · {r.days_past_due} d</Typography.Text> : null}</span> : '—')}
        />
        {money('wallet_paise', 'Wallet', true)}
        {money('net_paise', 'Net')}
      </Table>
    </List>
  );
}
