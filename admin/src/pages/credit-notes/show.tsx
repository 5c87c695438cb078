import { ExportOutlined, FilePdfOutlined } from '@ant-design/icons';
import { Show } from '@refinedev/antd';
import { type HttpError, useCustom, useLink, useShow } from '@refinedev/core';
import { Descriptions, Empty, Space, Table, Typography, Button } from 'antd';
import { DateTime } from '../../components/DateTime';
import { Money } from '../../components/Money';
import { QueryError } from '../../components/QueryError';
import { formatGst } from '../../format';
import { Day, nowrap } from '../invoices/shared';
import { type CreditNote, type CreditNoteLine, creditNotePdfUrl, pdfName, reasonLabels } from '../refunds/shared';

const tax = (bp: number, paise: number) =>
  bp === 0 ? (
    <Typography.Text type="secondary">exempt</Typography.Text>
  ) : (
    <Space direction="vertical" size={0} style={{ alignItems: 'flex-end' }}>
      <Money paise={paise} />
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {formatGst(bp / 2)}
      </Typography.Text>
    </Space>
  );

/** A credit note: the invoice it cites (number and date), why, its lines with the tax reversed, and its PDF. */
export function CreditNoteShow() {
  const Link = useLink();
  const { query, result: n } = useShow<CreditNote>();
  const { query: linesQuery } = useCustom<CreditNoteLine[], HttpError>({
    url: `/credit-notes/${n?.id}/lines`,
    method: 'get',
    queryOptions: { enabled: Boolean(n?.id) },
  });
  const lines = linesQuery.data?.data ?? [];
  return (
    <Show
      isLoading={query.isLoading}
      title={n ? `Credit note ${n.number}` : 'Credit note'}
      canEdit={false}
      canDelete={false}
      headerButtons={({ defaultButtons }) => (
        <Space wrap>
          {n && (
            <Button type="primary" icon={<FilePdfOutlined />} href={creditNotePdfUrl(n.id)} download={pdfName(n.number)}>
              Download PDF
            </Button>
          )}
          {n && (
            <Button icon={<ExportOutlined />} href={creditNotePdfUrl(n.id)} target="_blank" rel="noopener" data-testid="credit-note-pdf">
              Open PDF
            </Button>
          )}
          {defaultButtons}
        </Space>
      )}
    >
      <QueryError error={query.error} onRetry={() => query.refetch()} />
      {n && (
        <Descriptions bordered size="small" column={{ xs: 1, md: 2, xl: 3 }} style={{ marginBottom: 24 }}>
          <Descriptions.Item label="Number">
            <Typography.Text strong copyable style={{ fontFamily: 'monospace' }}>
              {n.number}
            </Typography.Text>
          </Descriptions.Item>
          <Descriptions.Item label="Date">
            <Day value={n.note_date} />
          </Descriptions.Item>
          <Descriptions.Item label="Customer">
            <Link to={`/customers/show/${n.customer_id}`}>{n.customer_name}</Link>
          </Descriptions.Item>
          <Descriptions.Item label="Original invoice">
            <Link to={`/invoices/show/${n.invoice_id}`}>
              <span style={{ fontFamily: 'monospace' }}>{n.invoice_number}</span>
            </Link>{' '}
            of <Day value={n.invoice_date} />
          </Descriptions.Item>
          <Descriptions.Item label="Invoice total">
            <Money paise={n.invoice_total_paise} />
          </Descriptions.Item>
          <Descriptions.Item label="Reason">{reasonLabels[n.reason]}</Descriptions.Item>
          <Descriptions.Item label="Refund">
            {n.refund_id ? <Link to={`/refunds/show/${n.refund_id}`}>Open the refund</Link> : <Typography.Text type="secondary">none: an adjustment of the invoice (its balance due fell)</Typography.Text>}
          </Descriptions.Item>
          <Descriptions.Item label="Place of supply">{n.place_of_supply}</Descriptions.Item>
          <Descriptions.Item label="Issued">
            {n.created_by_name ?? '—'}, <DateTime value={n.created_at} />
          </Descriptions.Item>
          <Descriptions.Item label="Note" span={3}>
            {n.note || <Typography.Text type="secondary">—</Typography.Text>}
          </Descriptions.Item>
        </Descriptions>
      )}
      <QueryError error={linesQuery.error} onRetry={() => linesQuery.refetch()} />
      {n && (
        <Table<CreditNoteLine>
          rowKey="id"
          size="small"
          bordered
          pagination={false}
          loading={linesQuery.isLoading}
          dataSource={lines}
          scroll={{ x: 900 }}
          locale={{ emptyText: <Empty description="No lines" /> }}
          summary={() => (
            <Table.Summary fixed>
              <Table.Summary.Row>
                <Table.Summary.Cell index={0} colSpan={3}>
                  <Typography.Text strong>Total credited</Typography.Text>
                  <Typography.Text type="secondary" style={{ marginLeft: 12 }}>
                    taxable <Money paise={n.taxable_paise} /> · exempt <Money paise={n.exempt_paise} />
                  </Typography.Text>
                </Table.Summary.Cell>
                <Table.Summary.Cell index={3} align="right">
                  <Money paise={n.taxable_paise + n.exempt_paise} strong />
                </Table.Summary.Cell>
                <Table.Summary.Cell index={4} align="right">
                  <Money paise={n.cgst_paise} strong />
                </Table.Summary.Cell>
                <Table.Summary.Cell index={5} align="right">
                  <Money paise={n.sgst_paise} strong />
                </Table.Summary.Cell>
                <Table.Summary.Cell index={6} align="right">
                  <span data-testid="credit-note-total">
                    <Money paise={n.total_paise} strong />
                  </span>
                </Table.Summary.Cell>
              </Table.Summary.Row>
            </Table.Summary>
          )}
        >
          <Table.Column<CreditNoteLine> dataIndex="description" title="Description" />
          <Table.Column<CreditNoteLine> dataIndex="hsn_code" title="HSN" render={(v: string) => <span style={{ fontFamily: 'monospace' }}>{v}</span>} />
          <Table.Column<CreditNoteLine> dataIndex="unit" title="Unit" render={(v: string) => <span style={nowrap}>{v}</span>} />
          <Table.Column<CreditNoteLine> dataIndex="taxable_paise" title="Taxable value" align="right" render={(v: number) => <Money paise={v} />} />
          <Table.Column<CreditNoteLine> dataIndex="cgst_paise" title="CGST" align="right" render={(v: number, l) => tax(l.gst_rate_bp, v)} />
          <Table.Column<CreditNoteLine> dataIndex="sgst_paise" title="SGST" align="right" render={(v: number, l) => tax(l.gst_rate_bp, v)} />
          <Table.Column<CreditNoteLine> dataIndex="total_paise" title="Amount" align="right" render={(v: number) => <Money paise={v} strong />} />
        </Table>
      )}
    </Show>
  );
}
