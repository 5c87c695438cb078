import { theme } from 'antd';
import type { ReactElement } from 'react';
import { Bar, BarChart, CartesianGrid, Cell as BarCell, ComposedChart, Legend, Line, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { formatPaise } from '../../format';

// One recharts chart per analytics endpoint. Money is plotted in rupees and shown in full INR on hover; litres and
// counts as numbers with their unit.

export type Cell = string | number | null;
export type ChartRow = Record<string, Cell>;

const compactInr = new Intl.NumberFormat('en-IN', { style: 'currency', currency: 'INR', notation: 'compact', maximumFractionDigits: 1 });
const count = new Intl.NumberFormat('en-IN');
const litres = new Intl.NumberFormat('en-IN', { maximumFractionDigits: 1 });
const inr = (rupees: unknown) => formatPaise(Math.round(Number(rupees) * 100));
const rupees = (paise: Cell) => Number(paise ?? 0) / 100;
const dayLabel = (d: Cell) => {
  const [y, m, day] = String(d).split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, day)).toLocaleDateString('en-IN', { day: 'numeric', month: 'short', timeZone: 'UTC' });
};
const short = (s: Cell, n = 18) => {
  const t = String(s ?? '');
  return t.length > n ? `${t.slice(0, n - 1)}…` : t;
};

const axis = { tick: { fontSize: 11 } };
const moneyAxis = { ...axis, tickFormatter: (v: number) => compactInr.format(v), width: 64 };
const countAxis = { ...axis, tickFormatter: (v: number) => count.format(v), width: 44, allowDecimals: false };

function Frame({ children, height = 260, testId }: { children: ReactElement; height?: number; testId: string }) {
  return (
    <div style={{ width: '100%', height }} data-testid={`chart-${testId}`}>
      <ResponsiveContainer>{children}</ResponsiveContainer>
    </div>
  );
}

function useColors() {
  const { token } = theme.useToken();
  return { primary: token.colorPrimary, ok: token.colorSuccess, warn: token.colorWarning, bad: token.colorError, info: token.colorInfo, grey: token.colorTextQuaternary, orange: '#fa8c16', purple: '#722ed1', cyan: '#13c2c2' };
}

export function RevenueByDay({ rows }: { rows: ChartRow[] }) {
  const c = useColors();
  const data = rows.map((r) => ({ ...r, label: dayLabel(r.date), value: rupees(r.total_paise) }));
  return (
    <Frame testId="revenue-by-day">
      <BarChart data={data} margin={{ top: 8, right: 8, left: 0, bottom: 0 }}>
        <CartesianGrid strokeDasharray="3 3" vertical={false} />
        <XAxis dataKey="label" {...axis} minTickGap={12} />
        <YAxis {...moneyAxis} />
        <Tooltip formatter={(v) => [inr(v), 'Billed value']} labelFormatter={(l, p) => `${l} · ${count.format(Number(p?.[0]?.payload?.orders ?? 0))} orders delivered`} />
        <Bar dataKey="value" name="Billed value" fill={c.primary} radius={[3, 3, 0, 0]} />
      </BarChart>
    </Frame>
  );
}

export function ProductShift({ rows }: { rows: ChartRow[] }) {
  const c = useColors();
  const byProduct = new Map<string, { product: string; morning: number; evening: number; morning_l: number | null; evening_l: number | null; total: number }>();
  for (const r of rows) {
    const key = String(r.product_id);
    const p = byProduct.get(key) ?? { product: String(r.product), morning: 0, evening: 0, morning_l: null, evening_l: null, total: 0 };
    const s = r.shift === 'evening' ? 'evening' : 'morning';
    p[s] += Number(r.units ?? 0);
    if (r.litres !== null) p[`${s}_l`] = (p[`${s}_l`] ?? 0) + Number(r.litres);
    p.total += Number(r.units ?? 0);
    byProduct.set(key, p);
  }
  const data = [...byProduct.values()].sort((a, b) => b.total - a.total).slice(0, 12);
  const show = (v: unknown, name: unknown, item: { payload?: Record<string, unknown> }) => {
    const l = item.payload?.[name === 'Evening' ? 'evening_l' : 'morning_l'];
    return [`${count.format(Number(v))} units${l === null || l === undefined ? '' : ` · ${litres.format(Number(l))} L`}`, String(name)];
  };
  return (
    <Frame testId="product-shift" height={Math.max(260, data.length * 26 + 60)}>
      <BarChart data={data} layout="vertical" margin={{ top: 8, right: 8, left: 0, bottom: 0 }}>
        <CartesianGrid strokeDasharray="3 3" horizontal={false} />
        <XAxis type="number" {...countAxis} />
        <YAxis type="category" dataKey="product" {...axis} width={130} tickFormatter={(v) => short(v)} />
        <Tooltip formatter={show as never} />
        <Legend wrapperStyle={{ fontSize: 12 }} />
        <Bar dataKey="morning" name="Morning" stackId="s" fill={c.primary} />
        <Bar dataKey="evening" name="Evening" stackId="s" fill={c.purple} />
      </BarChart>
    </Frame>
  );
}

