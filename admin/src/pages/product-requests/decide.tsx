import { type HttpError, useCustomMutation, useInvalidate } from '@refinedev/core';
import { App, Typography } from 'antd';
import { ReasonModal } from '../../components/ReasonModal';
import type { BulkResult, ProductRequest } from '../../types';

/** Approve / reject one request or many, then refresh what they change and say what happened. */
export function useDecide() {
  const { mutateAsync, mutation } = useCustomMutation<ProductRequest>();
  const { mutateAsync: mutateBulk, mutation: bulkMutation } = useCustomMutation<BulkResult>();
  const invalidate = useInvalidate();
  const { notification } = App.useApp();

  const refresh = async () => {
    // Approving creates a product, so the catalogue lists go stale too.
      // 'detail' without an id matches nothing in Refine 5: refresh everything of the resource, the open show page included.
    await Promise.all([
      invalidate({ resource: 'product-requests', invalidates: ['resourceAll'] }),
      invalidate({ resource: 'products', invalidates: ['list'] }),
      invalidate({ resource: 'audit-logs', invalidates: ['list'] }),
    ]);
  };

  // Refine's antd notifications show `description` as the title and `message` as the text under it.
  const fail = (what: string) => (error?: HttpError) => ({ type: 'error' as const, description: what, message: error?.message ?? 'The server did not answer.' });

  const approve = async (r: Pick<ProductRequest, 'id' | 'name'>) => {
    try {
      await mutateAsync({
        url: `/product-requests/${r.id}/approve`,
        method: 'post',
        values: {},
        successNotification: { type: 'success', description: `Approved: ${r.name}`, message: 'It is now in the product catalogue.' },
        errorNotification: fail(`Could not approve ${r.name}`),
      });
      return true;
    } catch {
      return false;
    } finally {
      await refresh(); // also after a 409 (someone else decided first): show the current state
    }
  };

  const reject = async (r: Pick<ProductRequest, 'id' | 'name'>, reason: string) => {
    try {
      await mutateAsync({
        url: `/product-requests/${r.id}/reject`,
        method: 'post',
        values: { reason },
        successNotification: { type: 'success', description: `Rejected: ${r.name}`, message: `Reason: ${reason}` },
        errorNotification: fail(`Could not reject ${r.name}`),
      });
      return true;
    } catch {
      return false;
    } finally {
      await refresh();
    }
  };

  const decideMany = async (ids: string[], action: 'approve' | 'reject', names: Map<string, string>, reason?: string) => {
    try {
      const { data } = await mutateBulk({
        url: '/product-requests/decide',
        method: 'post',
        values: { ids, action, reason },
        successNotification: false,
        errorNotification: fail(`Could not ${action} the selected requests`),
      });
      const verb = action === 'approve' ? 'Approved' : 'Rejected';
      if (data.failed.length === 0) {
        notification.success({ message: `${verb} ${data.succeeded.length} request${data.succeeded.length === 1 ? '' : 's'}` });
      } else {
        // Each request is decided on its own: some may go through while others fail (already decided, duplicate name).
        notification[data.succeeded.length ? 'warning' : 'error']({
          message: `${verb} ${data.succeeded.length} of ${ids.length}; ${data.failed.length} failed`,
          description: (
            <ul style={{ paddingLeft: 18, margin: 0 }}>
              {data.failed.map((f) => (
                <li key={f.id}>
                  <b>{names.get(f.id) ?? f.id}</b>: {f.message}
                </li>
              ))}
            </ul>
          ),
          duration: 0,
        });
      }
      return data;
    } catch {
      return null;
    } finally {
      await refresh();
    }
  };

  return { approve, reject, decideMany, pending: mutation.isPending || bulkMutation.isPending };
}

/** Asks why, since a rejection needs a reason (at least 3 characters) the requester will read. */
export function RejectModal({
  open,
  title,
  confirmLoading,
  onCancel,
  onSubmit,
}: {
  open: boolean;
  title: string;
  confirmLoading?: boolean;
  onCancel: () => void;
  onSubmit: (reason: string) => void;
}) {
  return (
    <ReasonModal
      open={open}
      title={title}
      okText="Reject"
      intro={<Typography.Paragraph type="secondary">The requester sees this reason.</Typography.Paragraph>}
      placeholder="e.g. Supplier cannot deliver before 7 am."
      confirmLoading={confirmLoading}
      onCancel={onCancel}
      onSubmit={onSubmit}
    />
  );
}
