import { ReloadOutlined } from '@ant-design/icons';
import { useCustom, useLink } from '@refinedev/core';
import { Button, Card, Col, Empty, Row, Skeleton, Space, Statistic, Typography, theme } from 'antd';
import dayjs from 'dayjs';
import { lazy, Suspense } from 'react';
import { QueryError } from '../../components/QueryError';
import { usePhone } from '../../components/responsive';
import { formatPaise } from '../../format';
import { formatDay, listUrl, monthLabel } from '../invoices/shared';
import type { Dashboard } from '../../../../api/modules/dashboard/dashboard.schemas';

// recharts (~115 KB compressed) comes after the figures: the first page's script stays under its budget.
const DailyChart = lazy(() => import('./DailyChart'));

/** The start page for finance and managers: today's deliveries, the month's money, and 30 days of delivered value. */
export function DashboardPage() {
  const Link = useLink();
  const { token } = theme.useToken();
  // On a phone the card's note would squeeze its title to "Delivere…".
  const phone = usePhone();
  const { query } = useCustom<Dashboard>({ url: '/dashboard', method: 'get', queryOptions: { refetchInterval: 60_000 } });
  // Not `result.data`: it is an empty object while loading.
  const d = query.data?.data;
  const monthStart = d ? `${d.month}-01` : '';
  // Each card links to the list it counts, with that list's filters (today's deliveries in a status, this month's records ...).
  const todays = (status?: 'pending' | 'delivered' | 'partial' | 'failed') =>
    d
      ? listUrl('/deliveries', [
          { field: 'order_date', operator: 'gte', value: d.today },
          { field: 'order_date', operator: 'lte', value: d.today },
          ...(status ? [{ field: 'status', value: status }] : []),
        ])
      : '/deliveries';
  const chart = d?.daily.map((x) => ({ ...x, label: dayjs(x.date).format('D MMM') })) ?? [];
  const quiet = chart.every((x) => x.delivered_paise === 0);

  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }}>
      <Space style={{ width: '100%', justifyContent: 'space-between' }}>
        <Space direction="vertical" size={0}>
          <Typography.Title level={3} style={{ margin: 0 }}>
            Dashboard
          </Typography.Title>
          <Typography.Text type="secondary">{d ? `${formatDay(d.today)} · figures in IST` : ' '}</Typography.Text>
        </Space>
        <Button icon={<ReloadOutlined />} loading={query.isFetching} onClick={() => query.refetch()}>
          Refresh
        </Button>
      </Space>
      <QueryError error={query.error} onRetry={() => query.refetch()} />
      {query.isLoading && <Skeleton active paragraph={{ rows: 10 }} />}
      {d && (
        <>
          <Row gutter={[16, 16]}>
            <Col xs={24} md={12} xl={6}>
              <Card title="Deliveries today" size="small" style={{ height: '100%' }} data-testid="kpi-deliveries">
                <Row gutter={8}>
                  <Col span={8}>
                    <Link to={todays('pending')} data-testid="kpi-link-pending" style={{ color: 'inherit' }}>
                      <Statistic title="Pending" value={d.deliveries_today.pending} valueStyle={{ color: token.colorWarning }} />
                    </Link>
                  </Col>
                  <Col span={8}>
                    <Link to={todays('delivered')} data-testid="kpi-link-delivered" style={{ color: 'inherit' }}>
                      <Statistic title="Delivered" value={d.deliveries_today.delivered} valueStyle={{ color: token.colorSuccess }} />
                    </Link>
                  </Col>
                  <Col span={8}>
                    <Link to={todays('failed')} data-testid="kpi-link-failed" style={{ color: 'inherit' }}>
                      <Statistic title="Failed" value={d.deliveries_today.failed} valueStyle={{ color: d.deliveries_today.failed ? token.colorError : undefined }} />
                    </Link>
                  </Col>
                </Row>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {d.deliveries_today.total} today
                  {d.deliveries_today.partial ? (
                    <>
                      , <Link to={todays('partial')}>{d.deliveries_today.partial} of the delivered partly</Link>
                    </>
                  ) : null}{' '}
                  ·{' '}
                  <Link to={todays()}>deliveries</Link>
                </Typography.Text>
              </Card>
            </Col>
            <Col xs={24} md={12} xl={6}>
              <Card title={`Billed in ${monthLabel(d.month)}`} size="small" style={{ height: '100%' }} data-testid="kpi-billed">
                <Statistic value={formatPaise(d.billed_this_month.amount_paise)} />
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {d.billed_this_month.records.toLocaleString('en-IN')} delivered items this month, incl. GST ·{' '}
                  <Link to={listUrl('/billing-records', [{ field: 'service_date', operator: 'gte', value: monthStart }, { field: 'service_date', operator: 'lte', value: d.today }])}>records</Link>
                </Typography.Text>
              </Card>
            </Col>
            <Col xs={24} md={12} xl={6}>
              <Card title="Not invoiced yet" size="small" style={{ height: '100%' }} data-testid="kpi-unbilled">
                <Statistic value={formatPaise(d.unbilled.amount_paise)} valueStyle={{ color: d.unbilled.amount_paise ? token.colorWarning : undefined }} />
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {d.unbilled.customers.toLocaleString('en-IN')} customers{d.unbilled.oldest_service_date ? `, since ${formatDay(d.unbilled.oldest_service_date)}` : ''} ·{' '}
                  <Link to={listUrl('/billing-records', [{ field: 'is_invoiced', value: 'false' }, { field: 'legacy_billed', value: 'false' }])}>records</Link>
                </Typography.Text>
              </Card>
            </Col>
            <Col xs={24} md={12} xl={6}>
              <Card title={`Invoices issued in ${monthLabel(d.month)}`} size="small" style={{ height: '100%' }} data-testid="kpi-invoices">
                <Statistic value={d.invoices_this_month.count} suffix={<Typography.Text type="secondary" style={{ fontSize: 14 }}>worth {formatPaise(d.invoices_this_month.amount_paise)}</Typography.Text>} />
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  Void ones left out ·{' '}
                  <Link
                    to={listUrl('/invoices', [
                      { field: 'status', value: 'issued' },
                      { field: 'invoice_date', operator: 'gte', value: monthStart },
                      { field: 'invoice_date', operator: 'lte', value: d.today },
                    ])}
                  >
                    invoices
                  </Link>
                </Typography.Text>
              </Card>
            </Col>
          </Row>
          <Card title="Delivered value, last 30 days" size="small" extra={!phone && <Typography.Text type="secondary">billing records by day of delivery, incl. GST</Typography.Text>}>
            {quiet ? (
              <Empty description="Nothing delivered in the last 30 days" />
            ) : (
              <Suspense fallback={<Skeleton active paragraph={{ rows: 6 }} />}>
                <DailyChart data={chart} />
              </Suspense>
            )}
          </Card>
        </>
      )}
    </Space>
  );
}