export function DeliveryOutcomes({ rows }: { rows: ChartRow[] }) {
  const c = useColors();
  const data = rows.map((r) => ({ ...r, label: dayLabel(r.date) }));
  return (
    <Frame testId="delivery-outcomes">
      <BarChart data={data} margin={{ top: 8, right: 8, left: 0, bottom: 0 }}>
        <CartesianGrid strokeDasharray="3 3" vertical={false} />
        <XAxis dataKey="label" {...axis} minTickGap={12} />
        <YAxis {...countAxis} />
        <Tooltip formatter={(v, name) => [`${count.format(Number(v))} deliveries`, name]} labelFormatter={(l, p) => `${l} · on time ${p?.[0]?.payload?.on_time_rate ?? '–'}%`} />
        <Legend wrapperStyle={{ fontSize: 12 }} />
        <Bar dataKey="on_time" name="On time" stackId="d" fill={c.ok} />
        <Bar dataKey="late" name="Late" stackId="d" fill={c.warn} />
        <Bar dataKey="partial" name="Partial" stackId="d" fill={c.orange} />
        <Bar dataKey="failed" name="Failed" stackId="d" fill={c.bad} />
      </BarChart>
    </Frame>
  );
}

export function FailureReasons({ rows }: { rows: ChartRow[] }) {
  const c = useColors();
  const data = rows.slice(0, 10);
  return (
    <Frame testId="failure-reasons" height={Math.max(200, data.length * 28 + 40)}>
      <BarChart data={data} layout="vertical" margin={{ top: 8, right: 8, left: 0, bottom: 0 }}>
        <CartesianGrid strokeDasharray="3 3" horizontal={false} />
        <XAxis type="number" {...countAxis} />
        <YAxis type="category" dataKey="reason" {...axis} width={150} tickFormatter={(v) => short(v, 22)} />
        <Tooltip formatter={(v) => [`${count.format(Number(v))} failed deliveries`, 'Failed']} />
        <Bar dataKey="failed" name="Failed" fill={c.bad} radius={[0, 3, 3, 0]} />
      </BarChart>
    </Frame>
  );
}

export function Subscriptions({ rows }: { rows: ChartRow[] }) {
  const c = useColors();
  const data = rows.map((r) => ({ ...r, label: dayLabel(r.date) }));
  return (
    <Frame testId="subscriptions">
      <ComposedChart data={data} margin={{ top: 8, right: 8, left: 0, bottom: 0 }}>
        <CartesianGrid strokeDasharray="3 3" vertical={false} />
        <XAxis dataKey="label" {...axis} minTickGap={12} />
        <YAxis yAxisId="active" {...countAxis} width={52} domain={['auto', 'auto']} />
        <YAxis yAxisId="moves" orientation="right" {...countAxis} />
        <Tooltip formatter={(v, name) => [`${count.format(Number(v))} subscriptions`, name]} />
        <Legend wrapperStyle={{ fontSize: 12 }} />
        <Bar yAxisId="moves" dataKey="started" name="New" fill={c.ok} />
        <Bar yAxisId="moves" dataKey="cancelled" name="Cancelled" fill={c.bad} />
        <Line yAxisId="active" dataKey="active" name="Active" stroke={c.primary} dot={false} strokeWidth={2} isAnimationActive={false} />
      </ComposedChart>
    </Frame>
  );
}

export function NewCustomers({ rows }: { rows: ChartRow[] }) {
  const c = useColors();
  const data = rows.map((r) => ({ ...r, label: dayLabel(r.date) }));
  return (
    <Frame testId="new-customers">
      <BarChart data={data} margin={{ top: 8, right: 8, left: 0, bottom: 0 }}>
        <CartesianGrid strokeDasharray="3 3" vertical={false} />
        <XAxis dataKey="label" {...axis} minTickGap={12} />
        <YAxis {...countAxis} />
        <Tooltip formatter={(v) => [`${count.format(Number(v))} customers`, 'New customers']} />
        <Bar dataKey="customers" name="New customers" fill={c.cyan} radius={[3, 3, 0, 0]} />
      </BarChart>
    </Frame>
  );
}

export function TopProducts({ rows }: { rows: ChartRow[] }) {
  const c = useColors();
  const data = rows.map((r) => ({ ...r, value: rupees(r.total_paise) }));
  return (
    <Frame testId="top-products" height={Math.max(220, data.length * 28 + 40)}>
      <BarChart data={data} layout="vertical" margin={{ top: 8, right: 8, left: 0, bottom: 0 }}>
        <CartesianGrid strokeDasharray="3 3" horizontal={false} />
        <XAxis type="number" {...moneyAxis} />
        <YAxis type="category" dataKey="product" {...axis} width={130} tickFormatter={(v) => short(v)} />
        <Tooltip formatter={(v, _n, item) => [`${inr(v)} · ${count.format(Number(item.payload?.units ?? 0))} units`, 'Billed value']} />
        <Bar dataKey="value" name="Billed value" fill={c.primary} radius={[0, 3, 3, 0]} />
      </BarChart>
    </Frame>
  );
}

