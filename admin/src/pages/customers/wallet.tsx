import { GiftOutlined, PlusOutlined } from '@ant-design/icons';
import { useTable } from '@refinedev/antd';
import { type HttpError, useCan, useCustom, useCustomMutation, useInvalidate, useLink } from '@refinedev/core';
import { Button, Card, DatePicker, Descriptions, Empty, Form, Input, Modal, Radio, Space, Statistic, Table, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import type { Wallet, WalletTransaction } from '../../../../api/modules/wallets/wallets.schemas';
import { DateTime } from '../../components/DateTime';
import { Money } from '../../components/Money';
import { QueryError } from '../../components/QueryError';
import { formatPaise, parseRupees } from '../../format';
import { dateField, dayFormats, newUuid, todayIST } from '../orders/pickers';
import { methodOptions, type PaymentMethod, referenceLabels, type WalletLot } from '../payments/shared';

const sourceTags: Record<WalletLot['source'], { label: string; color: string }> = {
  overpayment: { label: 'overpayment', color: 'blue' },
  top_up: { label: 'top-up', color: 'green' },
  promo: { label: 'promotional', color: 'magenta' },
  refund: { label: 'refund', color: 'purple' },
};
const entryColors: Record<WalletTransaction['kind'], string> = { credit: 'green', debit: 'blue', expiry: 'default', reinstate: 'cyan', withdrawal: 'orange' };

/** The expiry of a lot: money paid in never expires; a promotional lot does (its last moment, shown in IST). */
function Expiry({ at }: { at: string | null }) {
  if (!at) return <Typography.Text type="secondary">never</Typography.Text>;
  const past = dayjs(at).isBefore(dayjs());
  return <Typography.Text type={past ? 'secondary' : dayjs(at).diff(dayjs(), 'day') < 7 ? 'warning' : undefined}>{past ? 'expired ' : ''}<DateTime value={at} /></Typography.Text>;
}

/** A customer's wallet: balance, lots with their expiry, the ledger; top-ups and promotional credit for finance. */
export function CustomerWallet({ customerId }: { customerId: string }) {
  const Link = useLink();
  const invalidate = useInvalidate();
  const { data: canShow } = useCan({ resource: 'wallets', action: 'show' });
  const { data: canTopUp } = useCan({ resource: 'wallets', action: 'top-up' });
  const { data: canPromo } = useCan({ resource: 'wallets', action: 'promo' });
  const { query } = useCustom<Wallet>({ url: `/customers/${customerId}/wallet`, method: 'get', queryOptions: { enabled: Boolean(canShow?.can) } });
  const wallet = query.data?.data;
  const { tableProps, tableQuery } = useTable<WalletTransaction>({
    resource: 'wallet-transactions',
    syncWithLocation: false,
    filters: { permanent: [{ field: 'customer_id', operator: 'eq', value: customerId }] },
    sorters: { initial: [{ field: 'created_at', order: 'desc' }] },
    pagination: { pageSize: 20 },
    queryOptions: { enabled: Boolean(canShow?.can) },
  });
  const [dialog, setDialog] = useState<'top-up' | 'promo' | null>(null);
  const refresh = () =>
    Promise.all([
      query.refetch(),
      invalidate({ resource: 'wallet-transactions', invalidates: ['list'] }),
      invalidate({ resource: 'payments', invalidates: ['list'] }),
      invalidate({ resource: 'receivables', invalidates: ['list'] }),
    ]);
  if (canShow && !canShow.can) return <Empty description="Your role may not read wallets." />;

  return (
    <Space direction="vertical" size={24} style={{ width: '100%' }} data-testid="wallet">
      <QueryError error={query.error} onRetry={() => query.refetch()} />
      <Card
        size="small"
        title="Wallet"
        loading={query.isLoading}
        extra={
          <Space wrap>
            {canTopUp?.can && (
              <Button size="small" type="primary" icon={<PlusOutlined />} onClick={() => setDialog('top-up')}>
                Top up
              </Button>
            )}
            {canPromo?.can && (
              <Button size="small" icon={<GiftOutlined />} onClick={() => setDialog('promo')}>
                Promotional credit
              </Button>
            )}
          </Space>
        }
      >
        {wallet && (
          <Space size={48} wrap>
            <Statistic title="Balance" value={formatPaise(wallet.balance_paise)} valueStyle={{ fontVariantNumeric: 'tabular-nums' }} />
            <Statistic title="Can be spent now" value={formatPaise(wallet.available_paise)} />
            <Statistic title="Expiring in 7 days" value={formatPaise(wallet.expiring_in_7_days_paise)} />
            <Descriptions size="small" column={1}>
              <Descriptions.Item label="Next expiry">{wallet.next_expiry_at ? <DateTime value={wallet.next_expiry_at} /> : 'none'}</Descriptions.Item>
            </Descriptions>
          </Space>
        )}
        <Typography.Paragraph type="secondary" style={{ marginTop: 12, marginBottom: 0 }}>
          The next invoice run spends available credit on the new invoice, soonest-expiring lot first.
        </Typography.Paragraph>
      </Card>
      <Card size="small" title="Lots">
        <Table<WalletLot>
          rowKey="id"
          size="small"
          pagination={false}
          dataSource={wallet?.lots ?? []}
          loading={query.isLoading}
          scroll={{ x: 'max-content' }}
          locale={{ emptyText: <Empty description="No credit yet" /> }}
        >
          <Table.Column<WalletLot> dataIndex="source" title="Source" render={(v: WalletLot['source']) => <Tag color={sourceTags[v].color}>{sourceTags[v].label}</Tag>} />
          <Table.Column<WalletLot> dataIndex="amount_paise" title="Given" align="right" render={(v: number) => <Money paise={v} />} />
          <Table.Column<WalletLot> dataIndex="remaining_paise" title="Left" align="right" render={(v: number) => <Money paise={v} strong={v > 0} />} />
          <Table.Column<WalletLot> dataIndex="expires_at" title="Expires" render={(v: string | null) => <Expiry at={v} />} />
          <Table.Column<WalletLot> dataIndex="note" title="Note" />
          <Table.Column<WalletLot>
            dataIndex="payment_id"
            title="Paid in by"
            render={(v: string | null) => (v ? <Link to={`/payments/show/${v}`}>the payment</Link> : <Typography.Text type="secondary">—</Typography.Text>)}
          />
          <Table.Column<WalletLot> dataIndex="created_at" title="Made" render={(v: string) => <DateTime value={v} />} />
        </Table>
      </Card>
      <Card size="small" title="Ledger">
        <QueryError error={tableQuery.error} onRetry={() => tableQuery.refetch()} />
        <Table<WalletTransaction> {...tableProps} rowKey="id" size="small" scroll={{ x: 'max-content' }} locale={{ emptyText: <Empty description="No ledger lines" /> }}>
          <Table.Column<WalletTransaction> dataIndex="created_at" title="When" render={(v: string) => <DateTime value={v} />} />
          <Table.Column<WalletTransaction> dataIndex="kind" title="Line" render={(v: WalletTransaction['kind']) => <Tag color={entryColors[v]}>{v}</Tag>} />
          <Table.Column<WalletTransaction>
            dataIndex="amount_paise"
            title="Amount"
            align="right"
            render={(v: number, t) => (
              <Typography.Text type={t.kind === 'credit' || t.kind === 'reinstate' ? 'success' : undefined} style={{ whiteSpace: 'nowrap' }}>
                {t.kind === 'credit' || t.kind === 'reinstate' ? '+' : '−'}
                {formatPaise(v)}
              </Typography.Text>
            )}
          />
          <Table.Column<WalletTransaction> dataIndex="lot_source" title="Lot" render={(v: WalletLot['source']) => sourceTags[v]?.label ?? v} />
          <Table.Column<WalletTransaction>
            dataIndex="invoice_number"
            title="Invoice"
            render={(v: string | null, t) => (v && t.invoice_id ? <Link to={`/invoices/show/${t.invoice_id}`}>{v}</Link> : <Typography.Text type="secondary">—</Typography.Text>)}
          />
          <Table.Column<WalletTransaction> dataIndex="note" title="Note" />
          <Table.Column<WalletTransaction> dataIndex="created_by_name" title="By" render={(v: string | null) => v ?? 'system'} />
        </Table>
      </Card>
      {dialog && <CreditDialog kind={dialog} customerId={customerId} onClose={() => setDialog(null)} onDone={refresh} />}
    </Space>
  );
}

interface CreditValues {
  amount?: string;
  method: PaymentMethod;
  reference?: string;
  received_on: string;
  expires_on?: string;
  note?: string;
}

/**
 * Top-up (money received in advance: a payment that all becomes credit, never expiring) or promotional credit (expires,
 * 30 days by default). One Idempotency-Key per opened dialog: a double click or a retry credits once.
 */
function CreditDialog({ kind, customerId, onClose, onDone }: { kind: 'top-up' | 'promo'; customerId: string; onClose: () => void; onDone: () => Promise<unknown> }) {
  const [form] = Form.useForm<CreditValues>();
  const [key] = useState(() => newUuid());
  const { mutateAsync, mutation } = useCustomMutation();
  const method = (Form.useWatch('method', form) as PaymentMethod | undefined) ?? 'upi';
  const submit = async (v: CreditValues) => {
    const amount_paise = parseRupees(v.amount);
    const values =
      kind === 'top-up'
        ? { amount_paise, method: v.method, reference: v.reference?.trim() || null, received_on: v.received_on, ...(v.note?.trim() ? { note: v.note.trim() } : {}) }
        : { amount_paise, note: v.note?.trim() ?? '', ...(v.expires_on ? { expires_on: v.expires_on } : {}) };
    try {
      await mutateAsync({
        url: `/customers/${customerId}/wallet/${kind}`,
        method: 'post',
        values,
        config: { headers: { 'Idempotency-Key': key } },
        successNotification: { type: 'success', description: `${formatPaise(amount_paise)} ${kind === 'top-up' ? 'topped up' : 'promotional credit given'}`, message: '' },
        errorNotification: (error?: HttpError) => ({ type: 'error', description: kind === 'top-up' ? 'Could not top up' : 'Could not give the credit', message: error?.message ?? 'The server did not answer.' }),
      });
      await onDone();
      onClose();
    } catch {
      // the notification said why
    }
  };
  return (
    <Modal open title={kind === 'top-up' ? 'Top up the wallet' : 'Give promotional credit'} okText={kind === 'top-up' ? 'Top up' : 'Give credit'} onOk={() => form.submit()} onCancel={onClose} confirmLoading={mutation.isPending} destroyOnHidden>
      <Form<CreditValues> form={form} layout="vertical" onFinish={submit} initialValues={{ method: 'upi', received_on: todayIST() }}>
        <Form.Item
          name="amount"
          label="Amount"
          rules={[
            { required: true, message: 'Type the amount.' },
            {
              validator: (_, value: string | undefined) => {
                if (!value) return Promise.resolve();
                const p = parseRupees(value);
                if (p === null) return Promise.reject(new Error('An amount in rupees, with at most two decimals.'));
                if (p <= 0) return Promise.reject(new Error('The amount must be more than ₹0.'));
                return Promise.resolve();
              },
            },
          ]}
        >
          <Input prefix="₹" inputMode="decimal" autoComplete="off" style={{ maxWidth: 200 }} />
        </Form.Item>
        {kind === 'top-up' ? (
          <>
            <Form.Item name="method" label="Method">
              <Radio.Group optionType="button" options={methodOptions} />
            </Form.Item>
            <Form.Item
              name="reference"
              label={referenceLabels[method]}
              dependencies={['method']}
              rules={[{ required: method !== 'cash', whitespace: true, message: `A ${method.replace('_', ' ')} payment needs its reference (UTR, UPI reference, cheque number).` }]}
            >
              <Input autoComplete="off" />
            </Form.Item>
            <Form.Item name="received_on" label="Received on" {...dateField}>
              <DatePicker format={dayFormats} allowClear={false} disabledDate={(d) => d.isAfter(dayjs(todayIST()), 'day')} />
            </Form.Item>
            <Form.Item name="note" label="Note (optional)">
              <Input maxLength={500} />
            </Form.Item>
          </>
        ) : (
          <>
            <Form.Item name="expires_on" label="Last day it can be spent" {...dateField} extra="30 days from today when left empty.">
              <DatePicker format={dayFormats} disabledDate={(d) => !d.isAfter(dayjs(todayIST()), 'day')} />
            </Form.Item>
            <Form.Item name="note" label="Why (shows on the statement)" rules={[{ required: true, min: 3, whitespace: true, message: 'Say why the credit is given (at least 3 characters).' }]}>
              <Input maxLength={200} placeholder="e.g. Sorry for the late delivery" />
            </Form.Item>
          </>
        )}
      </Form>
    </Modal>
  );
}
