import { Show } from '@refinedev/antd';
import { useLink, useShow } from '@refinedev/core';
import { Card, Descriptions, Space, Table, Typography } from 'antd';
import { DateTime } from '../../components/DateTime';
import { Money } from '../../components/Money';
import { QueryError } from '../../components/QueryError';
import { RecordHistory } from '../../components/RecordHistory';
import { AssignButton, type GatewayPaymentDetail, GatewayStatusTag, MatchTag, mono, OutcomeTag } from './shared';

type GatewayEvent = GatewayPaymentDetail['events'][number];

/** One gateway payment: what the gateway said, whose it is, the payment it became, its settlement, and its events. */
export function GatewayPaymentShow() {
  const Link = useLink();
  const { query, result: p } = useShow<GatewayPaymentDetail>({ resource: 'gateway-payments' });
  return (
    <Show
      isLoading={query.isLoading}
      title={p ? `Gateway payment ${p.gateway_payment_id}` : 'Gateway payment'}
      canEdit={false}
      canDelete={false}
      headerButtons={({ defaultButtons }) => (
        <Space wrap>
          {p && <AssignButton payment={p} />}
          {defaultButtons}
        </Space>
      )}
    >
      <QueryError error={query.error} onRetry={() => query.refetch()} />
      {p && (
        <Space direction="vertical" size="middle" style={{ width: '100%' }}>
          <Descriptions bordered size="small" column={{ xs: 1, md: 2 }}>
            <Descriptions.Item label="Amount">
              <Money paise={p.amount_paise} strong />
            </Descriptions.Item>
            <Descriptions.Item label="Status">
              <GatewayStatusTag status={p.status} />
            </Descriptions.Item>
            <Descriptions.Item label="Customer">
              {p.customer_id ? <Link to={`/customers/show/${p.customer_id}`}>{p.customer_name}</Link> : <MatchTag payment={p} />}
            </Descriptions.Item>
            <Descriptions.Item label="Notes said">{p.notes_customer_id ?? <Typography.Text type="secondary">no customer</Typography.Text>}</Descriptions.Item>
            <Descriptions.Item label="Recorded as">
              {p.payment_id ? <Link to={`/payments/show/${p.payment_id}`}>payment</Link> : <Typography.Text type="secondary">not yet (captured payments of a known customer are)</Typography.Text>}
            </Descriptions.Item>
            <Descriptions.Item label="Method">{p.method ?? '—'}</Descriptions.Item>
            <Descriptions.Item label="Paid by">{[p.email, p.contact].filter(Boolean).join(' · ') || '—'}</Descriptions.Item>
            <Descriptions.Item label="Assigned">{p.assigned_at ? <>by {p.assigned_by_name ?? 'someone'}, <DateTime value={p.assigned_at} /></> : '—'}</Descriptions.Item>
            <Descriptions.Item label="Authorized">
              <DateTime value={p.authorized_at} />
            </Descriptions.Item>
            <Descriptions.Item label="Captured">
              <DateTime value={p.captured_at} />
            </Descriptions.Item>
            {p.failed_at && <Descriptions.Item label="Failed">{p.failure_reason}</Descriptions.Item>}
            <Descriptions.Item label="Settlement">
              {p.utr ? (
                <>
                  UTR <span style={mono}>{p.utr}</span> ({p.settlement_id}), <DateTime value={p.settled_at} />
                </>
              ) : (
                <Typography.Text type="secondary">in no settlement file yet</Typography.Text>
              )}
            </Descriptions.Item>
          </Descriptions>
          <Card size="small" title="Webhook events">
            <Table<GatewayEvent> dataSource={p.events} rowKey="id" size="small" pagination={false} scroll={{ x: 'max-content' }}>
              <Table.Column<GatewayEvent> dataIndex="received_at" title="Received" render={(v: string) => <DateTime value={v} />} />
              <Table.Column<GatewayEvent> dataIndex="event" title="Event" />
              <Table.Column<GatewayEvent> dataIndex="outcome" title="Outcome" render={(v: string) => <OutcomeTag outcome={v} />} />
              <Table.Column<GatewayEvent> dataIndex="detail" title="Detail" />
              <Table.Column<GatewayEvent> dataIndex="event_id" title="Event id" render={(v: string) => <span style={mono}>{v}</span>} />
            </Table>
          </Card>
          <RecordHistory table="gateway-payments" id={p.id} />
        </Space>
      )}
    </Show>
  );
}
