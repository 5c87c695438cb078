import { FilePdfOutlined } from '@ant-design/icons';
import { type HttpError, useCan, useLink, useList } from '@refinedev/core';
import { Button, Card, Empty, Table, Tooltip, Typography } from 'antd';
import { Money } from '../../components/Money';
import { QueryError } from '../../components/QueryError';
import { Day, nowrap } from '../invoices/shared';
import { type CreditNote, creditNotePdfUrl, pdfName, reasonLabels } from '../refunds/shared';

/** The credit notes that reduce an invoice (its page): number, date, why, amount, PDF. Hidden without list on credit notes. */
export function InvoiceCreditNotes({ invoiceId, creditedPaise }: { invoiceId: string; creditedPaise: number }) {
  const Link = useLink();
  const { data: canList } = useCan({ resource: 'credit-notes', action: 'list' });
  const { result, query } = useList<CreditNote, HttpError>({
    resource: 'credit-notes',
    filters: [{ field: 'invoice_id', operator: 'eq', value: invoiceId }],
    sorters: [{ field: 'created_at', order: 'asc' }],
    pagination: { currentPage: 1, pageSize: 100 },
    queryOptions: { enabled: Boolean(canList?.can) },
  });
  if (!canList?.can) return null;
  return (
    <Card
      size="small"
      style={{ marginTop: 24 }}
      data-testid="invoice-credit-notes"
      title="Credit notes"
      extra={creditedPaise > 0 && <Typography.Text type="secondary">credited <Money paise={creditedPaise} /></Typography.Text>}
    >
      <QueryError error={query.error} onRetry={() => query.refetch()} />
      <Table<CreditNote>
        rowKey="id"
        size="small"
        pagination={false}
        loading={query.isLoading}
        dataSource={result?.data ?? []}
        scroll={{ x: 600 }}
        locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="No credit note reduces this invoice" /> }}
      >
        <Table.Column<CreditNote>
          dataIndex="number"
          title="Number"
          render={(v: string, n) => (
            <Link to={`/credit-notes/show/${n.id}`}>
              <span style={{ ...nowrap, fontFamily: 'monospace' }}>{v}</span>
            </Link>
          )}
        />
        <Table.Column<CreditNote> dataIndex="note_date" title="Date" render={(v: string) => <Day value={v} />} />
        <Table.Column<CreditNote> dataIndex="reason" title="Reason" render={(v: CreditNote['reason'], n) => <span style={nowrap}>{reasonLabels[v]}{n.refund_id ? '' : ' (adjustment)'}</span>} />
        <Table.Column<CreditNote> dataIndex="total_paise" title="Amount" align="right" render={(v: number) => <Money paise={v} strong />} />
        <Table.Column<CreditNote>
          key="pdf"
          width={1}
          render={(_, n) => (
            <Tooltip title="Download PDF">
              <Button size="small" icon={<FilePdfOutlined />} href={creditNotePdfUrl(n.id)} download={pdfName(n.number)} aria-label={`Download PDF of ${n.number}`} />
            </Tooltip>
          )}
        />
      </Table>
    </Card>
  );
}
