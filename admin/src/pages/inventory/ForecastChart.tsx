import { Empty } from 'antd';
import dayjs from 'dayjs';
import { Bar, CartesianGrid, ComposedChart, Legend, Line, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { ForecastShown } from './forecast';
import type { StockLevel } from './shared';

/**
 * Demand per day (subscriptions and expected one-time, stacked) against what is there: today's stock plus incoming,
 * less the demand of the days before (the line falls below the bars on the day stock runs out).
 */
export default function ForecastChart({ rows, stock }: { rows: ForecastShown[]; stock: StockLevel[] }) {
  const days = new Map<string, { date: string; label: string; subscriptions: number; one_time: number }>();
  for (const r of rows) {
    const d = days.get(r.date) ?? { date: r.date, label: dayjs(r.date).format('ddd D'), subscriptions: 0, one_time: 0 };
    d.subscriptions += r.subscription_quantity;
    d.one_time += r.expected_one_time_quantity;
    days.set(r.date, d);
  }
  if (!days.size) return <Empty description="No demand in these days" />;
  let available = stock.reduce((s, x) => s + x.quantity + x.incoming, 0);
  const data = [...days.values()].sort((a, b) => a.date.localeCompare(b.date)).map((d) => {
    const row = { ...d, available: Math.max(available, 0) };
    available -= d.subscriptions + d.one_time;
    return row;
  });
  return (
    <div style={{ width: '100%', height: 300 }} data-testid="forecast-chart">
      <ResponsiveContainer>
        <ComposedChart data={data} margin={{ top: 8, right: 8, left: 0, bottom: 0 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey="label" tick={{ fontSize: 12 }} />
          <YAxis tick={{ fontSize: 12 }} width={48} allowDecimals={false} />
          <Tooltip />
          <Legend />
          <Bar dataKey="subscriptions" name="Subscriptions" stackId="d" fill="#1677ff" />
          <Bar dataKey="one_time" name="Expected one-time" stackId="d" fill="#91caff" />
          <Line dataKey="available" name="Stock + incoming left" stroke="#52c41a" strokeWidth={2} type="linear" />
        </ComposedChart>
      </ResponsiveContainer>
    </div>
  );
}
