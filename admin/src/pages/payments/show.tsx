import { Show } from '@refinedev/antd';
import { useLink, useShow } from '@refinedev/core';
import { Alert, Card, Descriptions, Empty, Space, Table, Tag, Typography } from 'antd';
import { DateTime } from '../../components/DateTime';
import { Money } from '../../components/Money';
import { QueryError } from '../../components/QueryError';
import { RecordHistory } from '../../components/RecordHistory';
import { formatDate } from '../../format';
import { Day, nowrap } from '../invoices/shared';
import { PaymentRefunds } from '../refunds/for-payment';
import { RequestRefundButton } from '../refunds/request-button';
import { PaymentActions, usePaymentRefresh } from './actions';
import { type Allocation, ChequeStatusTag, MethodTag, type PaymentDetail, PaymentStatusTag, type WalletLot } from './shared';

const lotSources: Record<string, string> = { overpayment: 'Left over (credit)', top_up: 'Top-up', promo: 'Promotional', refund: 'Refund to wallet' };

export function PaymentShow() {
  const Link = useLink();
  const { query, result: payment } = useShow<PaymentDetail>({ resource: 'payments' });
  const refresh = usePaymentRefresh(payment);
  // Money in hand that settles nothing yet (a bounced cheque brought none in).
  const free = payment && payment.cheque_status !== 'bounced' ? payment.amount_paise - payment.allocated_paise - payment.credited_paise - payment.refunded_paise : 0;
  return (
    <Show
      isLoading={query.isLoading}
      title={payment ? `Payment of ${new Intl.NumberFormat('en-IN', { style: 'currency', currency: 'INR' }).format(payment.amount_paise / 100)}` : 'Payment'}
      canEdit={false}
      canDelete={false}
      headerButtons={({ defaultButtons }) => (
        <Space wrap>
          {payment && <PaymentActions payment={payment} refresh={refresh} />}
          {payment && <RequestRefundButton payment={payment} />}
          {defaultButtons}
        </Space>
      )}
    >
      <QueryError error={query.error} onRetry={() => query.refetch()} />
      {payment?.cheque_status === 'bounced' && (
        <Alert
          type="error"
          showIcon
          style={{ marginBottom: 16 }}
          message={`Cheque bounced on ${formatDate(payment.bounced_on)}: ${payment.bounce_reason ?? ''}`}
          description="What it paid was reversed: those invoices are due again, and the statement shows the bounce."
        />
      )}
      {payment && (
        <Descriptions bordered size="small" column={{ xs: 1, md: 2, xl: 3 }} style={{ marginBottom: 24 }} data-testid="payment-details">
          <Descriptions.Item label="Customer">
            <Link to={`/customers/show/${payment.customer_id}`}>{payment.customer_name}</Link>
          </Descriptions.Item>
          <Descriptions.Item label="Amount">
            <Money paise={payment.amount_paise} strong />
          </Descriptions.Item>
          <Descriptions.Item label="Method">
            <MethodTag method={payment.method} />
          </Descriptions.Item>
          <Descriptions.Item label="Reference">
            {payment.reference ? <Typography.Text copyable style={{ fontFamily: 'monospace' }}>{payment.reference}</Typography.Text> : <Typography.Text type="secondary">—</Typography.Text>}
          </Descriptions.Item>
          <Descriptions.Item label="Received on">
            <Day value={payment.received_on} />
          </Descriptions.Item>
          <Descriptions.Item label="Status">
            <Space size={0} wrap>
              <PaymentStatusTag status={payment.status} />
              <ChequeStatusTag status={payment.cheque_status} />
            </Space>
          </Descriptions.Item>
          {payment.method === 'cheque' && (
            <Descriptions.Item label="Cheque">
              {payment.cheque_deposited_on ? <>deposited <Day value={payment.cheque_deposited_on} /></> : 'not deposited yet'}
              {payment.cheque_cleared_on && <>, cleared <Day value={payment.cheque_cleared_on} /></>}
              {payment.bounced_on && <>, bounced <Day value={payment.bounced_on} /></>}
            </Descriptions.Item>
          )}
          <Descriptions.Item label="Settles invoices">
            <Money paise={payment.allocated_paise} />
          </Descriptions.Item>
          <Descriptions.Item label="Became wallet credit">
            <Money paise={payment.credited_paise} />
          </Descriptions.Item>
          <Descriptions.Item label="Refunded">
            <Money paise={payment.refunded_paise} />
          </Descriptions.Item>
          {free > 0 && (
            <Descriptions.Item label="Not applied">
              <Money paise={free} />
            </Descriptions.Item>
          )}
          <Descriptions.Item label="Recorded by">{payment.recorded_by_name ?? <Typography.Text type="secondary">—</Typography.Text>}</Descriptions.Item>
          <Descriptions.Item label="Recorded">
            <DateTime value={payment.created_at} />
          </Descriptions.Item>
          {payment.note && (
            <Descriptions.Item label="Note" span={3}>
              {payment.note}
            </Descriptions.Item>
          )}
        </Descriptions>
      )}
      {payment && (
        <Card size="small" title="What it settles" data-testid="payment-allocations">
          <Table<Allocation>
            rowKey="id"
            size="small"
            pagination={false}
            dataSource={payment.allocations}
            scroll={{ x: 'max-content' }}
            locale={{ emptyText: <Empty description={payment.credited_paise > 0 ? 'No invoice: it all became wallet credit' : 'No invoice'} /> }}
          >
            <Table.Column<Allocation>
              dataIndex="invoice_number"
              title="Invoice"
              render={(v: string, a) => (
                <Link to={`/invoices/show/${a.invoice_id}`}>
                  <span style={{ ...nowrap, fontFamily: 'monospace' }}>{v}</span>
                </Link>
              )}
            />
            <Table.Column<Allocation> dataIndex="invoice_date" title="Dated" render={(v: string) => <Day value={v} />} />
            <Table.Column<Allocation> dataIndex="amount_paise" title="Amount" align="right" render={(v: number, a) => <Typography.Text delete={Boolean(a.reversed_at)}><Money paise={v} /></Typography.Text>} />
            <Table.Column<Allocation> dataIndex="source" title="From" render={(v: Allocation['source']) => (v === 'wallet' ? <Tag color="cyan">its wallet credit</Tag> : <Tag>the payment</Tag>)} />
            <Table.Column<Allocation> dataIndex="created_at" title="Applied" render={(v: string) => <DateTime value={v} />} />
            <Table.Column<Allocation>
              dataIndex="reversed_at"
              title="Reversed"
              render={(v: string | null, a) => (v ? <Space direction="vertical" size={0}><DateTime value={v} /><Typography.Text type="secondary">{a.reversal_reason}</Typography.Text></Space> : <Typography.Text type="secondary">—</Typography.Text>)}
            />
          </Table>
        </Card>
      )}
      {payment && payment.lots.length > 0 && (
        <Card size="small" title="Wallet credit it became" style={{ marginTop: 24 }}>
          <Table<WalletLot> rowKey="id" size="small" pagination={false} dataSource={payment.lots} scroll={{ x: 'max-content' }}>
            <Table.Column<WalletLot> dataIndex="source" title="Lot" render={(v: string) => lotSources[v] ?? v} />
            <Table.Column<WalletLot> dataIndex="amount_paise" title="Amount" align="right" render={(v: number) => <Money paise={v} />} />
            <Table.Column<WalletLot> dataIndex="remaining_paise" title="Left" align="right" render={(v: number) => <Money paise={v} />} />
            <Table.Column<WalletLot> dataIndex="note" title="Note" />
            <Table.Column<WalletLot> dataIndex="created_at" title="Made" render={(v: string) => <DateTime value={v} />} />
          </Table>
        </Card>
      )}
      {payment && <PaymentRefunds paymentId={payment.id} />}
      <RecordHistory table="payments" id={payment?.id} />
    </Show>
  );
}
