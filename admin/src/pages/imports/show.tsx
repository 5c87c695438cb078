import { ReloadOutlined } from '@ant-design/icons';
import { List, useTable } from '@refinedev/antd';
import { type HttpError, useCustom, useLink } from '@refinedev/core';
import { Alert, Button, Card, Col, Descriptions, Empty, Row, Skeleton, Space, Statistic, Table, Tag, Typography } from 'antd';
import { DateTime } from '../../components/DateTime';
import { Money } from '../../components/Money';
import { QueryError } from '../../components/QueryError';
import { formatPaise, humanize } from '../../format';
import type { CollectionCount, ImportAnomaly, ImportReport, ImportRun } from './shared';

type Anomalies = ImportReport['anomalies'];

// The report's anomaly counters in words, in the order a person reads them; `review` ones were set aside, not imported.
const anomalyRows: { key: keyof Anomalies; label: string; help: string; review?: boolean; money?: boolean }[] = [
  { key: 'orphan_orders', label: 'Orders of a customer that does not exist', help: 'Orphan orders: not imported, listed on Data health.', review: true },
  { key: 'phantom_deliveries', label: 'Delivery marks without an order', help: 'Phantom deliveries: not imported, listed on Data health.', review: true },
  { key: 'duplicate_delivery_marks', label: 'Extra delivery marks on one order', help: 'The same order marked delivered more than once: the first mark was kept.', review: true },
  { key: 'customers_without_user_id', label: 'Customers without a user link', help: 'Imported; the old system had no login for them.' },
  { key: 'orders_delivery_linked_by_order_id', label: 'Deliveries found by order id', help: 'Delivered or failed orders whose delivery row named the order.' },
  { key: 'orders_delivery_linked_by_customer_and_date', label: 'Deliveries found by customer and date only', help: 'Older delivery rows without an order id, matched on customer and day.' },
  { key: 'delivered_one_time_orders', label: 'Delivered one-time orders', help: 'Orders outside any subscription that were delivered.' },
  { key: 'unbilled_delivered_one_time_orders', label: '… of which the old system never billed', help: 'The revenue the old system lost: billed now by the next invoice run.' },
  { key: 'unbilled_delivered_one_time_paise', label: 'Value of those unbilled one-time orders', help: 'As the old system priced them (quantity × price, no tax).', money: true },
  { key: 'delivered_value_paise', label: 'Value of all delivered orders', help: 'Every delivered order in the export, as the old system priced it.', money: true },
];

const NoImport = () => (
  <Card>
    <Empty
      description={
        <Space direction="vertical" size={4}>
          <Typography.Text strong data-testid="no-import">
            No import yet — run <Typography.Text code>npm run import:legacy -- &lt;export-dir&gt;</Typography.Text>
          </Typography.Text>
          <Typography.Text type="secondary">
            Add <Typography.Text code>--dry-run</Typography.Text> first to see what it would do without changing anything. The report shows here once an import has run.
          </Typography.Text>
        </Space>
      }
    />
  </Card>
);

// The importer's own order (the report is stored as jsonb, which does not keep key order).
const collectionOrder = ['users', 'products', 'delivery_boys_v2', 'customers_v2', 'subscriptions_v2', 'orders', 'delivery_statuses', 'billing_records'];
const byCollection = ([a]: [string, unknown], [b]: [string, unknown]) => {
  const rank = (c: string) => (collectionOrder.includes(c) ? collectionOrder.indexOf(c) : collectionOrder.length);
  return rank(a) - rank(b) || a.localeCompare(b);
};

/** The last legacy import's report: what was read and imported, what the old data got wrong, and the revenue recovered. */
export function ImportReportPage() {
  const { query } = useCustom<ImportRun>({ url: '/imports/latest', method: 'get', errorNotification: false, queryOptions: { retry: false } });
  const run = query.data?.data as ImportRun | null | undefined; // not `result.data`: an empty object while loading; null when no import ran
  // The API answers null when no import has run yet.
  const none = query.isSuccess && !run;
  return (
    <List
      title="Legacy import"
      headerButtons={
        <Button icon={<ReloadOutlined />} loading={query.isFetching} onClick={() => query.refetch()}>
          Refresh
        </Button>
      }
    >
      {query.isLoading && <Skeleton active paragraph={{ rows: 8 }} />}
      {none && <NoImport />}
      <QueryError error={query.error} onRetry={() => query.refetch()} />
      {run && <Report run={run} />}
    </List>
  );
}

