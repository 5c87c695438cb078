import { withTotal } from '../../components/listTotal';
import { List, ShowButton, useTable } from '@refinedev/antd';
import type { HttpError } from '@refinedev/core';
import { Button, DatePicker, Empty, Form, Input, Select, Table, Tag, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { DateTime } from '../../components/DateTime';
import { JsonDiff } from '../../components/JsonDiff';
import { QueryError } from '../../components/QueryError';
import { istDayRange } from '../../format';
import type { AuditLog } from '../../types';
import { usePhoneTable } from '../../components/responsive';
import { ExportButton } from '../../components/ExportButton';

interface Search {
  table_name?: string;
  action?: string;
  record_id?: string;
  user_email?: string;
  range?: [Dayjs, Dayjs] | null;
}

export const auditTables = ['customers', 'addresses', 'zones', 'products', 'product-requests', 'users', 'roles'];
const actions = ['create', 'update', 'delete', 'approve', 'reject'];
export const actionColors: Record<string, string> = { create: 'green', update: 'blue', delete: 'red', approve: 'cyan', reject: 'volcano' };
const uuidRe = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function AuditLogList() {
  const { tableProps, searchFormProps, tableQuery, filters, sorters } = useTable<AuditLog, HttpError, Search>({
    // Newest first, always: an audit trail is read backwards.
    sorters: { permanent: [{ field: 'created_at', order: 'desc' }] },
    pagination: { pageSize: 25 },
    syncWithLocation: false,
    onSearch: ({ table_name, action, record_id, user_email, range }) => {
      const [from, to] = range ? istDayRange(range[0], range[1]) : [undefined, undefined];
      return [
        { field: 'table_name', operator: 'eq', value: table_name || undefined },
        { field: 'action', operator: 'eq', value: action || undefined },
        { field: 'record_id', operator: 'eq', value: record_id?.trim() || undefined },
        { field: 'user_email', operator: 'contains', value: user_email?.trim() || undefined },
        { field: 'created_at', operator: 'gte', value: from },
        { field: 'created_at', operator: 'lte', value: to },
      ];
    },
  });
  const phoneTable = usePhoneTable();
  return (
    <List title="Audit log" headerButtons={<ExportButton resource="audit-logs" filters={filters} sorters={sorters} />}>
      <Form {...searchFormProps} layout="inline" style={{ marginBottom: 16, rowGap: 8 }}>
        <Form.Item name="table_name">
          <Select allowClear placeholder="Any table" style={{ width: 170 }} options={auditTables.map((t) => ({ value: t, label: t }))} />
        </Form.Item>
        <Form.Item name="action">
          <Select allowClear placeholder="Any action" style={{ width: 140 }} options={actions.map((a) => ({ value: a, label: a }))} />
        </Form.Item>
        <Form.Item name="record_id" rules={[{ pattern: uuidRe, message: 'A record id is a UUID.' }]}>
          <Input allowClear placeholder="Record id" style={{ width: 300 }} />
        </Form.Item>
        <Form.Item name="user_email">
          <Input allowClear placeholder="User email" style={{ width: 200 }} />
        </Form.Item>
        <Form.Item name="range">
          <DatePicker.RangePicker format="D MMM YYYY" allowEmpty={[false, false]} />
        </Form.Item>
        <Form.Item>
          <Button type="primary" htmlType="submit">
            Filter
          </Button>
        </Form.Item>
        <Form.Item>
          <Button
            onClick={() => {
              searchFormProps.form?.resetFields();
              searchFormProps.form?.submit();
            }}
          >
            Reset
          </Button>
        </Form.Item>
      </Form>
      <QueryError error={tableQuery.error} onRetry={() => tableQuery.refetch()} />
      <Table<AuditLog>
        {...withTotal(tableProps, tableQuery.data)} {...phoneTable.table}
        rowKey="id"
        locale={{ emptyText: <Empty description="No audit entries match" /> }}
        expandable={{
          // Updates show what changed; creates and deletes show the whole row.
          expandedRowRender: (r) => <JsonDiff before={r.before} after={r.after} onlyChanged={Boolean(r.before && r.after)} />,
          rowExpandable: (r) => Boolean(r.before || r.after),
        }}
      >
        <Table.Column<AuditLog> dataIndex="created_at" title="When (IST)" render={(v: string) => <DateTime value={v} />} />
        <Table.Column<AuditLog> dataIndex="user_email" title="Who" render={(v: string | null) => v ?? <Typography.Text type="secondary">system</Typography.Text>} />
        <Table.Column<AuditLog> dataIndex="action" title="Action" render={(v: string) => <Tag color={actionColors[v] ?? 'default'}>{v}</Tag>} />
        <Table.Column<AuditLog> dataIndex="table_name" title="Table" />
        <Table.Column<AuditLog>
          dataIndex="record_id"
          title="Record"
          render={(_, r) => summary(r)}
        />
        <Table.Column<AuditLog> title="" key="actions" {...phoneTable.actions} render={(_, r) => <ShowButton hideText size="small" recordItemId={r.id} />} />
      </Table>
    </List>
  );
}

/** A short human label for the record: its name if the row had one, else the id's first characters. */
function summary(r: AuditLog) {
  const row = r.after ?? r.before ?? {};
  const name = typeof row.name === 'string' ? row.name : typeof row.line1 === 'string' ? row.line1 : null;
  return (
    <span>
      {name && <span style={{ marginRight: 8 }}>{name}</span>}
      {r.record_id && (
        <Typography.Text type="secondary" copyable={{ text: r.record_id, tooltips: ['Copy id', 'Copied'] }} style={{ fontFamily: 'monospace', fontSize: 12 }}>
          {r.record_id.slice(0, 8)}
        </Typography.Text>
      )}
    </span>
  );
}
