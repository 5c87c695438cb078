import { Typography } from 'antd';
import { formatPaise } from '../format';

/** An amount held in paise, shown as Indian rupees ("₹1,234.50"). */
export function Money({ paise, strong }: { paise: number | null | undefined; strong?: boolean }) {
  return <Typography.Text strong={strong} style={{ fontVariantNumeric: 'tabular-nums', whiteSpace: 'nowrap' }}>{formatPaise(paise)}</Typography.Text>;
}
