import { CheckOutlined, CloseOutlined, DollarOutlined, FilePdfOutlined, SafetyOutlined, SendOutlined } from '@ant-design/icons';
import { Show } from '@refinedev/antd';
import { useCan, useLink, useShow } from '@refinedev/core';
import { Alert, Button, Descriptions, Popconfirm, Space, Tooltip, Typography } from 'antd';
import { useState } from 'react';
import { DateTime } from '../../components/DateTime';
import { Money } from '../../components/Money';
import { QueryError } from '../../components/QueryError';
import { ReasonModal } from '../../components/ReasonModal';
import { formatPaise } from '../../format';
import { Day, RecordRef } from '../invoices/shared';
import { approvalAsksCode, PayModal, useMe, useRefundActions } from './actions';
import { creditNotePdfUrl, destinationLabels, methodLabels, reasonLabels, type Refund, RefundStatusTag } from './shared';

const none = <Typography.Text type="secondary">—</Typography.Text>;

/** One refund: what was asked, who decided, where the money went; the actions its state allows. */
export function RefundShow() {
  const Link = useLink();
  const { query, result: r } = useShow<Refund>();
  const me = useMe();
  const { data: canApprove } = useCan({ resource: 'refunds', action: 'approve' });
  const { data: canReject } = useCan({ resource: 'refunds', action: 'reject' });
  const { data: canPay } = useCan({ resource: 'refunds', action: 'pay' });
  const { data: canReadNote } = useCan({ resource: 'credit-notes', action: 'show' });
  const actions = useRefundActions(r);
  const [rejecting, setRejecting] = useState(false);
  const [paying, setPaying] = useState(false);

  const requested = r?.status === 'requested';
  const own = Boolean(r && me && r.requested_by === me.id);
  const code = r ? approvalAsksCode(me, r.amount_paise) : { asks: false, limit: 0 };
  // The requester never approves their own (the database refuses it too); above the limit a code is needed, which a
  // user without a second factor cannot give: the button says so instead of failing.
  const approveBlocked = own
    ? 'You asked for this refund: someone else must approve it.'
    : code.asks && me && !me.totp_enabled
      ? `Above ${formatPaise(code.limit)} approval needs a code from an authenticator app: set up two-factor sign-in on your Profile page first.`
      : null;
  const byHand = r?.status === 'approved' && r.destination === 'source' && r.payment_method !== 'gateway';
  const toGateway = r?.status === 'approved' && r.destination === 'source' && r.payment_method === 'gateway';

  return (
    <Show
      isLoading={query.isLoading}
      title={r ? `Refund of ${formatPaise(r.amount_paise)}` : 'Refund'}
      canEdit={false}
      canDelete={false}
      headerButtons={({ defaultButtons }) => (
        <Space wrap>
          {requested && canApprove?.can && r && (
            <Tooltip title={approveBlocked ?? (code.asks ? `Above ${formatPaise(code.limit)}: you will be asked for a code from your authenticator app.` : undefined)}>
              <Popconfirm
                title={`Approve ${formatPaise(r.amount_paise)} for ${r.customer_name}?`}
                description={r.destination === 'wallet' ? 'It is credited to their wallet at once.' : r.payment_method === 'gateway' ? 'It goes to the gateway.' : 'Then pay it back and mark it paid.'}
                okText="Approve"
                onConfirm={() => actions.approve()}
                disabled={Boolean(approveBlocked)}
              >
                <Button type="primary" icon={code.asks ? <SafetyOutlined /> : <CheckOutlined />} disabled={Boolean(approveBlocked)} loading={actions.pending} data-testid="approve-refund">
                  Approve
                </Button>
              </Popconfirm>
            </Tooltip>
          )}
          {requested && canReject?.can && (
            <Button danger icon={<CloseOutlined />} onClick={() => setRejecting(true)}>
              {own ? 'Withdraw' : 'Reject'}
            </Button>
          )}
          {byHand && canPay?.can && (
            <Button type="primary" icon={<DollarOutlined />} onClick={() => setPaying(true)}>
              Mark paid
            </Button>
          )}
          {toGateway && canApprove?.can && (
            <Popconfirm title="Send this refund to the gateway?" description="The gateway refunds a refund once, however often it is sent." okText="Send" onConfirm={() => actions.send()}>
              <Button type="primary" icon={<SendOutlined />} loading={actions.pending}>
                Send to gateway
              </Button>
            </Popconfirm>
          )}
          {r?.credit_note_id && canReadNote?.can && (
            <Button icon={<FilePdfOutlined />} href={creditNotePdfUrl(r.credit_note_id)} target="_blank" rel="noopener" data-testid="credit-note-pdf">
              Credit note PDF
            </Button>
          )}
          {defaultButtons}
        </Space>
      )}
    >
      <QueryError error={query.error} onRetry={() => query.refetch()} />
      {r && requested && own && (
        <Alert type="info" showIcon style={{ marginBottom: 16 }} message="You asked for this refund: someone else approves or rejects it. You may withdraw it (reject, with a reason)." />
      )}
      {r && requested && !own && canApprove?.can && approveBlocked && (
        <Alert type="info" showIcon style={{ marginBottom: 16 }} message={approveBlocked} />
      )}
      {r?.status === 'failed' && (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 16 }}
          message={`The gateway did not refund it: ${r.failure_reason ?? ''}`}
          description="Its money stays with the customer as wallet credit (the next invoice takes it), or request a new refund of it."
        />
      )}
      {r && (
        <Descriptions bordered size="small" column={{ xs: 1, md: 2 }}>
          <Descriptions.Item label="Status">
            <RefundStatusTag status={r.status} />
          </Descriptions.Item>
          <Descriptions.Item label="Amount">
            <Money paise={r.amount_paise} strong />
          </Descriptions.Item>
          <Descriptions.Item label="Customer">
            <Link to={`/customers/show/${r.customer_id}`}>{r.customer_name}</Link>
          </Descriptions.Item>
          <Descriptions.Item label="Reason">{reasonLabels[r.reason]}</Descriptions.Item>
          {r.dispute_id && (
            <Descriptions.Item label="Resolves">
              {/* Asked to resolve a dispute: its approval resolves it, its rejection hands it back to support. */}
              <Link to={`/disputes/show/${r.dispute_id}`} data-testid="refund-dispute">
                the customer's dispute
              </Link>
            </Descriptions.Item>
          )}
          <Descriptions.Item label="To">{r.destination === 'wallet' ? destinationLabels.wallet : `${destinationLabels.source} (${methodLabels[r.payment_method]})`}</Descriptions.Item>
          <Descriptions.Item label="Payment">
            <Space wrap size={4}>
              <RecordRef resource="payments" id={r.payment_id}>
                {formatPaise(r.payment_amount_paise)}
              </RecordRef>
              <span>
                {methodLabels[r.payment_method]}
                {r.payment_reference ? ` ${r.payment_reference}` : ''}, received <Day value={r.payment_received_on} />
              </span>
            </Space>
          </Descriptions.Item>
          <Descriptions.Item label="Invoice">{r.invoice_id ? <Link to={`/invoices/show/${r.invoice_id}`}>{r.invoice_number}</Link> : none}</Descriptions.Item>
          <Descriptions.Item label="Credit note">
            {r.credit_note_id ? (
              <Link to={`/credit-notes/show/${r.credit_note_id}`}>
                <span style={{ fontFamily: 'monospace' }}>{r.credit_note_number}</span>
              </Link>
            ) : r.invoice_id && requested ? (
              <Typography.Text type="secondary">issued when approved</Typography.Text>
            ) : (
              none
            )}
          </Descriptions.Item>
          <Descriptions.Item label="Note" span={2}>
            {r.note || none}
          </Descriptions.Item>
          <Descriptions.Item label="Requested">
            {r.requested_by_name ?? '—'}, <DateTime value={r.requested_at} />
          </Descriptions.Item>
          <Descriptions.Item label="Approved">{r.approved_at ? <>{r.approved_by_name}, <DateTime value={r.approved_at} /></> : none}</Descriptions.Item>
          {r.status === 'rejected' && (
            <>
              <Descriptions.Item label="Rejected">
                {r.rejected_by_name}, <DateTime value={r.rejected_at} />
              </Descriptions.Item>
              <Descriptions.Item label="Why">{r.rejection_reason}</Descriptions.Item>
            </>
          )}
          {r.status === 'paid' && (
            <>
              <Descriptions.Item label="Paid back">
                {r.paid_by_name}, <DateTime value={r.paid_at} />
              </Descriptions.Item>
              <Descriptions.Item label="Reference">
                <Typography.Text copyable>{r.paid_reference}</Typography.Text>
              </Descriptions.Item>
            </>
          )}
          {r.provider_refund_id && (
            <>
              <Descriptions.Item label="Gateway refund">
                <Typography.Text copyable style={{ fontFamily: 'monospace' }}>
                  {r.provider_refund_id}
                </Typography.Text>{' '}
                ({r.provider})
              </Descriptions.Item>
              <Descriptions.Item label="Sent">
                <DateTime value={r.sent_at} />
              </Descriptions.Item>
            </>
          )}
          {r.processed_at && (
            <Descriptions.Item label={r.destination === 'wallet' ? 'Credited to wallet' : 'Processed'}>
              <DateTime value={r.processed_at} />
            </Descriptions.Item>
          )}
          {r.failed_at && (
            <Descriptions.Item label="Failed">
              <DateTime value={r.failed_at} />
            </Descriptions.Item>
          )}
          {r.from_wallet_paise > 0 && (
            <Descriptions.Item label="Taken from wallet credit">
              <Money paise={r.from_wallet_paise} />
            </Descriptions.Item>
          )}
        </Descriptions>
      )}
      <ReasonModal
        open={rejecting}
        title={own ? 'Withdraw your refund request' : 'Reject this refund'}
        okText={own ? 'Withdraw' : 'Reject'}
        intro={<Typography.Paragraph type="secondary">No money moves. The requester sees this reason.</Typography.Paragraph>}
        placeholder="e.g. Delivery was complete: the proof of delivery shows all items."
        confirmLoading={actions.pending}
        onCancel={() => setRejecting(false)}
        onSubmit={async (reason) => {
          if (await actions.reject(reason)) setRejecting(false);
        }}
      />
      <PayModal
        open={paying}
        refund={r}
        pending={actions.pending}
        onCancel={() => setPaying(false)}
        onSubmit={async (reference) => {
          if (await actions.pay(reference)) setPaying(false);
        }}
      />
    </Show>
  );
}

