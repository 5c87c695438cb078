import { List, useSelect, useTable } from '@refinedev/antd';
import { type HttpError, useLink } from '@refinedev/core';
import { DatePicker, Empty, Form, Select, Space, Table, Typography } from 'antd';
import dayjs from 'dayjs';
import { useEffect } from 'react';
import { useSearchParams } from 'react-router';
import { FilterBar, FilterSearch } from '../../components/FilterBar';
import { filterValue } from '../../components/filters';
import { withTotal } from '../../components/listTotal';
import { Money } from '../../components/Money';
import { QueryError } from '../../components/QueryError';
import { usePhone, usePhoneTable } from '../../components/responsive';
import type { Staff } from '../staff/types';
import { type EarningsLine, type EarningsType, monthLabel, options, type PayoutBatch, staffMonthPath, typeLabels } from './shared';

interface Search {
  q?: string;
  staff_id?: string;
  type?: EarningsType;
  days?: [dayjs.Dayjs, dayjs.Dayjs] | null;
  payout_batch_id?: string;
  paid?: 'true' | 'false';
}

/** Every earnings line (per delivery and type, and adjustments), newest day first; a staff member's month one click away. */
export function EarningsList() {
  const Link = useLink();
  const [params] = useSearchParams();
  // Links from a staff member's month or a transfer arrive with ?staff_id=&type=&month= or ?payout_item_id=.
  const fromLink = (): { field: string; operator: 'eq' | 'gte' | 'lte'; value: string }[] => {
    const f: { field: string; operator: 'eq' | 'gte' | 'lte'; value: string }[] = [];
    for (const k of ['staff_id', 'type', 'payout_item_id', 'payout_batch_id']) if (params.get(k)) f.push({ field: k, operator: 'eq', value: params.get(k)! });
    const m = params.get('month');
    if (m && /^\d{4}-\d{2}$/.test(m)) f.push({ field: 'earned_on', operator: 'gte', value: `${m}-01` }, { field: 'earned_on', operator: 'lte', value: dayjs(`${m}-01`).endOf('month').format('YYYY-MM-DD') });
    return f;
  };
  const { tableProps, filters, setFilters, searchFormProps, tableQuery } = useTable<EarningsLine, HttpError, Search>({
    resource: 'earnings',
    sorters: { initial: [{ field: 'earned_on', order: 'desc' }] },
    pagination: { pageSize: 50 },
    syncWithLocation: false,
    filters: { initial: fromLink() },
    onSearch: ({ q, staff_id, type, days, payout_batch_id, paid }) => [
      { field: 'q', operator: 'eq', value: q?.trim() || undefined },
      { field: 'staff_id', operator: 'eq', value: staff_id || undefined },
      { field: 'type', operator: 'eq', value: type || undefined },
      { field: 'earned_on', operator: 'gte', value: days?.[0]?.format('YYYY-MM-DD') },
      { field: 'earned_on', operator: 'lte', value: days?.[1]?.format('YYYY-MM-DD') },
      { field: 'payout_batch_id', operator: 'eq', value: payout_batch_id || undefined },
      { field: 'payout_item_id', operator: 'eq', value: undefined },
      { field: 'paid', operator: 'eq', value: paid || undefined },
    ],
  });
  useEffect(() => {
    const f = fromLink();
    if (f.length) setFilters(f, 'replace');
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [params.toString()]);
  const { selectProps: staffSelect } = useSelect<Staff>({
    resource: 'staff',
    optionLabel: 'name',
    optionValue: 'id',
    sorters: [{ field: 'name', order: 'asc' }],
    pagination: { pageSize: 50 },
    defaultValue: filterValue(filters, 'staff_id', 'eq'),
    onSearch: (v) => [{ field: 'q', operator: 'eq', value: v.trim() || undefined }],
  });
  const { selectProps: batchSelect } = useSelect<PayoutBatch>({
    resource: 'payout-batches',
    optionLabel: (b) => `${monthLabel(b.month)} (${b.status})`,
    optionValue: 'id',
    sorters: [{ field: 'created_at', order: 'desc' }],
    pagination: { pageSize: 24 },
    defaultValue: filterValue(filters, 'payout_batch_id', 'eq'),
  });
  const from = filterValue(filters, 'earned_on', 'gte');
  const to = filterValue(filters, 'earned_on', 'lte');
  const initial: Search = {
    q: filterValue(filters, 'q', 'eq'),
    staff_id: filterValue(filters, 'staff_id', 'eq'),
    type: filterValue(filters, 'type', 'eq') as EarningsType | undefined,
    days: from && to ? [dayjs(from), dayjs(to)] : undefined,
    payout_batch_id: filterValue(filters, 'payout_batch_id', 'eq'),
    paid: filterValue(filters, 'paid', 'eq') as Search['paid'],
  };
  const hasFilters = Object.values(initial).some(Boolean) || Boolean(filterValue(filters, 'payout_item_id', 'eq'));
  const phoneTable = usePhoneTable();
  // On a phone the type goes under the name, so the amount stays on screen.
  const phone = usePhone();
  const oneStaff = initial.staff_id;
  const staffMonth = oneStaff ? staffMonthPath(oneStaff, (from ?? dayjs().format('YYYY-MM-DD')).slice(0, 7)) : undefined;

  return (
    <List title="Earnings" headerButtons={staffMonth ? <Link to={staffMonth}>Open this staff member's month</Link> : undefined}>
      <FilterBar form={searchFormProps} initialValues={initial} cleared={{ q: undefined, staff_id: undefined, type: undefined, days: null, payout_batch_id: undefined, paid: undefined }} active={hasFilters}>
        <FilterSearch name="q" placeholder="Adjustment reason" width={200} />
        <Form.Item name="staff_id">
          <Select {...staffSelect} allowClear placeholder="All staff" style={{ width: 190 }} />
        </Form.Item>
        <Form.Item name="type">
          <Select allowClear placeholder="Any type" style={{ width: 170 }} options={options(typeLabels)} />
        </Form.Item>
        <Form.Item name="days">
          <DatePicker.RangePicker format="D MMM YY" allowEmpty={[false, false]} presets={[0, 1, 2].map((n) => ({ label: dayjs().subtract(n, 'month').format('MMM YYYY'), value: [dayjs().subtract(n, 'month').startOf('month'), dayjs().subtract(n, 'month').endOf('month')] as [dayjs.Dayjs, dayjs.Dayjs] }))} />
        </Form.Item>
        <Form.Item name="paid">
          <Select
            allowClear
            placeholder="Paid and unpaid"
            style={{ width: 160 }}
            options={[
              { value: 'false', label: 'Unpaid' },
              { value: 'true', label: 'Paid' },
            ]}
          />
        </Form.Item>
        <Form.Item name="payout_batch_id">
          <Select {...batchSelect} allowClear placeholder="Any batch" style={{ width: 200 }} />
        </Form.Item>
      </FilterBar>
      <QueryError error={tableQuery.error} onRetry={() => tableQuery.refetch()} />
      <Table<EarningsLine>
        {...withTotal(tableProps, tableQuery.data)}
        {...phoneTable.table}
        rowKey="id"
        size="small"
        locale={{ emptyText: <Empty description={hasFilters ? 'No earnings lines match these filters' : 'No earnings yet: lines appear as deliveries are confirmed'} /> }}
      >
        <Table.Column<EarningsLine> dataIndex="earned_on" title="Day" sorter render={(v: string) => <span style={{ whiteSpace: 'nowrap' }}>{dayjs(v).format('D MMM YYYY')}</span>} />
        <Table.Column<EarningsLine>
          dataIndex="staff_name"
          title="Staff"
          render={(v: string, l) => (
            <Space direction="vertical" size={0}>
              <Link to={staffMonthPath(l.staff_id, l.earned_on)}>{v}</Link>
              {phone && <Typography.Text type="secondary" style={{ fontSize: 12 }}>{typeLabels[l.type]}</Typography.Text>}
            </Space>
          )}
        />
        {phone && <Table.Column<EarningsLine> key="amount_phone" dataIndex="amount_paise" title="Amount" align="right" render={(v: number) => <Money paise={v} />} />}
        <Table.Column<EarningsLine>
          dataIndex="type"
          title="Type"
          render={(v: EarningsType, l) => (
            <Space direction="vertical" size={0}>
              {typeLabels[v]}
              {l.reason && <Typography.Text type="secondary" style={{ fontSize: 12 }}>{l.reason}</Typography.Text>}
            </Space>
          )}
        />
        {!phone && <Table.Column<EarningsLine> dataIndex="amount_paise" title="Amount" align="right" render={(v: number) => <Money paise={v} />} />}
        <Table.Column<EarningsLine>
          dataIndex="payout_batch_id"
          title="Paid in"
          render={(v: string | null) => (v ? <Link to={`/field/payout-batches/show/${v}`}>batch</Link> : <Typography.Text type="secondary">unpaid</Typography.Text>)}
        />
        <Table.Column<EarningsLine> dataIndex="delivery_id" title="Delivery" render={(v: string | null) => (v ? <Link to={`/deliveries/show/${v}`}>{v.slice(0, 8)}</Link> : '—')} />
      </Table>
    </List>
  );
}
