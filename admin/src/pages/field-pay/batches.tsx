import { DownloadOutlined, PlusOutlined } from '@ant-design/icons';
import { getDefaultSortOrder, List, Show, useTable } from '@refinedev/antd';
import { type HttpError, useCan, useCustom, useCustomMutation, useGo, useInvalidate, useLink, useShow } from '@refinedev/core';
import { Alert, Button, DatePicker, Descriptions, Empty, Form, Input, Modal, Popconfirm, Select, Space, Table, Tooltip, Typography } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { DateTime } from '../../components/DateTime';
import { FilterBar } from '../../components/FilterBar';
import { filterValue } from '../../components/filters';
import { withTotal } from '../../components/listTotal';
import { Money } from '../../components/Money';
import { QueryError } from '../../components/QueryError';
import { ReasonModal } from '../../components/ReasonModal';
import { usePhone, usePhoneTable } from '../../components/responsive';
import { formatPaise } from '../../format';
import { useMe } from '../refunds/actions';
import { BatchStatusTag, batchStatusLabels, destination, type BatchStatus, ItemStatusTag, lastMonth, monthLabel, options, type PayoutBatch, type PayoutItem, staffMonthPath } from './shared';

interface Search {
  month?: dayjs.Dayjs;
  status?: BatchStatus;
}

