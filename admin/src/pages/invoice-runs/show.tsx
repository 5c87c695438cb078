import { FileTextOutlined } from '@ant-design/icons';
import { Show } from '@refinedev/antd';
import { useGo, useLink, useShow } from '@refinedev/core';
import { Alert, Button, Card, Col, Descriptions, Progress, Row, Space, Statistic, Typography } from 'antd';
import { DateTime } from '../../components/DateTime';
import { formatPaise } from '../../format';
import { type InvoiceRun, listUrl, monthLabel, RunStatusTag } from '../invoices/shared';
import { runPercent } from './list';

/** A run's progress, asked for every second while it is running (the run commits customer by customer). */
export function InvoiceRunShow() {
  const Link = useLink();
  const go = useGo();
  const { query, result: run } = useShow<InvoiceRun>({
    queryOptions: { refetchInterval: (q) => (q.state.data?.data.status === 'running' ? 1000 : false) },
  });
  const monthUrl = run ? listUrl('/invoices', [{ field: 'period_start', value: run.month }]) : '';
  return (
    <Show isLoading={query.isLoading} title={run ? `Invoice run: ${monthLabel(run.month)}` : 'Invoice run'} canEdit={false} canDelete={false}>
      {run && (
        <>
          <Card style={{ marginBottom: 24 }}>
            <Space direction="vertical" size="middle" style={{ width: '100%' }}>
              <Space size="middle" align="center">
                <RunStatusTag status={run.status} />
                <Typography.Text>
                  {run.status === 'running'
                    ? run.total_customers === 0
                      ? 'Finding the customers to invoice…'
                      : `Invoicing customer ${Math.min(run.processed_customers + 1, run.total_customers)} of ${run.total_customers}…`
                    : run.status === 'completed'
                      ? run.total_customers === 0
                        ? 'Nothing to invoice: every billing record of this month is already on an invoice.'
                        : `Done: ${run.processed_customers} customer${run.processed_customers === 1 ? '' : 's'} processed.`
                      : 'The run stopped. Invoices issued before it stopped stay issued; run the month again to finish.'}
                </Typography.Text>
              </Space>
              <Progress
                data-testid="run-progress"
                percent={runPercent(run)}
                status={run.status === 'failed' ? 'exception' : run.status === 'completed' ? 'success' : 'active'}
                format={(p) => `${p}%`}
              />
              <Typography.Text type="secondary" data-testid="run-processed">
                {run.processed_customers} / {run.total_customers} customers processed
              </Typography.Text>
              <Row gutter={24}>
                <Col xs={24} md={8}>
                  <Statistic title="Invoices created" value={run.invoices_created} />
                </Col>
                <Col xs={24} md={8}>
                  <Statistic title="Amount invoiced" value={formatPaise(run.amount_paise)} />
                </Col>
                <Col xs={24} md={8}>
                  <Statistic title="Customers without a new invoice" value={run.processed_customers - run.invoices_created} />
                </Col>
              </Row>
              {run.status !== 'running' && (
                <Space wrap>
                  <Button type="primary" icon={<FileTextOutlined />} onClick={() => go({ to: monthUrl })}>
                    Invoices of {monthLabel(run.month)}
                  </Button>
                  {run.invoices_created > 0 && (
                    <Button onClick={() => go({ to: listUrl('/invoices', [{ field: 'run_id', value: run.id }]) })}>
                      The {run.invoices_created} invoice{run.invoices_created === 1 ? '' : 's'} of this run
                    </Button>
                  )}
                </Space>
              )}
            </Space>
          </Card>
          {run.status === 'failed' && <Alert type="error" showIcon style={{ marginBottom: 24 }} message="Why the run failed" description={run.error ?? 'No reason recorded.'} />}
          <Descriptions bordered size="small" column={{ xs: 1, md: 2 }}>
            <Descriptions.Item label="Month">{monthLabel(run.month)}</Descriptions.Item>
            <Descriptions.Item label="Scope">{run.customer_id ? <Link to={`/customers/show/${run.customer_id}`}>{run.customer_name}</Link> : 'All customers'}</Descriptions.Item>
            <Descriptions.Item label="Started">
              <DateTime value={run.created_at} />
            </Descriptions.Item>
            <Descriptions.Item label="Started by">{run.started_by_name ?? 'system'}</Descriptions.Item>
            <Descriptions.Item label="Finished">
              <DateTime value={run.finished_at} />
            </Descriptions.Item>
            <Descriptions.Item label="Duration">{run.finished_at ? `${Math.max(0, (Date.parse(run.finished_at) - Date.parse(run.created_at)) / 1000).toFixed(1)} s` : '—'}</Descriptions.Item>
          </Descriptions>
        </>
      )}
    </Show>
  );
}
