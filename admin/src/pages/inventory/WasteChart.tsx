import { useList } from '@refinedev/core';
import { Empty, Skeleton, Typography } from 'antd';
import dayjs from 'dayjs';
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { StockMovement } from './shared';

// Expired write-offs are left out: hundreds of units a day of unsold stock would flatten the few crates lost to spoilage.
const KINDS = ['wastage', 'spoilage'] as const;

/** Units lost per week over the last 90 days to wastage and spoilage, stacked; from the ledger (at most 1,000 lines). */
export default function WasteChart({ depotId }: { depotId?: string }) {
  const since = dayjs().subtract(90, 'day').startOf('day').toISOString();
  const { result, query } = useList<StockMovement>({
    resource: 'stock-movements',
    filters: [
      { field: 'kind', operator: 'eq', value: [...KINDS] },
      { field: 'created_at', operator: 'gte', value: since },
      { field: 'depot_id', operator: 'eq', value: depotId || undefined },
    ],
    sorters: [{ field: 'created_at', order: 'desc' }],
    pagination: { pageSize: 1000 },
  });
  if (query.isLoading) return <Skeleton active />;
  const weeks = new Map<string, Record<string, number | string>>();
  for (const m of result?.data ?? []) {
    const week = dayjs(m.created_at).startOf('week').format('YYYY-MM-DD');
    const row = weeks.get(week) ?? { week, label: dayjs(week).format('D MMM'), wastage: 0, spoilage: 0 };
    row[m.kind] = Number(row[m.kind] ?? 0) + Math.abs(m.quantity);
    weeks.set(week, row);
  }
  const data = [...weeks.values()].sort((a, b) => String(a.week).localeCompare(String(b.week)));
  if (!data.length) return <Empty description="No wastage or spoilage recorded in the last 90 days" />;
  return (
    <div style={{ width: '100%', height: 280 }} data-testid="waste-chart">
      {(result?.total ?? 0) > 1000 && <Typography.Text type="secondary">The latest 1,000 lines; filter by depot for the rest.</Typography.Text>}
      <ResponsiveContainer>
        <BarChart data={data} margin={{ top: 8, right: 8, left: 0, bottom: 0 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey="label" tick={{ fontSize: 12 }} minTickGap={12} />
          <YAxis tick={{ fontSize: 12 }} width={40} allowDecimals={false} />
          <Tooltip labelFormatter={(l) => `Week of ${l}`} />
          <Legend />
          <Bar dataKey="wastage" name="Wastage" stackId="w" fill="#fa8c16" />
          <Bar dataKey="spoilage" name="Spoilage" stackId="w" fill="#f5222d" />
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
