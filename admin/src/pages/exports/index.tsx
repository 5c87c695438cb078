import { DownloadOutlined } from '@ant-design/icons';
import { useCustom } from '@refinedev/core';
import { Button, Card, Empty, Progress, Space, Table, Tag, Typography } from 'antd';
import { QueryError } from '../../components/QueryError';
import { usePhone } from '../../components/responsive';
import { formatDateTime } from '../../format';
import type { ExportJob } from '../../../../api/modules/exports/exports.service';

const statusColor: Record<ExportJob['status'], string> = { queued: 'default', running: 'processing', done: 'success', failed: 'error' };
const size = (bytes: number) => (bytes > 1_048_576 ? `${(bytes / 1_048_576).toFixed(1)} MB` : `${Math.max(1, Math.round(bytes / 1024))} KB`);

/** Your background exports: progress while they run, the file for 24 hours once done. Survives leaving the page. */
export function ExportsPage() {
  const phone = usePhone();
  const { query } = useCustom<{ jobs: ExportJob[] }>({
    url: '/exports',
    method: 'get',
    // Poll while something is queued or running.
    queryOptions: { refetchInterval: (q) => ((q.state.data?.data.jobs ?? []).some((j) => j.status === 'queued' || j.status === 'running') ? 2000 : false) },
  });
  const jobs = query.data?.data.jobs ?? [];
  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }}>
      <Space direction="vertical" size={0}>
        <Typography.Title level={3} style={{ margin: 0 }}>
          Exports
        </Typography.Title>
        <Typography.Text type="secondary">
          Long exports run in the background (a list's Export button, "In the background"); you may leave this page. Each file is kept for 24 hours.
        </Typography.Text>
      </Space>
      <QueryError error={query.error} onRetry={() => query.refetch()} />
      <Card size="small">
        <Table<ExportJob>
          rowKey="id"
          size="small"
          loading={query.isLoading}
          dataSource={jobs}
          pagination={false}
          scroll={phone ? { x: 'max-content' } : undefined}
          data-testid="export-jobs"
          locale={{ emptyText: <Empty description="No background exports yet" /> }}
          columns={[
            { title: 'List', dataIndex: 'resource', render: (v: string, j) => <span title={j.params}>{v.replace(/-/g, ' ')}</span> },
            { title: 'Format', dataIndex: 'format', render: (v: string) => v.toUpperCase() },
            { title: 'Asked', dataIndex: 'created_at', render: (v: string) => <span style={{ whiteSpace: 'nowrap' }}>{formatDateTime(v)}</span> },
            {
              title: 'Status',
              dataIndex: 'status',
              render: (v: ExportJob['status'], j) => (
                <Tag color={statusColor[v]} title={j.error ?? undefined}>
                  {v}
                </Tag>
              ),
            },
            {
              title: 'Progress',
              key: 'progress',
              width: 220,
              render: (_, j) =>
                j.status === 'failed' ? (
                  <Typography.Text type="danger">{j.error}</Typography.Text>
                ) : (
                  <Space direction="vertical" size={0} style={{ width: '100%' }}>
                    <Progress percent={Math.floor((j.progress ?? 0) * 100)} size="small" status={j.status === 'done' ? 'success' : 'active'} />
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {j.rows_done.toLocaleString('en-IN')}
                      {j.rows_total !== null ? ` of ${j.rows_total.toLocaleString('en-IN')}` : ''} rows · {size(j.bytes)}
                    </Typography.Text>
                  </Space>
                ),
            },
            {
              title: 'File',
              key: 'file',
              render: (_, j) =>
                j.download_url ? (
                  <Button size="small" type="primary" icon={<DownloadOutlined />} href={j.download_url} download data-testid="export-job-download">
                    Download
                  </Button>
                ) : j.status === 'done' ? (
                  <Typography.Text type="secondary">Expired</Typography.Text>
                ) : null,
            },
            { title: 'Kept until', dataIndex: 'expires_at', render: (v: string | null) => (v ? <span style={{ whiteSpace: 'nowrap' }}>{formatDateTime(v)}</span> : null) },
          ]}
        />
      </Card>
    </Space>
  );
}
