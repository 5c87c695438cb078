import { useCan, useLink, useList } from '@refinedev/core';
import { Card, Empty, Table, Tag } from 'antd';
import { listUrl } from '../pages/invoices/shared';
import type { AuditLog } from '../types';
import { DateTime } from './DateTime';
import { JsonDiff } from './JsonDiff';

/**
 * A record's audit trail (who did what, when, before and after), newest first, for roles that may read the audit log.
 * `table` is the audit rows' table name (the API resource: 'payments').
 */
export function RecordHistory({ table, id, title = 'History' }: { table: string; id: string | undefined; title?: string }) {
  const Link = useLink();
  const { data: can } = useCan({ resource: 'audit-logs', action: 'list' });
  const { result, query } = useList<AuditLog>({
    resource: 'audit-logs',
    filters: [
      { field: 'table_name', operator: 'eq', value: table },
      { field: 'record_id', operator: 'eq', value: id },
    ],
    sorters: [{ field: 'created_at', order: 'desc' }],
    pagination: { currentPage: 1, pageSize: 20 },
    queryOptions: { enabled: Boolean(id && can?.can) },
  });
  if (!can?.can || !id) return null;
  return (
    <Card
      size="small"
      title={title}
      style={{ marginTop: 24 }}
      extra={
        <Link to={listUrl('/audit-logs', [{ field: 'record_id', value: id }])}>
          In the audit log
        </Link>
      }
      data-testid="record-history"
    >
      <Table<AuditLog>
        rowKey="id"
        size="small"
        pagination={false}
        loading={query.isLoading}
        dataSource={result?.data ?? []}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: <Empty description="No audit rows" /> }}
        expandable={{ expandedRowRender: (r) => <JsonDiff before={r.before as never} after={r.after as never} onlyChanged /> }}
      >
        <Table.Column<AuditLog> dataIndex="created_at" title="When" render={(v: string) => <DateTime value={v} />} />
        <Table.Column<AuditLog> dataIndex="action" title="Action" render={(v: string) => <Tag>{v}</Tag>} />
        <Table.Column<AuditLog> dataIndex="user_email" title="Who" render={(v: string | null) => v ?? 'system'} />
      </Table>
    </Card>
  );
}
