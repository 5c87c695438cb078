import { ExportOutlined, FilePdfOutlined, RedoOutlined, StopOutlined } from '@ant-design/icons';
import { Show } from '@refinedev/antd';
import { OpenDisputeButton } from '../disputes/open-button';
import { type HttpError, useCan, useCustomMutation, useGo, useInvalidate, useLink, useList, useOne, useShow } from '@refinedev/core';
import { Alert, Button, Descriptions, Empty, Popconfirm, Space, Table, Tooltip, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { DateTime } from '../../components/DateTime';
import { Money } from '../../components/Money';
import { QueryError } from '../../components/QueryError';
import { formatGst } from '../../format';
import type { BillingRecord, Invoice, InvoiceLine } from './shared';
import { Day, InvoiceKindTag, InvoiceStatusTag, listUrl, nowrap, periodLabel } from './shared';
import { pdfUrl } from './list';
import { newUuid } from '../orders/pickers';
import { ReasonModal } from '../../components/ReasonModal';
import { InvoiceCreditNotes } from '../credit-notes/for-invoice';
import { InvoicePayments } from './payments-card';

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

export function InvoiceShow() {
  const Link = useLink();
  const go = useGo();
  const invalidate = useInvalidate();
  const { query, result: invoice } = useShow<Invoice>();
  const id = invoice?.id;
  const { result: lines, query: linesQuery } = useList<InvoiceLine>({
    resource: 'invoice-lines',
    filters: [{ field: 'invoice_id', operator: 'eq', value: id }],
    sorters: [{ field: 'description', order: 'asc' }],
    pagination: { mode: 'off' },
    queryOptions: { enabled: Boolean(id) },
  });
  const { result: replacedBy } = useOne<Invoice>({ resource: 'invoices', id: invoice?.replaced_by_invoice_id ?? '', queryOptions: { enabled: Boolean(invoice?.replaced_by_invoice_id) } });
  const { result: replaces } = useOne<Invoice>({ resource: 'invoices', id: invoice?.replaces_invoice_id ?? '', queryOptions: { enabled: Boolean(invoice?.replaces_invoice_id) } });
  // A void invoice can be reissued while its released records are still unbilled (a later run may have taken them).
  const canBeReissued = invoice?.status === 'void' && !invoice.replaced_by_invoice_id;
  const { result: released, query: releasedQuery } = useList<BillingRecord>({
    resource: 'billing-records',
    filters: [
      { field: 'customer_id', operator: 'eq', value: invoice?.customer_id },
      { field: 'service_date', operator: 'gte', value: invoice?.period_start },
      { field: 'service_date', operator: 'lte', value: invoice?.period_end },
      { field: 'is_invoiced', operator: 'eq', value: 'false' },
      { field: 'legacy_billed', operator: 'eq', value: 'false' },
    ],
    pagination: { currentPage: 1, pageSize: 1 },
    queryOptions: { enabled: Boolean(canBeReissued) },
  });
  const { data: mayVoid } = useCan({ resource: 'invoices', action: 'void' });
  // Within the role's amount limit, if its grant has one: above it the button stays, disabled, saying why.
  const { data: canVoid } = useCan({ resource: 'invoices', action: 'void', params: { amount_paise: invoice?.total_paise }, queryOptions: { enabled: Boolean(invoice) } });
  const { data: canReissue } = useCan({ resource: 'invoices', action: 'reissue' });
  const { mutateAsync, mutation } = useCustomMutation<Invoice>();
  const [voiding, setVoiding] = useState(false);
  // One key per action and invoice: a double click or a retry after a lost answer voids or reissues once (a failed
  // attempt claims nothing, so the same key may try again).
  const keys = useMemo(() => ({ void: newUuid(), reissue: newUuid() }), [id]);

  // The detail needs its id to be invalidated; the lists and the reissue check (billing records) go stale too.
  const refresh = () =>
    Promise.all([
      invalidate({ resource: 'invoices', invalidates: ['list', 'many'] }),
      id && invalidate({ resource: 'invoices', id, invalidates: ['detail'] }),
      invalidate({ resource: 'billing-records', invalidates: ['list'] }),
      invalidate({ resource: 'invoice-runs', invalidates: ['list'] }),
    ]);

  const voidIt = async (reason: string) => {
    if (!invoice) return;
    try {
      await mutateAsync({
        url: `/invoices/${invoice.id}/void`,
        method: 'post',
        values: { reason },
        config: { headers: { 'Idempotency-Key': keys.void } },
        successNotification: { type: 'success', description: `Voided ${invoice.number}`, message: 'Its billing records are free to be reissued.' },
        errorNotification: (error?: HttpError) => ({ type: 'error', description: `Could not void ${invoice.number}`, message: error?.message ?? 'The server did not answer.' }),
      });
      setVoiding(false);
    } catch {
      // the notification said why
    } finally {
      await refresh();
    }
  };

  const reissue = async () => {
    if (!invoice) return;
    try {
      const { data } = await mutateAsync({
        url: `/invoices/${invoice.id}/reissue`,
        method: 'post',
        values: {},
        config: { headers: { 'Idempotency-Key': keys.reissue } },
        successNotification: (res) => ({ type: 'success', description: `Reissued as ${res?.data.number ?? 'a new invoice'}`, message: `It replaces ${invoice.number}.` }),
        errorNotification: (error?: HttpError) => ({ type: 'error', description: `Could not reissue ${invoice.number}`, message: error?.message ?? 'The server did not answer.' }),
      });
      await refresh();
      go({ to: `/invoices/show/${data.id}` });
    } catch {
      await refresh();
    }
  };

  const filename = invoice ? `${invoice.number.replace(/\//g, '-')}.pdf` : 'invoice.pdf';
  return (
    <Show
      isLoading={query.isLoading}
      title={invoice ? `Invoice ${invoice.number}` : 'Invoice'}
      canEdit={false}
      canDelete={false}
      headerButtons={({ defaultButtons }) => (
        <>
          {invoice && <OpenDisputeButton customerId={invoice.customer_id} invoiceId={invoice.id} />}
          {invoice && (
            <Button type="primary" icon={<FilePdfOutlined />} href={pdfUrl(invoice.id)} download={filename}>
              Download PDF
            </Button>
          )}
          {invoice && (
            <Button icon={<ExportOutlined />} href={pdfUrl(invoice.id)} target="_blank" rel="noopener">
              Open PDF
            </Button>
          )}
          {invoice?.status === 'issued' && mayVoid?.can && (
            <Tooltip title={invoice.credited_paise > 0 ? 'A credit note reduces this invoice: it cannot be voided.' : canVoid?.can ? undefined : canVoid?.reason}>
              <Button danger icon={<StopOutlined />} disabled={!canVoid?.can || invoice.credited_paise > 0} onClick={() => setVoiding(true)} data-testid="void-button">
                Void
              </Button>
            </Tooltip>
          )}
          {canBeReissued && canReissue?.can && (released?.total ?? 0) > 0 && (
            <Popconfirm
              title={`Reissue ${invoice?.number}?`}
              description={`A new invoice, with the next number, for the ${released?.total} billing record${released?.total === 1 ? '' : 's'} it released.`}
              okText="Reissue"
              onConfirm={reissue}
            >
              <Button icon={<RedoOutlined />} loading={mutation.isPending}>
                Reissue
              </Button>
            </Popconfirm>
          )}
          {defaultButtons}
        </>
      )}
    >
      <QueryError error={query.error} onRetry={() => query.refetch()} />
      {invoice?.status === 'void' && (
        <Alert
          type="error"
          showIcon
          style={{ marginBottom: 16 }}
          message={`Void since ${invoice.voided_at ? new Date(invoice.voided_at).toLocaleDateString('en-IN', { timeZone: 'Asia/Kolkata', day: 'numeric', month: 'short', year: 'numeric' }) : '—'}: ${invoice.void_reason ?? ''}`}
          description={
            replacedBy ? (
              <span>
                Replaced by <Link to={`/invoices/show/${replacedBy.id}`}>{replacedBy.number}</Link>.
              </span>
            ) : canBeReissued && !releasedQuery.isLoading && (released?.total ?? 0) === 0 ? (
              'Its billing records are already on another invoice (a later run took them): nothing is left to reissue.'
            ) : (
              'Its billing records were released: reissue it to bill them on a new invoice with the next number.'
            )
          }
        />
      )}
      {invoice && (
        <Descriptions bordered size="small" column={{ xs: 1, md: 2, xl: 3 }} style={{ marginBottom: 24 }}>
          <Descriptions.Item label="Number">
            <Typography.Text strong copyable style={{ fontFamily: 'monospace' }}>
              {invoice.number}
            </Typography.Text>
          </Descriptions.Item>
          <Descriptions.Item label="Kind">
            <InvoiceKindTag kind={invoice.kind} />
          </Descriptions.Item>
          <Descriptions.Item label="Status">
            <InvoiceStatusTag status={invoice.status} />
          </Descriptions.Item>
          <Descriptions.Item label="Customer">
            <Link to={`/customers/show/${invoice.customer_id}`}>{invoice.customer_name}</Link>
          </Descriptions.Item>
          <Descriptions.Item label="Period">{periodLabel(invoice.period_start, invoice.period_end)}</Descriptions.Item>
          <Descriptions.Item label="Place of supply">{invoice.place_of_supply}</Descriptions.Item>
          <Descriptions.Item label="Invoice date">
            <Day value={invoice.invoice_date} />
          </Descriptions.Item>
          <Descriptions.Item label="Due date">
            <Day value={invoice.due_date} />
          </Descriptions.Item>
          <Descriptions.Item label="Issued">
            <DateTime value={invoice.issued_at} />
          </Descriptions.Item>
          <Descriptions.Item label="Series / FY">
            {invoice.series} · FY {invoice.financial_year} · no. {invoice.seq}
          </Descriptions.Item>
          <Descriptions.Item label="Invoice run">
            {invoice.run_id ? <Link to={`/invoice-runs/show/${invoice.run_id}`}>Open the run</Link> : <Typography.Text type="secondary">{invoice.replaces_invoice_id ? 'reissue' : '—'}</Typography.Text>}
          </Descriptions.Item>
          <Descriptions.Item label="Billing records">
            {invoice.status === 'issued' ? (
              <Link to={listUrl('/billing-records', [{ field: 'invoice_id', value: invoice.id }])}>The records on this invoice</Link>
            ) : (
              // A void invoice holds no records any more: show the customer's records of its period, wherever they are now.
              <Link
                to={listUrl('/billing-records', [
                  { field: 'customer_id', value: invoice.customer_id },
                  { field: 'service_date', operator: 'gte', value: invoice.period_start },
                  { field: 'service_date', operator: 'lte', value: invoice.period_end },
                ])}
              >
                The customer's records of this period
              </Link>
            )}
          </Descriptions.Item>
          {invoice.replaces_invoice_id && (
            <Descriptions.Item label="Replaces">
              <Link to={`/invoices/show/${invoice.replaces_invoice_id}`}>{replaces?.number ?? 'the void invoice'}</Link>
            </Descriptions.Item>
          )}
          {invoice.replaced_by_invoice_id && (
            <Descriptions.Item label="Replaced by">
              <Link to={`/invoices/show/${invoice.replaced_by_invoice_id}`}>{replacedBy?.number ?? 'the new invoice'}</Link>
            </Descriptions.Item>
          )}
        </Descriptions>
      )}
      {invoice && <InvoicePayments invoice={invoice} />}
      <QueryError error={linesQuery.error} onRetry={() => linesQuery.refetch()} />
      {invoice && (
        <Table<InvoiceLine>
          rowKey="id"
          size="small"
          bordered
          pagination={false}
          loading={linesQuery.isLoading}
          dataSource={lines?.data ?? []}
          scroll={{ x: 1000 }}
          locale={{ emptyText: <Empty description="No lines" /> }}
          summary={() => (
            <Table.Summary fixed>
              <Table.Summary.Row>
                <Table.Summary.Cell index={0} colSpan={4}>
                  <Typography.Text strong>Total</Typography.Text>
                  <Typography.Text type="secondary" style={{ marginLeft: 12 }}>
                    taxable <Money paise={invoice.taxable_paise} /> · exempt <Money paise={invoice.exempt_paise} />
                  </Typography.Text>
                </Table.Summary.Cell>
                <Table.Summary.Cell index={4} align="right">
                  <Money paise={invoice.taxable_paise + invoice.exempt_paise} strong />
                </Table.Summary.Cell>
                <Table.Summary.Cell index={5} align="right">
                  <Money paise={invoice.cgst_paise} strong />
                </Table.Summary.Cell>
                <Table.Summary.Cell index={6} align="right">
                  <Money paise={invoice.sgst_paise} strong />
                </Table.Summary.Cell>
                <Table.Summary.Cell index={7} align="right">
                  <span data-testid="invoice-total">
                    <Money paise={invoice.total_paise} strong />
                  </span>
                </Table.Summary.Cell>
              </Table.Summary.Row>
            </Table.Summary>
          )}
        >
          <Table.Column<InvoiceLine> dataIndex="description" title="Description" />
          <Table.Column<InvoiceLine> dataIndex="hsn_code" title="HSN" render={(v: string) => <span style={{ fontFamily: 'monospace' }}>{v}</span>} />
          <Table.Column<InvoiceLine> dataIndex="quantity" title="Qty" align="right" render={(v: number, l) => <span style={nowrap}>{v} {l.unit}{v === 1 ? '' : 's'}</span>} />
          <Table.Column<InvoiceLine> dataIndex="unit_price_paise" title="Rate" align="right" render={(v: number, l) => <span style={nowrap}><Money paise={v} /> / {l.unit}</span>} />
          <Table.Column<InvoiceLine> dataIndex="taxable_paise" title="Taxable value" align="right" render={(v: number) => <Money paise={v} />} />
          <Table.Column<InvoiceLine> dataIndex="cgst_paise" title="CGST" align="right" render={(v: number, l) => tax(l.gst_rate_bp, v)} />
          <Table.Column<InvoiceLine> dataIndex="sgst_paise" title="SGST" align="right" render={(v: number, l) => tax(l.gst_rate_bp, v)} />
          <Table.Column<InvoiceLine> dataIndex="total_paise" title="Amount" align="right" render={(v: number) => <Money paise={v} strong />} />
        </Table>
      )}
      {invoice?.status === 'issued' && <InvoiceCreditNotes invoiceId={invoice.id} creditedPaise={invoice.credited_paise} />}
      <VoidModal open={voiding} number={invoice?.number ?? ''} pending={mutation.isPending} onCancel={() => setVoiding(false)} onSubmit={voidIt} />
    </Show>
  );
}

/** Voiding cannot be undone: the modal says what happens and asks why (at least 3 characters, printed nowhere but the audit trail and this page). */
function VoidModal({ open, number, pending, onCancel, onSubmit }: { open: boolean; number: string; pending: boolean; onCancel: () => void; onSubmit: (reason: string) => void }) {
  return (
    <ReasonModal
      open={open}
      title={`Void invoice ${number}?`}
      okText="Void invoice"
      intro={
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 16 }}
          message="This cannot be undone."
          description="The invoice keeps its number and stays in the records as void (GST numbers are never reused). Its billing records are released, so they can be reissued on a new invoice."
        />
      }
      requiredMessage="Say why the invoice is void."
      placeholder="e.g. Billed to the wrong address; customer asked for a corrected invoice."
      confirmLoading={pending}
      onCancel={onCancel}
      onSubmit={onSubmit}
    />
  );
}
