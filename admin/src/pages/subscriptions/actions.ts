import { type HttpError, useCustomMutation, useInvalidate } from '@refinedev/core';

/** Everything a change to a subscription can touch: itself, its pauses and one-day changes, and re-planned orders. */
export function useRefreshSubscription() {
  const invalidate = useInvalidate();
  return () =>
    Promise.all([
      invalidate({ resource: 'subscriptions', invalidates: ['resourceAll'] }),
      invalidate({ resource: 'subscription-pauses', invalidates: ['resourceAll'] }),
      invalidate({ resource: 'subscription-overrides', invalidates: ['resourceAll'] }),
      invalidate({ resource: 'orders', invalidates: ['resourceAll'] }),
    ]);
}

// Refine's antd notifications show `description` as the title and `message` as the text under it.
export const failed = (what: string) => (error?: HttpError) => ({ type: 'error' as const, description: what, message: error?.message ?? 'The server did not answer.' });

/** POST /api/subscriptions/:id/<action> with a body, then refresh what it changed (also after a 409: show the current state). */
export function useSubscriptionAction<T extends Record<string, unknown> = Record<string, unknown>>() {
  const { mutateAsync, mutation } = useCustomMutation<T>();
  const refresh = useRefreshSubscription();
  const run = async (id: string, action: 'pause' | 'resume' | 'cancel', values: object, success: { title: string; text?: string }, failure: string) => {
    try {
      const { data } = await mutateAsync({
        url: `/subscriptions/${id}/${action}`,
        method: 'post',
        values,
        successNotification: { type: 'success', description: success.title, message: success.text ?? '' },
        errorNotification: failed(failure),
      });
      return data;
    } catch {
      return null;
    } finally {
      await refresh();
    }
  };
  return { run, pending: mutation.isPending };
}
