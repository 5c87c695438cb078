import { CheckCircleOutlined, LockOutlined, MergeCellsOutlined, SendOutlined, UserAddOutlined } from '@ant-design/icons';
import { Show } from '@refinedev/antd';
import { type HttpError, useCan, useCustom, useCustomMutation, useGetIdentity, useGo, useInvalidate, useLink, useShow } from '@refinedev/core';
import { Button, Card, Col, Descriptions, Dropdown, Empty, Form, Input, Radio, Row, Select, Space, Typography } from 'antd';
import { useState } from 'react';
import { DateTime } from '../../components/DateTime';
import { QueryError } from '../../components/QueryError';
import { formatPaise, formatPhone } from '../../format';
import { MergeDialog, RefundWaiting, ResolveDialog } from './dialogs';
import { Evidence } from './evidence';
import { categoryLabels, type Dispute, type DisputeMessage, DisputeStatusTag, DueTag, outcomeLabels, PriorityTag, priorityOptions, statusLabels } from './shared';

const bubble: Record<DisputeMessage['kind'], React.CSSProperties> = {
  customer_message: { background: '#f5f5f5', border: '1px solid #e8e8e8', marginRight: '12%' },
  public_reply: { background: '#e6f4ff', border: '1px solid #91caff', marginLeft: '12%' },
  // Never sent: shown apart from what the customer sees.
  internal_note: { background: '#fffbe6', border: '1px dashed #faad14', marginLeft: '12%' },
  activity: {},
};
const kindLabel: Record<DisputeMessage['kind'], string> = { customer_message: 'Customer', public_reply: 'Reply to the customer', internal_note: 'Internal note', activity: '' };

function Thread({ dispute, messages }: { dispute: Dispute; messages: DisputeMessage[] }) {
  if (!messages.length) return <Empty description="No messages yet" />;
  return (
    <Space direction="vertical" size={8} style={{ width: '100%' }} data-testid="dispute-thread">
      {messages.map((m) =>
        m.kind === 'activity' ? (
          <Typography.Text key={m.id} type="secondary" style={{ display: 'block', textAlign: 'center', fontSize: 12 }} data-testid="thread-activity">
            {m.body} · <DateTime value={m.created_at} />
          </Typography.Text>
        ) : (
          <div key={m.id} style={{ ...bubble[m.kind], borderRadius: 8, padding: '8px 12px' }} data-testid={`thread-${m.kind}`}>
            <Space size={6} wrap style={{ fontSize: 12, marginBottom: 4 }}>
              {m.kind === 'internal_note' && <LockOutlined style={{ color: '#d48806' }} />}
              <Typography.Text strong style={{ fontSize: 12 }}>
                {m.author_name ?? 'System'}
              </Typography.Text>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {kindLabel[m.kind]} · <DateTime value={m.created_at} />
                {m.dispute_number !== dispute.number && ` · from dispute ${m.dispute_number}`}
              </Typography.Text>
            </Space>
            <div style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>{m.body}</div>
          </div>
        ),
      )}
    </Space>
  );
}

function Composer({ dispute, onSent }: { dispute: Dispute; onSent: () => Promise<unknown> }) {
  const go = useGo();
  const [form] = Form.useForm<{ body: string; kind: 'reply' | 'note' | 'customer' }>();
  const kind = Form.useWatch('kind', form) ?? 'reply';
  const { mutateAsync, mutation } = useCustomMutation<DisputeMessage>();
  return (
    <Form
      form={form}
      layout="vertical"
      initialValues={{ kind: 'reply' }}
      onFinish={async ({ body, kind }) => {
        try {
          if (kind === 'customer') {
            // What the customer said on the phone: may reopen this dispute, or open a new one following it.
            const res = await mutateAsync({
              url: `/disputes/${dispute.id}/customer-messages`,
              method: 'post',
              values: { body },
              successNotification: false,
              errorNotification: (error?: HttpError) => ({ type: 'error', description: 'Could not record it', message: error?.message ?? 'The server did not answer.' }),
            });
            form.setFieldsValue({ body: '' });
            const landed = (res.data as unknown as Dispute).id;
            if (landed !== dispute.id) go({ to: `/disputes/show/${landed}` });
            return;
          }
          await mutateAsync({
            url: `/disputes/${dispute.id}/messages`,
            method: 'post',
            values: { body, internal: kind === 'note' },
            successNotification: false,
            errorNotification: (error?: HttpError) => ({ type: 'error', description: 'Could not send', message: error?.message ?? 'The server did not answer.' }),
          });
          form.setFieldsValue({ body: '' });
        } finally {
          await onSent();
        }
      }}
    >
      <Form.Item name="kind" style={{ marginBottom: 8 }}>
        <Radio.Group
          optionType="button"
          size="small"
          options={[
            { value: 'reply', label: 'Reply to the customer' },
            { value: 'note', label: 'Internal note' },
            { value: 'customer', label: 'Customer said' },
          ]}
          data-testid="composer-kind"
        />
      </Form.Item>
      <Form.Item name="body" style={{ marginBottom: 8 }} rules={[{ required: true, whitespace: true, message: 'Write the message.' }]}>
        <Input.TextArea
          rows={3}
          maxLength={4000}
          placeholder={kind === 'note' ? 'Only support sees this' : kind === 'customer' ? 'What the customer said on the phone' : 'Goes to the customer'}
          style={kind === 'note' ? { background: '#fffbe6' } : undefined}
          data-testid="composer-body"
        />
      </Form.Item>
      <Button type="primary" htmlType="submit" icon={kind === 'note' ? <LockOutlined /> : <SendOutlined />} loading={mutation.isPending} data-testid="composer-send">
        {kind === 'note' ? 'Add note' : kind === 'customer' ? 'Record it' : 'Send reply'}
      </Button>
    </Form>
  );
}