/** Drafts the month's batch: every unpaid line earned up to its end, one transfer per staff member with payout details. */
function DraftButton() {
  const [open, setOpen] = useState(false);
  const [month, setMonth] = useState<dayjs.Dayjs | null>(dayjs(`${lastMonth()}-01`));
  const { mutateAsync, mutation } = useCustomMutation<PayoutBatch & { existing: boolean; skipped: { name: string; amount_paise: number; why: string }[] }>();
  const invalidate = useInvalidate();
  const go = useGo();
  const { data: can } = useCan({ resource: 'payout-batches', action: 'create' });
  if (can && !can.can) return null;
  const submit = async () => {
    if (!month) return;
    try {
      const answer = await mutateAsync({
        url: '/payout-batches',
        method: 'post',
        values: { month: month.format('YYYY-MM') },
        successNotification: (r) => ({
          type: 'success',
          description: r?.data.existing ? `${monthLabel(month.format('YYYY-MM'))} already has a draft` : `Drafted ${monthLabel(month.format('YYYY-MM'))}`,
          message: r?.data.skipped.length
            ? `Left out (no bank account or UPI id): ${r.data.skipped.map((s) => `${s.name} ${formatPaise(s.amount_paise)}`).join(', ')}; their lines stay unpaid.`
            : 'Every staff member with unpaid lines has a transfer.',
        }),
        errorNotification: (e?: HttpError) => ({ type: 'error', description: 'Could not draft the batch', message: e?.message ?? 'The server did not answer.' }),
      });
      await invalidate({ resource: 'payout-batches', invalidates: ['list'] });
      setOpen(false);
      go({ to: `/field/payout-batches/show/${answer.data.id}` });
    } catch {
      /* the notification said why */
    }
  };
  return (
    <>
      <Button type="primary" icon={<PlusOutlined />} onClick={() => setOpen(true)}>
        Draft a batch
      </Button>
      <Modal open={open} title="Draft a payout batch" okText="Draft" onOk={submit} onCancel={() => setOpen(false)} confirmLoading={mutation.isPending} okButtonProps={{ disabled: !month }} destroyOnHidden>
        <Typography.Paragraph>
          Every unpaid earnings line up to the month's last day goes in, one transfer per staff member to their bank account or UPI id. A month that already has a
          draft opens that draft. Another person approves it.
        </Typography.Paragraph>
        <Form layout="vertical">
          <Form.Item label="Month" required validateStatus={month ? undefined : 'error'} help={month ? undefined : 'Choose the month to pay.'}>
            <DatePicker picker="month" value={month} onChange={setMonth} disabledDate={(d) => d.isAfter(dayjs(), 'month')} style={{ width: 200 }} />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}

/** The payout batches: a month's draft waits for a second person's approval, then goes to the bank and is marked paid. */
export function PayoutBatchList() {
  const Link = useLink();
  const { tableProps, sorters, filters, searchFormProps, tableQuery } = useTable<PayoutBatch, HttpError, Search>({
    resource: 'payout-batches',
    sorters: { initial: [{ field: 'created_at', order: 'desc' }] },
    pagination: { pageSize: 25 },
    onSearch: ({ month, status }) => [
      { field: 'month', operator: 'eq', value: month ? month.format('YYYY-MM-01') : undefined },
      { field: 'status', operator: 'eq', value: status || undefined },
    ],
  });
  const monthFilter = filterValue(filters, 'month', 'eq');
  const initial: Search = { month: monthFilter ? dayjs(monthFilter) : undefined, status: filterValue(filters, 'status', 'eq') as BatchStatus | undefined };
  const hasFilters = Boolean(initial.month || initial.status);
  const phoneTable = usePhoneTable();
  return (
    <List title="Payout batches" headerButtons={<DraftButton />}>
      <FilterBar form={searchFormProps} initialValues={initial} typed={[]} cleared={{ month: undefined, status: undefined }} active={hasFilters}>
        <Form.Item name="month">
          <DatePicker picker="month" placeholder="Any month" style={{ width: 160 }} />
        </Form.Item>
        <Form.Item name="status">
          <Select allowClear placeholder="Any status" style={{ width: 160 }} options={options(batchStatusLabels)} />
        </Form.Item>
      </FilterBar>
      <QueryError error={tableQuery.error} onRetry={() => tableQuery.refetch()} />
      <Table<PayoutBatch>
        {...withTotal(tableProps, tableQuery.data)}
        {...phoneTable.table}
        rowKey="id"
        locale={{ emptyText: <Empty description={hasFilters ? 'No batches match these filters' : 'No payout batches yet: draft one for last month'} /> }}
      >
        <Table.Column<PayoutBatch> dataIndex="month" title="Month" render={(v: string, b) => <Link to={`/field/payout-batches/show/${b.id}`}>{monthLabel(v)}</Link>} />
        <Table.Column<PayoutBatch> dataIndex="status" title="Status" render={(v: BatchStatus) => <BatchStatusTag status={v} />} />
        <Table.Column<PayoutBatch> dataIndex="total_paise" title="Total" align="right" sorter defaultSortOrder={getDefaultSortOrder('total_paise', sorters)} render={(v: number) => <Money paise={v} strong />} />
        <Table.Column<PayoutBatch> dataIndex="staff_count" title="Staff" align="right" />
        <Table.Column<PayoutBatch> dataIndex="paid_count" title="Paid" align="right" render={(v: number, b) => `${v} / ${b.staff_count}`} />
        <Table.Column<PayoutBatch> dataIndex="created_by_name" title="Drafted by" render={(v: string | null) => v ?? '—'} />
        <Table.Column<PayoutBatch> dataIndex="approved_by_name" title="Approved by" render={(v: string | null) => v ?? '—'} />
        <Table.Column<PayoutBatch> dataIndex="created_at" title="Drafted" sorter defaultSortOrder={getDefaultSortOrder('created_at', sorters)} render={(v: string) => <DateTime value={v} />} />
      </Table>
    </List>
  );
}

type Settle = { kind: 'paid' | 'failed' | 'reversed'; ids?: string[] } | null;

/** A batch: its transfers (who, where, how much, result) and its actions, each confirmed; the approver is never the drafter. */
export function PayoutBatchShow() {
  const Link = useLink();
  const me = useMe();
  const { query, result: batch } = useShow<PayoutBatch>({ resource: 'payout-batches' });
  const { query: itemsQuery } = useCustom<PayoutItem[], HttpError>({ url: `/payout-batches/${batch?.id}/items`, method: 'get', queryOptions: { enabled: Boolean(batch?.id) } });
  const items = itemsQuery.data?.data ?? [];
  const [selected, setSelected] = useState<string[]>([]);
  const [settle, setSettle] = useState<Settle>(null);
  const { mutateAsync, mutation } = useCustomMutation<PayoutBatch>();
  const invalidate = useInvalidate();
  const { data: canApprove } = useCan({ resource: 'payout-batches', action: 'approve' });
  const { data: canPay } = useCan({ resource: 'payout-batches', action: 'pay' });
  const { data: canExport } = useCan({ resource: 'payout-batches', action: 'export' });
  const phoneTable = usePhoneTable();
  // On a phone where the money goes sits under the name, so the amount and status stay on screen.
  const phone = usePhone();

  const refresh = async () => {
    setSelected([]);
    await Promise.all([invalidate({ resource: 'payout-batches', invalidates: ['resourceAll'] }), itemsQuery.refetch(), invalidate({ resource: 'earnings', invalidates: ['list'] })]);
  };
  const run = async (path: string, values: object, description: string) => {
    if (!batch) return false;
    try {
      await mutateAsync({
        url: `/payout-batches/${batch.id}/${path}`,
        method: 'post',
        values,
        successNotification: { type: 'success', description, message: monthLabel(batch.month) },
        errorNotification: (e?: HttpError) => ({ type: 'error', description: 'Not done', message: e?.message ?? 'The server did not answer.' }),
      });
      return true;
    } catch {
      return false;
    } finally {
      await refresh();
    }
  };

  const own = Boolean(me && batch && batch.created_by === me.id);
  const pending = items.filter((i) => i.status === 'pending');
  const paid = items.filter((i) => i.status === 'paid');
  const chosen = (status: 'pending' | 'paid') => items.filter((i) => selected.includes(i.id) && i.status === status).map((i) => i.id);
  const scope = (ids: string[], all: number) => (ids.length ? `${ids.length} selected transfer${ids.length === 1 ? '' : 's'}` : `all ${all} transfer${all === 1 ? '' : 's'}`);
  const payable = batch?.status === 'approved' || batch?.status === 'paid' || batch?.status === 'failed' || batch?.status === 'reversed';

  const actions = batch && (
    <Space wrap>
      {batch.status === 'draft' && canApprove?.can !== false && (
        <Tooltip title={own ? 'You drafted this batch: another person approves it (four eyes).' : undefined}>
          <Popconfirm
            title={`Approve ${formatPaise(batch.total_paise)} to ${batch.staff_count} staff?`}
            description="You will be asked for a fresh code from your authenticator."
            okText="Approve"
            disabled={own}
            onConfirm={() => run('approve', {}, 'Batch approved')}
          >
            <Button type="primary" disabled={own} loading={mutation.isPending}>
              Approve
            </Button>
          </Popconfirm>
        </Tooltip>
      )}
      {payable && canExport?.can !== false && (
        <Button icon={<DownloadOutlined />} href={`/api/payout-batches/${batch.id}/bank-file`} download>
          Download bank file
        </Button>
      )}
      {payable && canPay?.can !== false && pending.length > 0 && (
        <>
          <Button onClick={() => setSettle({ kind: 'paid', ids: chosen('pending') })}>Mark paid ({scope(chosen('pending'), pending.length)})</Button>
          <Button danger onClick={() => setSettle({ kind: 'failed', ids: chosen('pending') })}>
            Mark failed
          </Button>
        </>
      )}
      {payable && canPay?.can !== false && paid.length > 0 && (
        <Button danger onClick={() => setSettle({ kind: 'reversed', ids: chosen('paid') })}>
          Mark reversed
        </Button>
      )}
    </Space>
  );

  return (
    <Show isLoading={query.isLoading} title={batch ? `Payout ${monthLabel(batch.month)}` : 'Payout batch'} canEdit={false} canDelete={false} headerButtons={() => actions}>
      <QueryError error={query.error ?? itemsQuery.error} onRetry={() => Promise.all([query.refetch(), itemsQuery.refetch()])} />
      {batch && (
        <>
          {own && batch.status === 'draft' && <Alert type="info" showIcon style={{ marginBottom: 16 }} message="You drafted this batch: another manager or finance person approves it." />}
          <Descriptions bordered size="small" column={{ xs: 1, sm: 2, lg: 3 }} style={{ marginBottom: 16 }}>
            <Descriptions.Item label="Status">
              <BatchStatusTag status={batch.status} />
            </Descriptions.Item>
            <Descriptions.Item label="Total">
              <Money paise={batch.total_paise} strong />
            </Descriptions.Item>
            <Descriptions.Item label="Lines earned up to">{dayjs(batch.period_end).format('D MMM YYYY')}</Descriptions.Item>
            <Descriptions.Item label="Drafted by">
              {batch.created_by_name ?? '—'} · <DateTime value={batch.created_at} />
            </Descriptions.Item>
            <Descriptions.Item label="Approved by">{batch.approved_by_name ? <>{batch.approved_by_name} · <DateTime value={batch.approved_at} /></> : '—'}</Descriptions.Item>
            <Descriptions.Item label="Transfers paid">
              {batch.paid_count} / {batch.staff_count}
            </Descriptions.Item>
          </Descriptions>
          <Typography.Title level={5}>Transfers</Typography.Title>
          <Table<PayoutItem>
            dataSource={items}
            rowKey="id"
            loading={itemsQuery.isLoading}
            pagination={false}
            {...phoneTable.table}
            rowSelection={payable ? { selectedRowKeys: selected, onChange: (keys) => setSelected(keys as string[]), getCheckboxProps: (i) => ({ disabled: i.status === 'failed' || i.status === 'reversed' }) } : undefined}
            locale={{ emptyText: <Empty description="No transfers: nobody had unpaid lines with payout details" /> }}
          >
            <Table.Column<PayoutItem>
              dataIndex="staff_name"
              title="Staff"
              render={(v: string, i) => (
                <Space direction="vertical" size={0}>
                  <Link to={staffMonthPath(i.staff_id, batch.month)}>{v}</Link>
                  {phone && <Typography.Text type="secondary" style={{ fontSize: 12 }}>{destination(i)}</Typography.Text>}
                </Space>
              )}
            />
            {!phone && <Table.Column<PayoutItem> key="pays_to" title="Pays to" render={(_, i) => <span style={{ whiteSpace: 'nowrap' }}>{destination(i)}</span>} />}
            <Table.Column<PayoutItem> dataIndex="amount_paise" title="Amount" align="right" render={(v: number) => <Money paise={v} strong />} />
            <Table.Column<PayoutItem>
              dataIndex="line_count"
              title="Lines"
              align="right"
              render={(v: number, i) => <Link to={`/field/earnings?payout_item_id=${i.id}`}>{v}</Link>}
            />
            <Table.Column<PayoutItem> dataIndex="status" title="Status" render={(v: PayoutItem['status'], i) => <Space direction="vertical" size={0}><ItemStatusTag status={v} />{i.bank_reference && <Typography.Text type="secondary" style={{ fontSize: 12 }}>Ref {i.bank_reference}</Typography.Text>}{i.failure_reason && <Typography.Text type="secondary" style={{ fontSize: 12 }}>{i.failure_reason}</Typography.Text>}</Space>} />
          </Table>
        </>
      )}
      <PaidModal
        open={settle?.kind === 'paid'}
        what={scope(settle?.ids ?? [], pending.length)}
        pending={mutation.isPending}
        onCancel={() => setSettle(null)}
        onSubmit={async (bank_reference) => {
          if (await run('mark-paid', { bank_reference, ...(settle?.ids?.length ? { item_ids: settle.ids } : {}) }, 'Marked paid')) setSettle(null);
        }}
      />
      <ReasonModal
        open={settle?.kind === 'failed' || settle?.kind === 'reversed'}
        title={settle?.kind === 'reversed' ? 'Mark transfers reversed' : 'Mark transfers failed'}
        okText={settle?.kind === 'reversed' ? 'Mark reversed' : 'Mark failed'}
        intro={`This applies to ${scope(settle?.ids ?? [], settle?.kind === 'reversed' ? paid.length : pending.length)}. Their earnings lines become unpaid again; the next draft takes them.`}
        placeholder="What the bank said"
        confirmLoading={mutation.isPending}
        onCancel={() => setSettle(null)}
        onSubmit={async (reason) => {
          const path = settle?.kind === 'reversed' ? 'mark-reversed' : 'mark-failed';
          if (await run(path, { reason, ...(settle?.ids?.length ? { item_ids: settle.ids } : {}) }, settle?.kind === 'reversed' ? 'Marked reversed' : 'Marked failed')) setSettle(null);
        }}
      />
    </Show>
  );
}

/** Asks the bank's reference (UTR or its batch id) before marking transfers paid. */
function PaidModal({ open, what, pending, onCancel, onSubmit }: { open: boolean; what: string; pending: boolean; onCancel: () => void; onSubmit: (ref: string) => void }) {
  const [form] = Form.useForm<{ bank_reference: string }>();
  return (
    <Modal open={open} title="Mark transfers paid" okText="Mark paid" confirmLoading={pending} onCancel={onCancel} onOk={() => form.validateFields().then((v) => onSubmit(v.bank_reference.trim()))} destroyOnHidden>
      <Typography.Paragraph>This marks {what} paid. Check the bank's statement first.</Typography.Paragraph>
      <Form form={form} layout="vertical" preserve={false}>
        <Form.Item name="bank_reference" label="Bank reference" rules={[{ required: true, whitespace: true, min: 3, message: "Give the bank's reference (UTR or batch id), at least 3 characters." }, { max: 100, message: 'At most 100 characters.' }]}>
          <Input placeholder="UTR or the bank's batch id" autoFocus />
        </Form.Item>
      </Form>
    </Modal>
  );
}
