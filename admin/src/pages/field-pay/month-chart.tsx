import { theme } from 'antd';
import dayjs from 'dayjs';
import { Bar, CartesianGrid, ComposedChart, Legend, Line, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { formatPaise } from '../../format';
import type { EarningsSummary } from './shared';

/** Each day of the month: earnings (bars, ₹) and drops (line). */
export default function MonthChart({ days }: { days: EarningsSummary['days'] }) {
  const { token } = theme.useToken();
  const rows = days.map((d) => ({ ...d, label: dayjs(d.day).format('D'), rupees: d.amount_paise / 100 }));
  return (
    <div style={{ width: '100%', height: 280 }} data-testid="month-chart">
      <ResponsiveContainer>
        <ComposedChart data={rows} margin={{ top: 8, right: 8, left: 0, bottom: 0 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey="label" tick={{ fontSize: 12 }} minTickGap={8} />
          <YAxis yAxisId="r" tick={{ fontSize: 12 }} width={48} tickFormatter={(v: number) => `₹${v}`} />
          <YAxis yAxisId="d" orientation="right" tick={{ fontSize: 12 }} width={32} allowDecimals={false} />
          <Tooltip formatter={(v, name) => (name === 'Earned' ? formatPaise(Math.round(Number(v) * 100)) : v)} labelFormatter={(_, p) => (p?.[0] ? dayjs((p[0].payload as { day: string }).day).format('ddd D MMM') : '')} />
          <Legend />
          <Bar yAxisId="r" dataKey="rupees" name="Earned" fill={token.colorPrimary} radius={[3, 3, 0, 0]} />
          <Line yAxisId="d" dataKey="drops" name="Drops" stroke={token.colorWarning} dot={false} isAnimationActive={false} />
          <Line yAxisId="d" dataKey="failures" name="Failures" stroke={token.colorError} dot={false} isAnimationActive={false} />
        </ComposedChart>
      </ResponsiveContainer>
    </div>
  );
}
