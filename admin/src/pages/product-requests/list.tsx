import { CheckOutlined, CloseOutlined } from '@ant-design/icons';
import { CreateButton, getDefaultSortOrder, List, ShowButton, useTable } from '@refinedev/antd';
import { type HttpError, useCan, useLink } from '@refinedev/core';
import { Alert, Button, Empty, Input, Popconfirm, Space, Table, Tabs, Tooltip, Typography } from 'antd';
import { useState } from 'react';
import { useSearchParams } from 'react-router';
import { DateTime } from '../../components/DateTime';
import { Money } from '../../components/Money';
import { QueryError } from '../../components/QueryError';
import { formatGst } from '../../format';
import type { ProductRequest, RequestStatus } from '../../types';
import { RejectModal, useDecide } from './decide';
import { usePhoneTable } from '../../components/responsive';

const nowrap = { whiteSpace: 'nowrap' } as const;

const tabs: { key: RequestStatus; label: string }[] = [
  { key: 'pending', label: 'Pending' },
  { key: 'approved', label: 'Approved' },
  { key: 'rejected', label: 'Rejected' },
];

export function ProductRequestList() {
  const [params, setParams] = useSearchParams();
  const status = (tabs.find((t) => t.key === params.get('status'))?.key ?? 'pending') as RequestStatus;
  return (
    <List headerButtons={<CreateButton>New request</CreateButton>}>
      <Tabs
        activeKey={status}
        onChange={(key) => setParams({ status: key }, { replace: true })}
        items={tabs.map((t) => ({ key: t.key, label: t.label }))}
      />
      {/* One table per tab (keyed), so selection and paging never leak from one status to another. */}
      <RequestTable key={status} status={status} />
    </List>
  );
}