export function ZoneComparison({ rows }: { rows: ChartRow[] }) {
  const c = useColors();
  const data = rows.map((r) => ({ ...r, value: rupees(r.total_paise) }));
  return (
    <Frame testId="zone-comparison">
      <ComposedChart data={data} margin={{ top: 8, right: 8, left: 0, bottom: 0 }}>
        <CartesianGrid strokeDasharray="3 3" vertical={false} />
        <XAxis dataKey="zone" {...axis} interval={0} tickFormatter={(v) => short(v, 10)} />
        <YAxis yAxisId="money" {...moneyAxis} />
        <YAxis yAxisId="failed" orientation="right" {...countAxis} />
        <Tooltip
          formatter={(v, name, item) =>
            name === 'Billed value' ? [`${inr(v)} · ${count.format(Number(item.payload?.deliveries ?? 0))} deliveries`, name] : [`${count.format(Number(v))} failed`, name]
          }
        />
        <Legend wrapperStyle={{ fontSize: 12 }} />
        <Bar yAxisId="money" dataKey="value" name="Billed value" fill={c.primary} radius={[3, 3, 0, 0]} />
        <Line yAxisId="failed" dataKey="failed" name="Failed deliveries" stroke={c.bad} strokeWidth={2} isAnimationActive={false} />
      </ComposedChart>
    </Frame>
  );
}

export function StaffPerformance({ rows }: { rows: ChartRow[] }) {
  const c = useColors();
  const data = rows.slice(0, 15).map((r) => ({ ...r, late_or_partial: Number(r.drops ?? 0) - Number(r.on_time ?? 0) }));
  return (
    <Frame testId="staff-performance" height={Math.max(240, data.length * 26 + 60)}>
      <BarChart data={data} layout="vertical" margin={{ top: 8, right: 8, left: 0, bottom: 0 }}>
        <CartesianGrid strokeDasharray="3 3" horizontal={false} />
        <XAxis type="number" {...countAxis} />
        <YAxis type="category" dataKey="staff" {...axis} width={120} tickFormatter={(v) => short(v, 16)} />
        <Tooltip
          formatter={(v, name) => [`${count.format(Number(v))}`, name]}
          labelFormatter={(l, p) => `${l} · on time ${p?.[0]?.payload?.on_time_rate ?? '–'}%`}
        />
        <Legend wrapperStyle={{ fontSize: 12 }} />
        <Bar dataKey="on_time" name="On time" stackId="s" fill={c.ok} />
        <Bar dataKey="late_or_partial" name="Late or partial" stackId="s" fill={c.warn} />
        <Bar dataKey="failed" name="Failed" stackId="s" fill={c.bad} />
      </BarChart>
    </Frame>
  );
}

export function ReceivablesAgeing({ rows }: { rows: ChartRow[] }) {
  const c = useColors();
  const colors = [c.ok, c.info, c.warn, c.orange, c.bad];
  const data = rows.map((r) => ({ ...r, value: rupees(r.amount_paise) }));
  return (
    <Frame testId="receivables-ageing">
      <BarChart data={data} margin={{ top: 8, right: 8, left: 0, bottom: 0 }}>
        <CartesianGrid strokeDasharray="3 3" vertical={false} />
        <XAxis dataKey="bucket" {...axis} interval={0} />
        <YAxis {...moneyAxis} />
        <Tooltip formatter={(v) => [inr(v), 'Balance due']} />
        <Bar dataKey="value" name="Balance due" radius={[3, 3, 0, 0]}>
          {data.map((_, i) => (
            <BarCell key={i} fill={colors[i % colors.length]} />
          ))}
        </Bar>
      </BarChart>
    </Frame>
  );
}

export function Collections({ rows }: { rows: ChartRow[] }) {
  const c = useColors();
  const data = rows.map((r) => ({
    label: dayLabel(r.date),
    cash: rupees(r.cash_paise),
    upi: rupees(r.upi_paise),
    bank: rupees(r.bank_transfer_paise),
    cheque: rupees(r.cheque_paise),
    gateway: rupees(r.gateway_paise),
  }));
  return (
    <Frame testId="collections">
      <BarChart data={data} margin={{ top: 8, right: 8, left: 0, bottom: 0 }}>
        <CartesianGrid strokeDasharray="3 3" vertical={false} />
        <XAxis dataKey="label" {...axis} minTickGap={12} />
        <YAxis {...moneyAxis} />
        <Tooltip formatter={(v, name) => [inr(v), name]} />
        <Legend wrapperStyle={{ fontSize: 12 }} />
        <Bar dataKey="cash" name="Cash" stackId="m" fill={c.ok} />
        <Bar dataKey="upi" name="UPI" stackId="m" fill={c.primary} />
        <Bar dataKey="bank" name="Bank transfer" stackId="m" fill={c.purple} />
        <Bar dataKey="cheque" name="Cheque" stackId="m" fill={c.orange} />
        <Bar dataKey="gateway" name="Gateway" stackId="m" fill={c.cyan} />
      </BarChart>
    </Frame>
  );
}
