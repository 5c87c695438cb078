import { CheckCircleFilled, ReloadOutlined, WarningFilled } from '@ant-design/icons';
import { List, useTable } from '@refinedev/antd';
import { type HttpError, useCan, useCustom, useCustomMutation } from '@refinedev/core';
import { Alert, Button, Card, Empty, Select, Space, Table, Tag, Typography } from 'antd';
import { type ReactNode, useState } from 'react';
import { DateTime } from '../../components/DateTime';
import { Money } from '../../components/Money';
import { QueryError } from '../../components/QueryError';
import { formatDay, RecordRef } from '../invoices/shared';
import { anomalyKindLabels, type ImportAnomaly, type ImportRun } from '../imports/shared';
import type { DataHealthStatus as DataHealth, HealthCheck } from '../../../../api/modules/health/health.schemas';

// Which page an example id of each check opens (checks whose ids are delivery items or series numbers have none).
const exampleResource: Record<string, string | undefined> = {
  orders_without_customer: 'orders',
  orders_address_not_customers: 'orders',
  subscription_orders_without_subscription: 'orders',
  orders_total_differs_from_items: 'orders',
  deliveries_without_order: 'deliveries',
  billing_without_delivered_item: 'billing-records',
  billing_on_void_invoice: 'billing-records',
  invoice_total_differs_from_lines: 'invoices',
  invoice_total_differs_from_billing: 'invoices',
};

export function DataHealthPage() {
  // The API answers at once with the last run; while one is running, ask again every 2 s until it is done.
  const { query } = useCustom<DataHealth>({
    url: '/data-health',
    method: 'get',
    queryOptions: { refetchOnWindowFocus: false, refetchInterval: (q) => ((q.state.data?.data as DataHealth | undefined)?.running ? 2000 : false) },
  });
  const health = query.data?.data; // not `result.data`: an empty object while loading
  const broken = health?.checks.filter((c) => c.count > 0).length ?? 0;
  const { mutate: runNow, mutation: runMutation } = useCustomMutation<DataHealth>();
  const checkNow = () => runNow({ url: '/data-health/run', method: 'post', values: {}, successNotification: false }, { onSuccess: () => query.refetch() });
  const { data: canAnomalies } = useCan({ resource: 'import-anomalies', action: 'list' });
  return (
    <List
      title="Data health"
      headerButtons={
        <Button icon={<ReloadOutlined />} loading={runMutation.isPending || Boolean(health?.running)} onClick={checkNow}>
          {health?.running ? 'Checking…' : 'Check now'}
        </Button>
      }
    >
      <Typography.Paragraph type="secondary" style={{ marginTop: -8 }}>
        Every broken link the order → delivery → billing → invoice chain could have. The database's rules make them impossible; these checks do not trust that. The same checks run from the command line with <Typography.Text code>npm run check</Typography.Text>.
      </Typography.Paragraph>
      <QueryError error={query.error} onRetry={() => query.refetch()} />
      {health && (
        <Typography.Paragraph type="secondary" data-testid="health-checked">
          {health.checked_at ? (
            <>
              Last checked <DateTime value={health.checked_at} /> (took {Math.max(1, Math.round((health.took_ms ?? 0) / 1000))} s).{' '}
            </>
          ) : (
            'Not checked yet. '
          )}
          {health.running && (
            <>
              Checking again now, since <DateTime value={health.running_since} />.
            </>
          )}
        </Typography.Paragraph>
      )}
      {health?.error && <Alert showIcon type="warning" style={{ marginBottom: 16 }} message={health.error} />}
      {health && health.ok !== null && (
        <Alert
          showIcon
          type={health.ok ? 'success' : 'error'}
          style={{ marginBottom: 16 }}
          message={health.ok ? `All ${health.checks.length} checks passed: no broken link in the chain.` : `${broken} of ${health.checks.length} checks found broken rows.`}
        />
      )}
      <Table<HealthCheck>
        rowKey="name"
        size="middle"
        pagination={false}
        loading={query.isLoading}
        dataSource={health?.checks ?? []}
        locale={{ emptyText: <Empty description={query.isLoading ? 'Checking…' : 'No checks'} /> }}
      >
        <Table.Column<HealthCheck>
          dataIndex="count"
          title="Result"
          width={110}
          render={(v: number) =>
            v === 0 ? (
              <Tag color="green" icon={<CheckCircleFilled />}>
                0
              </Tag>
            ) : (
              <Tag color="red" icon={<WarningFilled />}>
                {v.toLocaleString('en-IN')}
              </Tag>
            )
          }
        />
        <Table.Column<HealthCheck>
          dataIndex="label"
          title="Check"
          render={(v: string, c) => (
            <Space direction="vertical" size={0}>
              <span>{v}</span>
              <Typography.Text type="secondary" style={{ fontSize: 12, fontFamily: 'monospace' }}>
                {c.name}
              </Typography.Text>
            </Space>
          )}
        />
        <Table.Column<HealthCheck>
          dataIndex="examples"
          title="Examples"
          render={(ids: string[], c) =>
            ids.length === 0 ? (
              <Typography.Text type="secondary">—</Typography.Text>
            ) : (
              <Space wrap size={[12, 4]}>
                {ids.map((id) => {
                  const resource = exampleResource[c.name];
                  return resource ? <RecordRef key={id} resource={resource} id={id} /> : <Typography.Text key={id} code copyable={{ text: id }}>{id.length > 20 ? id.slice(0, 8) : id}</Typography.Text>;
                })}
              </Space>
            )
          }
        />
      </Table>
      {canAnomalies?.can && <ImportAnomalies />}
    </List>
  );
}

const reviewKinds: ImportAnomaly['kind'][] = ['orphan_order', 'phantom_delivery', 'duplicate_delivery_mark'];