function Report({ run }: { run: ImportRun }) {
  const Link = useLink();
  const r = run.report;
  const a = r?.anomalies;
  const toReview = a ? a.orphan_orders + a.phantom_deliveries + a.duplicate_delivery_marks : 0;
  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }}>
      <Descriptions bordered size="small" column={{ xs: 1, md: 2, xl: 3 }}>
        <Descriptions.Item label="Export folder">
          <Typography.Text code>{run.source}</Typography.Text>
        </Descriptions.Item>
        <Descriptions.Item label="Status">
          <Tag color={run.status === 'completed' ? 'success' : run.status === 'failed' ? 'error' : 'processing'}>{run.status}</Tag>
        </Descriptions.Item>
        <Descriptions.Item label="Duration">{r ? `${(r.duration_ms / 1000).toFixed(1)} s` : '—'}</Descriptions.Item>
        <Descriptions.Item label="Started">
          <DateTime value={run.started_at} />
        </Descriptions.Item>
        <Descriptions.Item label="Finished">
          <DateTime value={run.finished_at} />
        </Descriptions.Item>
        <Descriptions.Item label="Rejected documents">{r?.rejected_total ?? 0}</Descriptions.Item>
      </Descriptions>
      {run.status === 'failed' && (
        <Alert type="error" showIcon message="The import failed" description={<>{run.error ?? 'No reason recorded.'} Batches written before the failure stay; running the import again imports only what is missing.</>} />
      )}
      {r && a && (
        <>
          <Card>
            <Row gutter={[24, 16]} align="middle">
              <Col xs={24} lg={10}>
                <Statistic
                  title="Recovered revenue"
                  value={formatPaise(r.backfill.amount_paise)}
                  valueStyle={{ color: r.backfill.amount_paise > 0 ? '#389e0d' : undefined, fontSize: 40, fontWeight: 600 }}
                  data-testid="recovered-amount"
                />
                <Typography.Paragraph type="secondary" style={{ marginTop: 8, marginBottom: 0 }}>
                  {r.backfill.billing_records_created > 0 ? (
                    <>
                      {r.backfill.billing_records_created.toLocaleString('en-IN')} billing records for {(r.backfill.orders ?? a.unbilled_delivered_one_time_orders).toLocaleString('en-IN')} delivered orders the old system never billed.
                      {r.backfill.tax_paise ? ` Plus GST ${formatPaise(r.backfill.tax_paise)}: ${formatPaise(r.backfill.total_paise ?? 0)} in all.` : ''} The next invoice run of their months bills them.
                    </>
                  ) : a.unbilled_delivered_one_time_orders > 0 ? (
                    `Nothing new: the ${a.unbilled_delivered_one_time_orders} delivered orders the old system never billed were recovered by an earlier import.`
                  ) : (
                    'The old system billed every delivered order: nothing to recover.'
                  )}
                </Typography.Paragraph>
              </Col>
              <Col xs={12} lg={5}>
                <Statistic title="Delivered value in the export" value={formatPaise(a.delivered_value_paise)} />
              </Col>
              <Col xs={12} lg={5}>
                <Statistic title="Billed by the old system" value={formatPaise(r.legacy_billed?.amount_paise ?? 0)} />
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  never invoiced again
                </Typography.Text>
              </Col>
              <Col xs={12} lg={4}>
                <Statistic title="Set aside for review" value={toReview} valueStyle={{ color: toReview ? '#cf1322' : undefined }} />
                {toReview > 0 && <Link to="/data-health">Review on Data health</Link>}
              </Col>
            </Row>
          </Card>

          <Card title="What the old data got wrong" size="small">
            <Table
              rowKey="key"
              size="small"
              pagination={false}
              showHeader={false}
              dataSource={anomalyRows}
              columns={[
                {
                  key: 'label',
                  render: (_, row) => (
                    <Space direction="vertical" size={0}>
                      <Typography.Text>{row.label}</Typography.Text>
                      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                        {row.help}
                      </Typography.Text>
                    </Space>
                  ),
                },
                {
                  key: 'value',
                  align: 'right',
                  width: 200,
                  render: (_, row) => {
                    const v = a[row.key];
                    if (row.money) return <Money paise={v} strong />;
                    return row.review && v > 0 ? <Tag color="red">{v.toLocaleString('en-IN')}</Tag> : <Typography.Text strong>{v.toLocaleString('en-IN')}</Typography.Text>;
                  },
                },
              ]}
            />
            {r.other_findings && Object.values(r.other_findings).some((v) => v > 0) && (
              <Typography.Paragraph type="secondary" style={{ marginTop: 12, marginBottom: 0 }}>
                Also found:{' '}
                {Object.entries(r.other_findings)
                  .filter(([, v]) => v > 0)
                  .map(([k, v]) => `${humanize(k.replace(/_paise$/, ''))} ${k.endsWith('_paise') ? formatPaise(v) : v.toLocaleString('en-IN')}`)
                  .join('; ')}
                .
              </Typography.Paragraph>
            )}
          </Card>

          <Card title="Documents per collection" size="small">
            <Table<[string, CollectionCount]>
              rowKey={([c]) => c}
              size="small"
              pagination={false}
              dataSource={Object.entries(r.counts).sort(byCollection)}
              columns={[
                { title: 'Collection', key: 'c', render: (_, [c]) => <Typography.Text code>{c}</Typography.Text> },
                { title: 'Read', key: 'read', align: 'right', render: (_, [, n]) => n.read.toLocaleString('en-IN') },
                { title: 'Imported', key: 'imported', align: 'right', render: (_, [, n]) => <Typography.Text strong>{n.imported.toLocaleString('en-IN')}</Typography.Text> },
                { title: 'Already imported', key: 'already', align: 'right', render: (_, [, n]) => (n.already_imported ?? 0).toLocaleString('en-IN') },
                { title: 'Matched existing', key: 'linked', align: 'right', render: (_, [, n]) => (n.linked_existing ?? 0).toLocaleString('en-IN') },
                { title: 'Set aside', key: 'skipped', align: 'right', render: (_, [, n]) => (n.skipped ?? 0).toLocaleString('en-IN') },
                { title: 'Rejected', key: 'rejected', align: 'right', render: (_, [, n]) => (n.rejected ? <Tag color="red">{n.rejected.toLocaleString('en-IN')}</Tag> : '0') },
              ]}
            />
            {(r.zones_created?.length || r.products_needing_tax_review?.length || r.notes?.length) ? (
              <Space direction="vertical" style={{ marginTop: 12 }}>
                {!!r.zones_created?.length && <Typography.Text>Zones created: {r.zones_created.join(', ')}.</Typography.Text>}
                {!!r.products_needing_tax_review?.length && (
                  <Alert type="warning" showIcon message="Check the HSN code and GST rate of these imported products" description={r.products_needing_tax_review.join(', ')} />
                )}
                {r.notes?.map((n) => (
                  <Typography.Text key={n} type="secondary">
                    Note: {n}
                  </Typography.Text>
                ))}
              </Space>
            ) : null}
          </Card>

          <RejectedDocuments run={run} />
        </>
      )}
    </Space>
  );
}