export function DisputeShow() {
  const Link = useLink();
  const invalidate = useInvalidate();
  const { data: me } = useGetIdentity<{ id: string }>();
  const { query, result: dispute } = useShow<Dispute>({ resource: 'disputes' });
  const { query: thread } = useCustom<DisputeMessage[]>({
    url: `/disputes/${dispute?.id}/messages`,
    method: 'get',
    queryOptions: { enabled: Boolean(dispute?.id), queryKey: ['dispute-messages', dispute?.id] },
  });
  const { data: canReply } = useCan({ resource: 'disputes', action: 'reply' });
  const { data: canEdit } = useCan({ resource: 'disputes', action: 'edit' });
  const { data: canMove } = useCan({ resource: 'disputes', action: 'transition' });
  const { data: canResolve } = useCan({ resource: 'disputes', action: 'resolve' });
  const { data: canMerge } = useCan({ resource: 'disputes', action: 'merge' });
  const { mutateAsync, mutation } = useCustomMutation<Dispute>();
  const [dialog, setDialog] = useState<'resolve' | 'merge' | null>(null);

  const refresh = () =>
    Promise.all([
      dispute && invalidate({ resource: 'disputes', id: dispute.id, invalidates: ['detail'] }),
      invalidate({ resource: 'disputes', invalidates: ['list'] }),
      invalidate({ resource: 'refunds', invalidates: ['list'] }),
      thread.refetch(),
    ]);

  const act = async (url: string, values: object, done: string, method: 'post' | 'patch' = 'post') => {
    try {
      await mutateAsync({
        url,
        method,
        values: { ...values, version: dispute?.version },
        successNotification: { type: 'success', description: done, message: '' },
        errorNotification: (error?: HttpError) => ({ type: 'error', description: 'Not changed', message: error?.message ?? 'The server did not answer.' }),
      });
    } finally {
      await refresh();
    }
  };
  const patch = (values: object, done: string) => act(`/disputes/${dispute?.id}`, values, done, 'patch');
  const closed = dispute?.status === 'closed';
  // Resolving goes through the dialog (with its outcome); the other moves are the table's.
  const moves = (dispute?.allowed_moves ?? []).filter((s) => s !== 'resolved');
  const mayResolve = dispute && !closed && dispute.allowed_moves.includes('resolved') && dispute.refund_status !== 'requested';

  return (
    <Show
      isLoading={query.isLoading}
      title={dispute ? `Dispute ${dispute.number}: ${dispute.subject}` : 'Dispute'}
      canEdit={false}
      canDelete={false}
      headerButtons={({ defaultButtons }) => (
        <Space wrap>
          {dispute && !closed && canMove?.can && moves.length > 0 && (
            <Dropdown
              menu={{
                items: moves.map((s) => ({ key: s, label: `Move to ${statusLabels[s].toLowerCase()}` })),
                onClick: ({ key }) => act(`/disputes/${dispute.id}/transition`, { to: key }, `Moved to ${statusLabels[key as Dispute['status']].toLowerCase()}`),
              }}
            >
              <Button loading={mutation.isPending} data-testid="dispute-move">
                Status
              </Button>
            </Dropdown>
          )}
          {dispute && !closed && canMerge?.can && (
            <Button icon={<MergeCellsOutlined />} onClick={() => setDialog('merge')}>
              Merge
            </Button>
          )}
          {mayResolve && canResolve?.can && (
            <Button type="primary" icon={<CheckCircleOutlined />} onClick={() => setDialog('resolve')} data-testid="dispute-resolve">
              Resolve
            </Button>
          )}
          {defaultButtons}
        </Space>
      )}
    >
      <QueryError error={query.error} onRetry={() => query.refetch()} />
      {dispute && (
        <>
          <RefundWaiting dispute={dispute} />
          <Descriptions bordered size="small" column={{ xs: 1, md: 2, xl: 3 }} style={{ marginBottom: 16 }} data-testid="dispute-details">
            <Descriptions.Item label="Customer">
              <Link to={`/customers/show/${dispute.customer_id}`}>{dispute.customer_name}</Link> · {formatPhone(dispute.customer_phone)}
            </Descriptions.Item>
            <Descriptions.Item label="Status">
              <DisputeStatusTag status={dispute.status} />
            </Descriptions.Item>
            <Descriptions.Item label="Category">{categoryLabels[dispute.category]}</Descriptions.Item>
            <Descriptions.Item label="Priority">
              {canEdit?.can && !closed ? (
                <Select
                  size="small"
                  value={dispute.priority}
                  options={priorityOptions}
                  style={{ width: 110 }}
                  onChange={(priority) => patch({ priority }, `Priority ${priority}`)}
                  data-testid="dispute-priority"
                />
              ) : (
                <PriorityTag priority={dispute.priority} />
              )}
            </Descriptions.Item>
            <Descriptions.Item label="Assignee">
              <Space size={4} wrap>
                {dispute.assignee_name ?? <Typography.Text type="secondary">unassigned</Typography.Text>}
                {canEdit?.can && !closed && me && dispute.assignee_id !== me.id && (
                  <Button size="small" icon={<UserAddOutlined />} onClick={() => patch({ assignee_id: me.id }, 'Assigned to you')}>
                    Take it
                  </Button>
                )}
                {canEdit?.can && !closed && dispute.assignee_id && (
                  <Button size="small" type="link" onClick={() => patch({ assignee_id: null }, 'Unassigned')}>
                    Unassign
                  </Button>
                )}
              </Space>
            </Descriptions.Item>
            <Descriptions.Item label="Opened">
              <DateTime value={dispute.created_at} /> {dispute.created_by_name && <Typography.Text type="secondary">by {dispute.created_by_name}</Typography.Text>}
            </Descriptions.Item>
            <Descriptions.Item label="First response">{dispute.first_response_at ? <DateTime value={dispute.first_response_at} /> : <Typography.Text type="secondary">none yet</Typography.Text>}</Descriptions.Item>
            <Descriptions.Item label="First response due">
              <span data-testid="first-response-due">
                <DueTag due={dispute.first_response_due_at} done={dispute.first_response_at} breached={dispute.first_response_breached} />
              </span>
            </Descriptions.Item>
            <Descriptions.Item label="Resolution due">
              <span data-testid="resolution-due">
                <DueTag due={dispute.resolution_due_at} done={dispute.resolved_at ?? dispute.closed_at} breached={dispute.resolution_breached} paused={Boolean(dispute.paused_since)} />
              </span>
            </Descriptions.Item>
            {dispute.outcome && (
              <Descriptions.Item label="Outcome">
                <Space direction="vertical" size={0}>
                  <Typography.Text strong data-testid="dispute-outcome">
                    {outcomeLabels[dispute.outcome]}
                  </Typography.Text>
                  {dispute.outcome_note && <Typography.Text type="secondary">{dispute.outcome_note}</Typography.Text>}
                </Space>
              </Descriptions.Item>
            )}
            {dispute.refund_id && (
              <Descriptions.Item label="Refund">
                <Link to={`/refunds/show/${dispute.refund_id}`}>
                  {formatPaise(dispute.refund_amount_paise)} · {dispute.refund_status}
                </Link>
              </Descriptions.Item>
            )}
            {dispute.follows_id && (
              <Descriptions.Item label="Follows">
                <Link to={`/disputes/show/${dispute.follows_id}`}>an earlier dispute</Link>
              </Descriptions.Item>
            )}
            {dispute.merged_into_id && (
              <Descriptions.Item label="Merged into">
                <Link to={`/disputes/show/${dispute.merged_into_id}`}>dispute {dispute.merged_into_number}</Link>
              </Descriptions.Item>
            )}
            <Descriptions.Item label="Version">{dispute.version}</Descriptions.Item>
          </Descriptions>
          <Row gutter={[16, 16]}>
            <Col xs={24} lg={14}>
              <Card size="small" title="Thread">
                <QueryError error={thread.error as HttpError | null} onRetry={() => thread.refetch()} />
                <Thread dispute={dispute} messages={thread.data?.data ?? []} />
                {canReply?.can && !closed && (
                  <div style={{ marginTop: 16 }}>
                    <Composer dispute={dispute} onSent={refresh} />
                  </div>
                )}
              </Card>
            </Col>
            <Col xs={24} lg={10}>
              <Evidence dispute={dispute} />
            </Col>
          </Row>
          <ResolveDialog dispute={dispute} open={dialog === 'resolve'} onClose={() => setDialog(null)} onDone={refresh} />
          <MergeDialog dispute={dispute} open={dialog === 'merge'} onClose={() => setDialog(null)} onDone={refresh} />
        </>
      )}
    </Show>
  );
}
