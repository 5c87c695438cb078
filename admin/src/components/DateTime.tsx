import { Tooltip, Typography } from 'antd';
import { formatDate, formatDateTime, fromNow } from '../format';

/** A moment in Bengaluru time, with "3 days ago" on hover. */
export function DateTime({ value, dateOnly }: { value: string | Date | null | undefined; dateOnly?: boolean }) {
  if (!value) return <Typography.Text type="secondary">—</Typography.Text>;
  return (
    <Tooltip title={`${fromNow(value)} (IST)`}>
      <span style={{ whiteSpace: 'nowrap' }}>{dateOnly ? formatDate(value) : formatDateTime(value)}</span>
    </Tooltip>
  );
}
