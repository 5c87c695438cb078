import { getDefaultSortOrder, List, useTable } from '@refinedev/antd';
import { type HttpError, useCan, useCustomMutation, useInvalidate, useLink } from '@refinedev/core';
import { Button, Empty, Form, Select, Space, Table, Typography } from 'antd';
import { useState } from 'react';
import { DateTime } from '../../components/DateTime';
import { FilterBar, FilterSearch } from '../../components/FilterBar';
import { filterValue } from '../../components/filters';
import { withTotal } from '../../components/listTotal';
import { Money } from '../../components/Money';
import { QueryError } from '../../components/QueryError';
import { ReasonModal } from '../../components/ReasonModal';
import { exceptionKindOptions, exceptionStatusOptions, mono, type SettlementException, VerdictTag } from './shared';

interface Search {
  q?: string;
  kind?: SettlementException['kind'];
  status?: SettlementException['status'];
}

/**
 * The exceptions queue: settlement lines that match no captured payment of their amount, and payments captured three
 * days ago that no settlement names yet. Opens on the open ones; finance resolves each with what was done.
 */
export function SettlementExceptionList() {
  const Link = useLink();
  const { data: canResolve } = useCan({ resource: 'settlements', action: 'resolve' });
  const [resolving, setResolving] = useState<SettlementException | null>(null);
  const { mutateAsync, mutation } = useCustomMutation<SettlementException>();
  const invalidate = useInvalidate();
  const { tableProps, sorters, filters, searchFormProps, tableQuery } = useTable<SettlementException, HttpError, Search>({
    resource: 'settlements/exceptions',
    sorters: { initial: [{ field: 'created_at', order: 'desc' }] },
    filters: { initial: [{ field: 'status', operator: 'eq', value: 'open' }] },
    pagination: { pageSize: 25 },
    onSearch: ({ q, kind, status }) => [
      { field: 'q', operator: 'eq', value: q?.trim() || undefined },
      { field: 'kind', operator: 'eq', value: kind || undefined },
      { field: 'status', operator: 'eq', value: status || undefined },
    ],
  });
  const initial: Search = {
    q: filterValue(filters, 'q', 'eq'),
    kind: filterValue(filters, 'kind', 'eq') as Search['kind'],
    status: filterValue(filters, 'status', 'eq') as Search['status'],
  };
  const hasFilters = Boolean(initial.q || initial.kind || initial.status);
  const resolve = async (resolution: string) => {
    if (!resolving) return;
    try {
      await mutateAsync({
        url: `/settlements/exceptions/${resolving.id}/resolve`,
        method: 'post',
        values: { resolution },
        successNotification: { type: 'success', message: 'Resolved', description: 'The exception leaves the open queue.' },
        errorNotification: (error?: HttpError) => ({ type: 'error', message: error?.message ?? 'The server did not answer.', description: 'Could not resolve it' }),
      });
      setResolving(null);
    } catch {
      /* the notification says why */
    } finally {
      await invalidate({ resource: 'settlements/exceptions', invalidates: ['list'] });
    }
  };
  return (
    <List
      title="Settlement exceptions"
      headerButtons={
        <Link to="/settlements">
          <Button>Settlement files</Button>
        </Link>
      }
    >
      <FilterBar form={searchFormProps} initialValues={initial} cleared={{ q: undefined, kind: undefined, status: undefined }} active={hasFilters}>
        <FilterSearch name="q" placeholder="Words of the detail" width={220} />
        <Form.Item name="kind">
          <Select allowClear placeholder="Any kind" style={{ width: 200 }} options={exceptionKindOptions} data-testid="kind-filter" />
        </Form.Item>
        <Form.Item name="status">
          <Select allowClear placeholder="Open or resolved" style={{ width: 160 }} options={exceptionStatusOptions} />
        </Form.Item>
      </FilterBar>
      <QueryError error={tableQuery.error} onRetry={() => tableQuery.refetch()} />
      <Table<SettlementException>
        {...withTotal(tableProps, tableQuery.data)}
        scroll={{ x: 'max-content' }}
        rowKey="id"
        locale={{ emptyText: <Empty description={initial.status === 'open' ? 'Nothing open: every settlement adds up' : 'No exceptions match these filters'} /> }}
      >
        <Table.Column<SettlementException> dataIndex="created_at" title="Found" sorter defaultSortOrder={getDefaultSortOrder('created_at', sorters)} render={(v: string) => <DateTime value={v} />} />
        <Table.Column<SettlementException> dataIndex="kind" title="Kind" render={(v: string) => <VerdictTag verdict={v} />} />
        <Table.Column<SettlementException>
          dataIndex="payment_ref"
          title="Payment"
          render={(v: string | null, r) =>
            r.gateway_payment_id ? (
              <Link to={`/gateway-payments/show/${r.gateway_payment_id}`}>
                <span style={mono}>{v}</span>
              </Link>
            ) : (
              <span style={mono}>{v ?? '—'}</span>
            )
          }
        />
        <Table.Column<SettlementException> dataIndex="customer_name" title="Customer" render={(v: string | null) => v ?? '—'} />
        <Table.Column<SettlementException> dataIndex="expected_paise" title="Ours" align="right" render={(v: number | null) => (v === null ? '—' : <Money paise={v} />)} />
        <Table.Column<SettlementException> dataIndex="actual_paise" title="Settled" align="right" render={(v: number | null) => (v === null ? '—' : <Money paise={v} />)} />
        <Table.Column<SettlementException>
          dataIndex="upload_id"
          title="File"
          render={(v: string | null, r) => (v ? <Link to={`/settlements/show/${v}`}>{r.settlement_id ?? 'file'}</Link> : '—')}
        />
        <Table.Column<SettlementException> dataIndex="detail" title="Detail" width={300} />
        <Table.Column<SettlementException>
          dataIndex="status"
          title="Status"
          render={(v: string, r) =>
            v === 'open' ? (
              <Typography.Text type="warning">open</Typography.Text>
            ) : (
              <Typography.Text type="secondary">
                resolved{r.resolved_by_name ? ` by ${r.resolved_by_name}` : ''}: {r.resolution}
              </Typography.Text>
            )
          }
        />
        <Table.Column<SettlementException>
          title="Actions"
          key="actions"
          fixed="right"
          width={1}
          render={(_, r) =>
            r.status === 'open' && canResolve?.can ? (
              <Space>
                <Button size="small" onClick={() => setResolving(r)}>
                  Resolve
                </Button>
              </Space>
            ) : null
          }
        />
      </Table>
      <ReasonModal
        open={Boolean(resolving)}
        title={resolving ? `Resolve: ${resolving.payment_ref ?? 'exception'}` : 'Resolve'}
        okText="Resolve"
        label="What was done"
        placeholder="e.g. Razorpay confirmed the fee difference; refunded the customer; a test payment"
        intro={resolving ? <Typography.Paragraph type="secondary">{resolving.detail}</Typography.Paragraph> : undefined}
        requiredMessage="Say what was done about it."
        confirmLoading={mutation.isPending}
        onCancel={() => setResolving(null)}
        onSubmit={(text) => void resolve(text)}
      />
    </List>
  );
}