/** What the last legacy import set aside (orphan orders, phantom deliveries, duplicate delivery marks ...), for a person to review. */
function ImportAnomalies() {
  const { query } = useCustom<ImportRun>({ url: '/imports/latest', method: 'get', errorNotification: false, queryOptions: { retry: false } });
  const run = query.data?.data as ImportRun | null | undefined; // not `result.data`: an empty object while loading; null when no import ran
  // No import yet answers null: then there is nothing to review and no section.
  if (query.isLoading || !run) return null;
  return <AnomalyTable run={run} />;
}

function AnomalyTable({ run }: { run: ImportRun }) {
  const [kinds, setKinds] = useState<ImportAnomaly['kind'][]>(reviewKinds);
  const { tableProps, tableQuery, setFilters } = useTable<ImportAnomaly, HttpError>({
    resource: 'import-anomalies',
    syncWithLocation: false,
    pagination: { pageSize: 10 },
    filters: {
      permanent: [{ field: 'run_id', operator: 'eq', value: run.id }],
      initial: [{ field: 'kind', operator: 'in', value: reviewKinds }],
    },
    sorters: { initial: [{ field: 'kind', order: 'asc' }, { field: 'legacy_id', order: 'asc' }] },
  });
  const total = tableQuery.data?.total ?? 0;
  return (
    <Card
      title="Set aside by the last legacy import"
      size="small"
      style={{ marginTop: 24 }}
      extra={
        <Typography.Text type="secondary">
          Import of <DateTime value={run.started_at} />
        </Typography.Text>
      }
    >
      <Typography.Paragraph type="secondary">
        These documents of the old system were not imported as data, because they break the chain: orders of customers that do not exist, delivery marks without an order, and a second mark for an order already delivered. Review them with the business; nothing here is billed.
      </Typography.Paragraph>
      <Select
        mode="multiple"
        style={{ minWidth: 420, marginBottom: 16 }}
        value={kinds}
        placeholder="Every kind"
        onChange={(v: ImportAnomaly['kind'][]) => {
          setKinds(v);
          setFilters([{ field: 'kind', operator: 'in', value: v.length ? v : undefined }], 'replace');
        }}
        options={(Object.keys(anomalyKindLabels) as ImportAnomaly['kind'][]).map((k) => ({ value: k, label: anomalyKindLabels[k] }))}
      />
      <QueryError error={tableQuery.error} onRetry={() => tableQuery.refetch()} />
      <Table<ImportAnomaly>
        {...tableProps}
        rowKey="id"
        size="small"
        locale={{ emptyText: <Empty description={kinds.length ? 'None of these: nothing to review' : 'Nothing to review'} /> }}
        footer={total ? () => <Typography.Text type="secondary">{total.toLocaleString('en-IN')} to review</Typography.Text> : undefined}
      >
        <Table.Column<ImportAnomaly> dataIndex="kind" title="What" render={(k: ImportAnomaly['kind']) => <Tag color={k === 'orphan_order' ? 'volcano' : k === 'phantom_delivery' ? 'magenta' : k === 'duplicate_delivery_mark' ? 'orange' : 'default'}>{anomalyKindLabels[k] ?? k}</Tag>} />
        <Table.Column<ImportAnomaly> dataIndex="collection" title="Old collection" render={(v: string) => <Typography.Text code style={{ whiteSpace: 'nowrap' }}>{v}</Typography.Text>} />
        <Table.Column<ImportAnomaly> dataIndex="legacy_id" title="Old _id" render={(v: string | null) => (v ? <Typography.Text copyable style={{ fontFamily: 'monospace', fontSize: 12 }}>{v}</Typography.Text> : '—')} />
        <Table.Column<ImportAnomaly> key="detail" title="Details" render={(_, a) => <AnomalyDetail anomaly={a} />} />
        <Table.Column<ImportAnomaly> dataIndex="record_id" title="Milkrun record" render={(v: string | null) => (v ? <RecordRef resource="orders" id={v} /> : <Typography.Text type="secondary">not imported</Typography.Text>)} />
      </Table>
    </Card>
  );
}

/** The anomaly's detail as a short sentence: dates, the old ids it points at, amounts in rupees. */
export function AnomalyDetail({ anomaly }: { anomaly: ImportAnomaly }) {
  const d = anomaly.detail ?? {};
  const parts: ReactNode[] = [];
  const text = (label: string, v: unknown) => {
    if (v === undefined || v === null || v === '') return;
    const shown = typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v) ? formatDay(v) : String(v);
    parts.push(
      <span key={label}>
        {label} <b>{shown}</b>
      </span>,
    );
  };
  text('date', d.date);
  text('month', d.month);
  text('status', d.status);
  text('type', d.order_type);
  text('customer', d.customer_id);
  text('order', d.order_id);
  text('kept mark', d.kept_row);
  text('line', d.line);
  if (typeof d.value_paise === 'number') parts.push(<span key="value">value <Money paise={d.value_paise} /></span>);
  if (typeof d.amount_paise === 'number') parts.push(<span key="amount">amount <Money paise={d.amount_paise} /></span>);
  if (d.billed === true) parts.push(<Tag key="billed">billed by the old system</Tag>);
  if (typeof d.delivery_rows === 'number' && d.delivery_rows > 0) parts.push(<span key="rows">{d.delivery_rows} delivery mark{d.delivery_rows === 1 ? '' : 's'}</span>);
  text('reason', d.reason);
  if (!parts.length) return <Typography.Text type="secondary">—</Typography.Text>;
  return (
    <Space wrap size={[12, 0]} style={{ fontSize: 12 }}>
      {parts}
    </Space>
  );
}
