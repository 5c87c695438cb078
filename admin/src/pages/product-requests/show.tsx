import { CheckOutlined, CloseOutlined } from '@ant-design/icons';
import { Show } from '@refinedev/antd';
import { useCan, useLink, useShow } from '@refinedev/core';
import { Button, Descriptions, Popconfirm, Space, Typography } from 'antd';
import { useState } from 'react';
import { DateTime } from '../../components/DateTime';
import { Money } from '../../components/Money';
import { QueryError } from '../../components/QueryError';
import { RequestStatusTag } from '../../components/tags';
import { formatGst } from '../../format';
import type { ProductRequest } from '../../types';
import { RejectModal, useDecide } from './decide';

export function ProductRequestShow() {
  const Link = useLink();
  const { query, result: r } = useShow<ProductRequest>();
  const { data: canApprove } = useCan({ resource: 'product-requests', action: 'approve' });
  const { data: canReject } = useCan({ resource: 'product-requests', action: 'reject' });
  const { approve, reject, pending } = useDecide();
  const [rejecting, setRejecting] = useState(false);
  const isPending = r?.status === 'pending';

  return (
    <Show
      isLoading={query.isLoading}
      title={r ? `Request: ${r.name}` : 'Product request'}
      headerButtons={({ defaultButtons }) => (
        <>
          {isPending && canApprove?.can && r && (
            <Popconfirm title={`Approve "${r.name}"?`} description="It becomes a product in the catalogue." okText="Approve" onConfirm={() => approve(r)}>
              <Button type="primary" icon={<CheckOutlined />} loading={pending}>
                Approve
              </Button>
            </Popconfirm>
          )}
          {isPending && canReject?.can && (
            <Button danger icon={<CloseOutlined />} onClick={() => setRejecting(true)}>
              Reject
            </Button>
          )}
          {defaultButtons}
        </>
      )}
    >
      <QueryError error={query.error} onRetry={() => query.refetch()} />
      {r && (
        <Descriptions bordered size="small" column={{ xs: 1, md: 2 }}>
          <Descriptions.Item label="Product">{r.name}</Descriptions.Item>
          <Descriptions.Item label="Status">
            <RequestStatusTag status={r.status} />
          </Descriptions.Item>
          <Descriptions.Item label="Category">{r.category}</Descriptions.Item>
          <Descriptions.Item label="Unit">{[r.unit_size, r.unit].filter(Boolean).join(' · ')}</Descriptions.Item>
          <Descriptions.Item label="Price">
            <Money paise={r.price_paise} strong />
          </Descriptions.Item>
          <Descriptions.Item label="GST / HSN">
            {formatGst(r.gst_rate_bp)} · HSN {r.hsn_code}
          </Descriptions.Item>
          <Descriptions.Item label="Requested by">{r.requested_by_name ?? '—'}</Descriptions.Item>
          <Descriptions.Item label="Requested">
            <DateTime value={r.created_at} />
          </Descriptions.Item>
          <Descriptions.Item label="Note" span={2}>
            {r.note || <Typography.Text type="secondary">—</Typography.Text>}
          </Descriptions.Item>
          {!isPending && (
            <>
              <Descriptions.Item label="Decided by">{r.decided_by_name ?? '—'}</Descriptions.Item>
              <Descriptions.Item label="Decided">
                <DateTime value={r.decided_at} />
              </Descriptions.Item>
            </>
          )}
          {r.status === 'rejected' && (
            <Descriptions.Item label="Reason" span={2}>
              {r.reject_reason}
            </Descriptions.Item>
          )}
          {r.status === 'approved' && r.product_id && (
            <Descriptions.Item label="Product record" span={2}>
              <Space>
                <Link to={`/products/edit/${r.product_id}`}>Open the product</Link>
              </Space>
            </Descriptions.Item>
          )}
        </Descriptions>
      )}
      <RejectModal
        open={rejecting}
        title={`Reject "${r?.name ?? ''}"`}
        confirmLoading={pending}
        onCancel={() => setRejecting(false)}
        onSubmit={async (reason) => {
          if (r) await reject(r, reason);
          setRejecting(false);
        }}
      />
    </Show>
  );
}
