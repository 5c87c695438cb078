import { Show } from '@refinedev/antd';
import { useShow } from '@refinedev/core';
import { Card, Descriptions, Switch, Tag, Typography } from 'antd';
import { useState } from 'react';
import { DateTime } from '../../components/DateTime';
import { JsonDiff } from '../../components/JsonDiff';
import { QueryError } from '../../components/QueryError';
import type { AuditLog } from '../../types';
import { actionColors } from './list';

export function AuditLogShow() {
  const { query, result: r } = useShow<AuditLog>();
  const [onlyChanged, setOnlyChanged] = useState(false);
  return (
    <Show isLoading={query.isLoading} title="Audit entry" canEdit={false} canDelete={false}>
      <QueryError error={query.error} onRetry={() => query.refetch()} />
      {r && (
        <>
          <Descriptions bordered size="small" column={{ xs: 1, md: 2 }} style={{ marginBottom: 24 }}>
            <Descriptions.Item label="When">
              <DateTime value={r.created_at} />
            </Descriptions.Item>
            <Descriptions.Item label="Who">{r.user_email ?? 'system'}</Descriptions.Item>
            <Descriptions.Item label="Action">
              <Tag color={actionColors[r.action] ?? 'default'}>{r.action}</Tag>
            </Descriptions.Item>
            <Descriptions.Item label="Table">{r.table_name}</Descriptions.Item>
            <Descriptions.Item label="Record id">{r.record_id ? <Typography.Text copyable>{r.record_id}</Typography.Text> : '—'}</Descriptions.Item>
            <Descriptions.Item label="Request id">{r.request_id ? <Typography.Text copyable>{r.request_id}</Typography.Text> : '—'}</Descriptions.Item>
          </Descriptions>
          <Card
            size="small"
            title="Before and after"
            extra={
              <span>
                Changed fields only <Switch size="small" checked={onlyChanged} onChange={setOnlyChanged} />
              </span>
            }
          >
            <JsonDiff before={r.before} after={r.after} onlyChanged={onlyChanged} />
          </Card>
        </>
      )}
    </Show>
  );
}
