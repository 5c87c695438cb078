import { ExportOutlined, FilePdfOutlined } from '@ant-design/icons';
import { useCan, useCustom, useLink } from '@refinedev/core';
import { Button, Card, DatePicker, Descriptions, Empty, Space, Table, Tag, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import type { Statement, StatementLine } from '../../../../api/modules/statements/statements.schemas';
import { Money } from '../../components/Money';
import { QueryError } from '../../components/QueryError';
import { formatPaise } from '../../format';
import { Day, useShowPath } from '../invoices/shared';
import { todayIST } from '../orders/pickers';

const kindLabels: Record<StatementLine['kind'], { label: string; color: string }> = {
  invoice: { label: 'invoice', color: 'blue' },
  invoice_void: { label: 'void', color: 'red' },
  payment: { label: 'payment', color: 'green' },
  cheque_bounced: { label: 'bounced', color: 'red' },
  wallet_credit: { label: 'credit', color: 'cyan' },
  wallet_expired: { label: 'expired', color: 'default' },
  wallet_withdrawn: { label: 'withdrawn', color: 'orange' },
  wallet_applied: { label: 'credit spent', color: 'geekblue' },
  credit_note: { label: 'credit note', color: 'purple' },
  refund: { label: 'refund', color: 'volcano' },
  refund_failed: { label: 'refund failed', color: 'default' },
};

/** What a balance means: owed by the customer, or held for them (negative: in credit). */
const Balance = ({ paise, strong }: { paise: number; strong?: boolean }) =>
  paise < 0 ? (
    <Typography.Text type="success" strong={strong} style={{ whiteSpace: 'nowrap' }}>
      {formatPaise(-paise)} in credit
    </Typography.Text>
  ) : (
    <Money paise={paise} strong={strong} />
  );

/**
 * A customer's statement of account for a range of days (IST): opening balance, every line with the running balance,
 * closing balance; the same as a PDF. Without a range the API's own: from the start of the month three months back.
 */
export function CustomerStatement({ customerId }: { customerId: string }) {
  const Link = useLink();
  const showPath = useShowPath();
  const [range, setRange] = useState<[Dayjs, Dayjs] | null>(null);
  const { data: canShow } = useCan({ resource: 'statements', action: 'show' });
  const query = range ? { from: range[0].format('YYYY-MM-DD'), to: range[1].format('YYYY-MM-DD') } : {};
  const { query: q } = useCustom<Statement>({
    url: `/customers/${customerId}/statement`,
    method: 'get',
    config: { query },
    queryOptions: { enabled: Boolean(canShow?.can) },
  });
  const s = q.data?.data;
  if (canShow && !canShow.can) return <Empty description="Your role may not read statements." />;
  const pdf = s ? `/api/customers/${customerId}/statement/pdf?from=${s.from}&to=${s.to}` : undefined;
  const docLink = (l: StatementLine) =>
    l.kind === 'invoice' || l.kind === 'invoice_void' || l.kind === 'wallet_applied'
      ? `/invoices/show/${l.document_id}`
      : l.kind === 'payment' || l.kind === 'cheque_bounced'
        ? `/payments/show/${l.document_id}`
        : l.kind === 'credit_note'
          ? showPath('credit-notes', l.document_id)
          : l.kind === 'refund' || l.kind === 'refund_failed'
            ? showPath('refunds', l.document_id)
            : null;

  return (
    <Card
      size="small"
      data-testid="statement"
      title={
        <Space wrap>
          <span>Statement</span>
          <DatePicker.RangePicker
            allowClear={false}
            format="D MMM YYYY"
            value={s ? [dayjs(s.from, 'YYYY-MM-DD'), dayjs(s.to, 'YYYY-MM-DD')] : range}
            presets={[
              { label: 'This month', value: [dayjs(todayIST()).startOf('month'), dayjs(todayIST())] },
              { label: 'Last 3 months', value: [dayjs(todayIST()).subtract(3, 'month').startOf('month'), dayjs(todayIST())] },
              { label: 'This financial year', value: [dayjs(todayIST()).subtract(dayjs(todayIST()).month() >= 3 ? 0 : 1, 'year').month(3).startOf('month'), dayjs(todayIST())] },
              { label: 'Last 3 years', value: [dayjs(todayIST()).subtract(3, 'year'), dayjs(todayIST())] },
            ]}
            disabledDate={(d) => d.isAfter(dayjs(todayIST()), 'day')}
            onChange={(v) => v?.[0] && v[1] && setRange([v[0], v[1]])}
            data-testid="statement-range"
          />
        </Space>
      }
      extra={
        pdf && (
          <Space wrap>
            <Button size="small" type="primary" icon={<FilePdfOutlined />} href={pdf} download={`statement-${s!.from}-${s!.to}.pdf`}>
              Download PDF
            </Button>
            <Button size="small" icon={<ExportOutlined />} href={pdf} target="_blank" rel="noopener">
              Open PDF
            </Button>
          </Space>
        )
      }
    >
      <QueryError error={q.error} onRetry={() => q.refetch()} />
      {s && (
        <Descriptions size="small" column={{ xs: 1, md: 3 }} style={{ marginBottom: 16 }}>
          <Descriptions.Item label={`Opening balance (${dayjs(s.from).format('D MMM YYYY')})`}>
            <span data-testid="statement-opening"><Balance paise={s.opening_balance_paise} /></span>
          </Descriptions.Item>
          <Descriptions.Item label={`Closing balance (${dayjs(s.to).format('D MMM YYYY')})`}>
            <span data-testid="statement-closing"><Balance paise={s.closing_balance_paise} strong /></span>
          </Descriptions.Item>
          <Descriptions.Item label="Now">
            <span>
              owes <Money paise={s.balance_due_paise} />{' · '}wallet <Money paise={s.wallet_paise} />
            </span>
          </Descriptions.Item>
        </Descriptions>
      )}
      <Table<StatementLine>
        rowKey={(l) => `${l.kind}:${l.document_id}:${l.date}:${l.balance_paise}`}
        size="small"
        loading={q.isLoading}
        dataSource={s?.lines ?? []}
        pagination={(s?.lines.length ?? 0) > 100 ? { pageSize: 100, showSizeChanger: false } : false}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: <Empty description="Nothing happened in these days" /> }}
        summary={() =>
          s && (
            <Table.Summary>
              <Table.Summary.Row>
                <Table.Summary.Cell index={0} colSpan={3}>
                  <Typography.Text strong>Totals</Typography.Text>
                </Table.Summary.Cell>
                <Table.Summary.Cell index={3} align="right">
                  <Money paise={s.total_debit_paise} strong />
                </Table.Summary.Cell>
                <Table.Summary.Cell index={4} align="right">
                  <Money paise={s.total_credit_paise} strong />
                </Table.Summary.Cell>
                <Table.Summary.Cell index={5} align="right">
                  <Balance paise={s.closing_balance_paise} strong />
                </Table.Summary.Cell>
              </Table.Summary.Row>
            </Table.Summary>
          )
        }
      >
        <Table.Column<StatementLine> dataIndex="date" title="Date" render={(v: string) => <Day value={v} />} />
        <Table.Column<StatementLine>
          dataIndex="kind"
          title="What"
          render={(v: StatementLine['kind'], l) => {
            const path = docLink(l);
            const text = <span>{l.description}</span>;
            return (
              <Space size={4} wrap={false}>
                <Tag color={kindLabels[v].color}>{kindLabels[v].label}</Tag>
                {path ? <Link to={path}>{text}</Link> : text}
              </Space>
            );
          }}
        />
        <Table.Column<StatementLine> dataIndex="reference" title="Reference" render={(v: string | null) => (v ? <span style={{ fontFamily: 'monospace', whiteSpace: 'nowrap' }}>{v}</span> : '')} />
        <Table.Column<StatementLine> dataIndex="debit_paise" title="Debit" align="right" render={(v: number) => (v ? <Money paise={v} /> : '')} />
        <Table.Column<StatementLine>
          dataIndex="credit_paise"
          title="Credit"
          align="right"
          render={(v: number, l) => (v ? <Money paise={v} /> : l.memo_paise ? <Typography.Text type="secondary">({formatPaise(l.memo_paise)})</Typography.Text> : '')}
        />
        <Table.Column<StatementLine> dataIndex="balance_paise" title="Balance" align="right" render={(v: number) => <Balance paise={v} />} />
      </Table>
    </Card>
  );
}
