import { CreateButton, EditButton, getDefaultSortOrder, List, useTable } from '@refinedev/antd';
import { type HttpError, useCan, useLink, useUpdate } from '@refinedev/core';
import { Button, Empty, Form, Popconfirm, Select, Space, Table, Tag, Typography } from 'antd';
import { DateTime } from '../../components/DateTime';
import { FilterBar, FilterSearch, ZoneSelect } from '../../components/FilterBar';
import { filterValue } from '../../components/filters';
import { QueryError } from '../../components/QueryError';
import { ActiveTag } from '../../components/tags';
import { formatPhone } from '../../format';
import type { Staff } from './types';
import { lastMonth, staffMonthPath } from '../field-pay/shared';
import { usePhoneTable } from '../../components/responsive';

interface Search {
  q?: string;
  zone_id?: string;
  is_active?: 'true' | 'false';
}

export function StaffList() {
  const { tableProps, sorters, filters, searchFormProps, tableQuery } = useTable<Staff, HttpError, Search>({
    sorters: { initial: [{ field: 'name', order: 'asc' }] },
    pagination: { pageSize: 25 },
    onSearch: ({ q, zone_id, is_active }) => [
      { field: 'q', operator: 'eq', value: q?.trim() || undefined },
      { field: 'zone_id', operator: 'eq', value: zone_id || undefined },
      { field: 'is_active', operator: 'eq', value: is_active || undefined },
    ],
  });
  const { mutate: update, mutation } = useUpdate<Staff>();
  const { data: canEdit } = useCan({ resource: 'staff', action: 'edit' });
  // A staff member's month (earnings, KPIs, statement) opens from their row for those who may read earnings.
  const { data: canEarnings } = useCan({ resource: 'earnings', action: 'show' });
  const Link = useLink();
  const hasFilters = Boolean(filterValue(filters, 'q') || filterValue(filters, 'zone_id') || filterValue(filters, 'is_active'));

  // Staff are never deleted (deliveries point at them): deactivating stops new assignments.
  const setActive = (s: Staff, is_active: boolean) =>
    update({
      resource: 'staff',
      id: s.id,
      values: { is_active },
      successNotification: {
        type: 'success',
        description: is_active ? `${s.name} is active again` : `${s.name} deactivated`,
        message: is_active ? 'New deliveries can be assigned to them.' : 'No new deliveries will be assigned to them; reassign their pending ones.',
      },
    });

  const phoneTable = usePhoneTable();
  return (
    <List headerButtons={<CreateButton>Add staff member</CreateButton>}>
      <FilterBar form={searchFormProps} initialValues={{ q: filterValue(filters, 'q'), zone_id: filterValue(filters, 'zone_id'), is_active: filterValue(filters, 'is_active') }} cleared={{ q: undefined, zone_id: undefined, is_active: undefined }} active={hasFilters}>
        <FilterSearch name="q" placeholder="Name or phone" width={240} />
        <Form.Item name="zone_id">
          <ZoneSelect allowClear placeholder="All zones" style={{ width: 200 }} />
        </Form.Item>
        <Form.Item name="is_active">
          <Select
            allowClear
            placeholder="Active and inactive"
            style={{ width: 190 }}
            options={[
              { value: 'true', label: 'Active only' },
              { value: 'false', label: 'Inactive only' },
            ]}
          />
        </Form.Item>
      </FilterBar>
      <QueryError error={tableQuery.error} onRetry={() => tableQuery.refetch()} />
      <Table {...tableProps} {...phoneTable.table} rowKey="id" locale={{ emptyText: <Empty description={hasFilters ? 'No staff match these filters' : 'No delivery staff yet'} /> }}>
        <Table.Column<Staff>
          dataIndex="name"
          title="Name"
          sorter
          defaultSortOrder={getDefaultSortOrder('name', sorters)}
          render={(v: string, s) => (
            <Typography.Text strong={s.is_active} type={s.is_active ? undefined : 'secondary'}>
              {v}
            </Typography.Text>
          )}
        />
        <Table.Column<Staff> dataIndex="phone" title="Phone" sorter defaultSortOrder={getDefaultSortOrder('phone', sorters)} render={(v: string) => <span style={{ whiteSpace: 'nowrap' }}>{formatPhone(v)}</span>} />
        <Table.Column<Staff>
          dataIndex="zone_name"
          title="Home zone"
          sorter
          defaultSortOrder={getDefaultSortOrder('zone_name', sorters)}
          render={(v: string | null) => v ?? <Typography.Text type="secondary">no zone</Typography.Text>}
        />
        <Table.Column<Staff> dataIndex="user_id" title="App login" render={(v: string | null) => (v ? <Tag color="orange">linked</Tag> : <Typography.Text type="secondary">—</Typography.Text>)} />
        <Table.Column<Staff>
          key="pays_to"
          title="Pays to"
          render={(_, s) => <span style={{ whiteSpace: 'nowrap' }}>{s.bank_account_number ? `A/c ${s.bank_account_number}` : s.upi_id ? `UPI ${s.upi_id}` : <Typography.Text type="secondary">—</Typography.Text>}</span>}
        />
        <Table.Column<Staff> dataIndex="is_active" title="Status" sorter defaultSortOrder={getDefaultSortOrder('is_active', sorters)} render={(v: boolean) => <ActiveTag active={v} />} />
        <Table.Column<Staff> dataIndex="created_at" title="Added" sorter defaultSortOrder={getDefaultSortOrder('created_at', sorters)} render={(v: string) => <DateTime value={v} dateOnly />} />
        {(canEdit?.can || canEarnings?.can) && (
          <Table.Column<Staff>
            title="Actions"
            key="actions" {...phoneTable.actions}
            render={(_, s) => (
              <Space>
                {canEarnings?.can && (
                  <Link to={staffMonthPath(s.id, lastMonth())}>
                    <Button size="small">Earnings</Button>
                  </Link>
                )}
                {canEdit?.can && <EditButton hideText size="small" recordItemId={s.id} />}
                {canEdit?.can && (
                <Popconfirm
                  title={s.is_active ? `Deactivate ${s.name}?` : `Reactivate ${s.name}?`}
                  description={s.is_active ? 'No new deliveries will be assigned to them.' : 'They can be assigned deliveries again.'}
                  okText={s.is_active ? 'Deactivate' : 'Reactivate'}
                  okButtonProps={{ danger: s.is_active }}
                  onConfirm={() => setActive(s, !s.is_active)}
                >
                  <Button size="small" danger={s.is_active} loading={mutation.isPending && mutation.variables?.id === s.id}>
                    {s.is_active ? 'Deactivate' : 'Reactivate'}
                  </Button>
                </Popconfirm>
                )}
              </Space>
            )}
          />
        )}
      </Table>
    </List>
  );
}
