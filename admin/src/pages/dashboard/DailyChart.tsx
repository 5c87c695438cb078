import { theme } from 'antd';
import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { formatPaise } from '../../format';
import { formatDay } from '../invoices/shared';

export interface DailyPoint {
  date: string;
  label: string;
  delivered_paise: number;
  deliveries: number;
}

const compactInr = new Intl.NumberFormat('en-IN', { style: 'currency', currency: 'INR', notation: 'compact', maximumFractionDigits: 1 });

/**
 * Delivered value per day (recharts). The dashboard imports this module lazily, so recharts is fetched after the
 * figures are on screen and stays out of the first page's script budget.
 */
export default function DailyChart({ data }: { data: DailyPoint[] }) {
  const { token } = theme.useToken();
  const rows = data.map((x) => ({ ...x, rupees: x.delivered_paise / 100 }));
  return (
    <div style={{ width: '100%', height: 320 }} data-testid="daily-chart">
      <ResponsiveContainer>
        <BarChart data={rows} margin={{ top: 8, right: 16, left: 8, bottom: 0 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey="label" tick={{ fontSize: 12 }} interval="preserveStartEnd" minTickGap={16} />
          <YAxis tickFormatter={(v: number) => compactInr.format(v)} tick={{ fontSize: 12 }} width={72} />
          <Tooltip
            formatter={(v) => [formatPaise(Math.round(Number(v) * 100)), 'Delivered value']}
            labelFormatter={(_, payload) => {
              const p = payload?.[0]?.payload as DailyPoint | undefined;
              return p ? `${formatDay(p.date)} · ${p.deliveries} deliveries` : '';
            }}
          />
          <Bar dataKey="rupees" fill={token.colorPrimary} radius={[3, 3, 0, 0]} />
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