/** Every rejected document of the run, from the anomalies table (the report itself keeps only the first 200). */
function RejectedDocuments({ run }: { run: ImportRun }) {
  const { tableProps, tableQuery } = useTable<ImportAnomaly, HttpError>({
    resource: 'import-anomalies',
    syncWithLocation: false,
    pagination: { pageSize: 10 },
    filters: { permanent: [{ field: 'run_id', operator: 'eq', value: run.id }, { field: 'kind', operator: 'eq', value: 'rejected_document' }] },
    sorters: { initial: [{ field: 'collection', order: 'asc' }, { field: 'legacy_id', order: 'asc' }] },
  });
  return (
    <Card title={`Rejected documents (${(tableQuery.data?.total ?? run.report?.rejected_total ?? 0).toLocaleString('en-IN')})`} size="small">
      <Typography.Paragraph type="secondary">Documents that could not be read; everything else still imported. Fix them in the export and run the import again: it imports only what is missing.</Typography.Paragraph>
      <QueryError error={tableQuery.error} onRetry={() => tableQuery.refetch()} />
      <Table<ImportAnomaly> {...tableProps} rowKey="id" size="small" locale={{ emptyText: <Empty description="No document was rejected" /> }}>
        <Table.Column<ImportAnomaly> dataIndex="collection" title="Collection" render={(v: string) => <Typography.Text code>{v}</Typography.Text>} />
        <Table.Column<ImportAnomaly> dataIndex="legacy_id" title="_id" render={(v: string | null) => (v ? <Typography.Text copyable style={{ fontFamily: 'monospace', fontSize: 12 }}>{v}</Typography.Text> : <Typography.Text type="secondary">unreadable</Typography.Text>)} />
        <Table.Column<ImportAnomaly> key="line" title="Line" align="right" render={(_, a) => (a.detail?.line ? String(a.detail.line) : '—')} />
        <Table.Column<ImportAnomaly> key="reason" title="Reason" render={(_, a) => a.detail?.reason ?? '—'} />
      </Table>
    </Card>
  );
}