function RequestTable({ status }: { status: RequestStatus }) {
  const Link = useLink();
  const [search, setSearch] = useState('');
  const { tableProps, sorters, tableQuery, setFilters } = useTable<ProductRequest, HttpError>({
    syncWithLocation: false,
    pagination: { pageSize: 20 },
    filters: { permanent: [{ field: 'status', operator: 'eq', value: status }] },
    sorters: { initial: [{ field: status === 'pending' ? 'created_at' : 'decided_at', order: 'desc' }] },
  });
  const { data: canApprove } = useCan({ resource: 'product-requests', action: 'approve' });
  const { data: canReject } = useCan({ resource: 'product-requests', action: 'reject' });
  const mayApprove = status === 'pending' && Boolean(canApprove?.can);
  const mayReject = status === 'pending' && Boolean(canReject?.can);
  const { approve, reject, decideMany, pending } = useDecide();
  const [selected, setSelected] = useState<string[]>([]);
  // Who the reject modal is for: one request, or the selection.
  const [rejecting, setRejecting] = useState<ProductRequest | 'selected' | null>(null);

  const rows = tableProps.dataSource ?? [];
  const names = new Map(rows.map((r) => [r.id, r.name]));

  const bulk = async (action: 'approve' | 'reject', reason?: string) => {
    const result = await decideMany(selected, action, names, reason);
    if (result) setSelected((ids) => ids.filter((id) => !result.succeeded.includes(id)));
  };

  const phoneTable = usePhoneTable();
  return (
    <>
      <Space wrap style={{ marginBottom: 16, width: '100%', justifyContent: 'space-between' }}>
        <Input.Search
          placeholder="Search name, category or note"
          allowClear
          value={search}
          onChange={(e) => setSearch(e.target.value)}
          onSearch={(q) => setFilters([{ field: 'q', operator: 'eq', value: q.trim() || undefined }], 'replace')}
          style={{ width: 300 }}
        />
        {(mayApprove || mayReject) && (
          <Space wrap>
            <Typography.Text type="secondary">{selected.length ? `${selected.length} selected` : 'Select requests to decide several at once'}</Typography.Text>
            {mayApprove && (
              <Popconfirm title={`Approve ${selected.length} request${selected.length === 1 ? '' : 's'}?`} description="Each becomes a product in the catalogue." okText="Approve" onConfirm={() => bulk('approve')} disabled={!selected.length}>
                <Button type="primary" icon={<CheckOutlined />} disabled={!selected.length} loading={pending}>
                  Approve selected
                </Button>
              </Popconfirm>
            )}
            {mayReject && (
              <Button danger icon={<CloseOutlined />} disabled={!selected.length} onClick={() => setRejecting('selected')}>
                Reject selected
              </Button>
            )}
          </Space>
        )}
      </Space>
      {status === 'pending' && canApprove && !canApprove.can && (
        <Alert type="info" showIcon style={{ marginBottom: 16 }} message="A manager or admin approves or rejects these requests." />
      )}
      <QueryError error={tableQuery.error} onRetry={() => tableQuery.refetch()} />
      <Table<ProductRequest>
        {...tableProps} {...phoneTable.table}
        rowKey="id"
        rowSelection={mayApprove || mayReject ? { selectedRowKeys: selected, onChange: (keys) => setSelected(keys as string[]), preserveSelectedRowKeys: true } : undefined}
        locale={{ emptyText: <Empty description={`No ${status} requests`} /> }}
      >
        <Table.Column<ProductRequest>
          dataIndex="name"
          title="Product"
          sorter
          defaultSortOrder={getDefaultSortOrder('name', sorters)}
          render={(v: string, r) => (
            <Space direction="vertical" size={0}>
              <Link to={`/product-requests/show/${r.id}`}>{v}</Link>
              {r.note && (
                <Typography.Text type="secondary" style={{ fontSize: 12 }} ellipsis={{ tooltip: r.note }}>
                  {r.note}
                </Typography.Text>
              )}
            </Space>
          )}
        />
        <Table.Column<ProductRequest>
          dataIndex="category"
          title="Category"
          sorter
          defaultSortOrder={getDefaultSortOrder('category', sorters)}
          render={(v: string, r) => (
            <Space direction="vertical" size={0}>
              <span>{v}</span>
              <Typography.Text type="secondary" style={{ fontSize: 12, ...nowrap }}>
                {[r.unit_size, r.unit].filter(Boolean).join(' · ')}
              </Typography.Text>
            </Space>
          )}
        />
        <Table.Column<ProductRequest> dataIndex="price_paise" title="Price" align="right" sorter defaultSortOrder={getDefaultSortOrder('price_paise', sorters)} render={(v: number) => <Money paise={v} />} />
        <Table.Column<ProductRequest> dataIndex="gst_rate_bp" title="GST" align="right" render={(v: number, r) => <Tooltip title={`HSN ${r.hsn_code}`}>{formatGst(v)}</Tooltip>} />
        <Table.Column<ProductRequest>
          dataIndex="created_at"
          title="Requested"
          sorter
          defaultSortOrder={getDefaultSortOrder('created_at', sorters)}
          render={(v: string, r) => (
            <Space direction="vertical" size={0}>
              <span style={nowrap}>{r.requested_by_name ?? '—'}</span>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                <DateTime value={v} />
              </Typography.Text>
            </Space>
          )}
        />
        {status !== 'pending' && (
          <Table.Column<ProductRequest>
            dataIndex="decided_at"
            title="Decided"
            sorter
            defaultSortOrder={getDefaultSortOrder('decided_at', sorters)}
            render={(v: string, r) => (
              <Space direction="vertical" size={0}>
                <span style={nowrap}>{r.decided_by_name ?? '—'}</span>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  <DateTime value={v} />
                </Typography.Text>
              </Space>
            )}
          />
        )}
        {status === 'rejected' && <Table.Column<ProductRequest> dataIndex="reject_reason" title="Reason" />}
        <Table.Column<ProductRequest>
          title="Actions"
          width={1}
          key="actions" {...phoneTable.actions}
          render={(_, r) => (
            <Space style={nowrap}>
              {mayApprove && (
                <Popconfirm title={`Approve "${r.name}"?`} description="It becomes a product in the catalogue." okText="Approve" onConfirm={() => approve(r)}>
                  <Button size="small" type="primary" icon={<CheckOutlined />}>
                    Approve
                  </Button>
                </Popconfirm>
              )}
              {mayReject && (
                <Button size="small" danger icon={<CloseOutlined />} onClick={() => setRejecting(r)}>
                  Reject
                </Button>
              )}
              {status === 'approved' && r.product_id && (
                <Link to={`/products/edit/${r.product_id}`}>
                  <Button size="small">Product</Button>
                </Link>
              )}
              {!mayApprove && !mayReject && <ShowButton hideText size="small" recordItemId={r.id} />}
            </Space>
          )}
        />
      </Table>
      <RejectModal
        open={rejecting !== null}
        title={rejecting === 'selected' ? `Reject ${selected.length} request${selected.length === 1 ? '' : 's'}` : `Reject "${rejecting?.name ?? ''}"`}
        confirmLoading={pending}
        onCancel={() => setRejecting(null)}
        onSubmit={async (reason) => {
          if (rejecting === 'selected') await bulk('reject', reason);
          else if (rejecting) await reject(rejecting, reason);
          setRejecting(null);
        }}
      />
    </>
  );
}
