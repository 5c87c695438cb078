import type { HttpError } from '@refinedev/core';
import { Alert, Button } from 'antd';

/** The server's own message for a failed load, with a retry; nothing when there is no error. */
export function QueryError({ error, onRetry }: { error: HttpError | null | undefined; onRetry?: () => void }) {
  if (!error) return null;
  return (
    <Alert
      type="error"
      showIcon
      style={{ marginBottom: 16 }}
      message={error.statusCode ? `Could not load (${error.statusCode})` : 'Could not load'}
      description={error.message || 'The server did not answer. Check your connection and try again.'}
      action={onRetry ? <Button size="small" onClick={onRetry}>Retry</Button> : undefined}
    />
  );
}
