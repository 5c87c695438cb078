import { theme, Typography } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { formatPaise } from '../../format';
import { formatDay } from '../invoices/shared';

export interface DailyPoint {
  date: string;
  label: string;
  delivered_paise: number;
  deliveries: number;
}

const compactInr = new Intl.NumberFormat('en-IN', { style: 'currency', currency: 'INR', notation: 'compact', maximumFractionDigits: 1 });

/** 0 and three or four round steps above the highest bar (1, 2, 2.5 or 5 times a power of ten). */
function yTicks(maxRupees: number): number[] {
  const raw = Math.max(maxRupees, 1) / 4;
  const pow = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * pow).find((s) => s >= raw) ?? 10 * pow;
  const ticks = [];
  for (let v = 0; v < maxRupees + step; v += step) ticks.push(v);
  return ticks;
}

const H = 320;
const M = { top: 8, right: 16, bottom: 28, left: 80 };

/**
 * Delivered value per day as an SVG bar chart, with a tooltip on hover or tap. Hand-drawn rather than recharts:
 * thirty bars do not need a 115 KB (gzipped) charting library on the start page.
 */
export function DailyChart({ data }: { data: DailyPoint[] }) {
  const { token } = theme.useToken();
  const box = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(0);
  const [hover, setHover] = useState<number | null>(null);
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const ro = new ResizeObserver(([e]) => setWidth(Math.floor(e.contentRect.width)));
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  const ticks = yTicks(Math.max(...data.map((d) => d.delivered_paise / 100)));
  const top = ticks[ticks.length - 1];
  const plotW = Math.max(width - M.left - M.right, 0);
  const plotH = H - M.top - M.bottom;
  const slot = data.length ? plotW / data.length : 0;
  const y = (rupees: number) => M.top + plotH - (rupees / top) * plotH;
  // Day labels at least ~56 px apart, the first and the last always shown.
  const every = Math.max(1, Math.ceil(56 / Math.max(slot, 1)));
  const showLabel = (i: number) => i === 0 || i === data.length - 1 || (i % every === 0 && data.length - 1 - i >= every);
  const tip = hover === null ? null : data[hover];

  return (
    <div ref={box} style={{ position: 'relative', width: '100%', height: H }} data-testid="daily-chart" onMouseLeave={() => setHover(null)}>
      {width > 0 && (
        <svg width={width} height={H} role="img" aria-label="Delivered value per day, last 30 days" style={{ display: 'block', fontSize: 12 }}>
          {ticks.map((t) => (
            <g key={t}>
              <line x1={M.left} x2={M.left + plotW} y1={y(t)} y2={y(t)} stroke={token.colorBorderSecondary} strokeDasharray={t ? '3 3' : undefined} />
              <text x={M.left - 8} y={y(t)} dy="0.32em" textAnchor="end" fill={token.colorTextSecondary}>
                {compactInr.format(t)}
              </text>
            </g>
          ))}
          {data.map((d, i) => {
            const barW = Math.max(slot * 0.7, 1);
            const x = M.left + i * slot + (slot - barW) / 2;
            const h = M.top + plotH - y(d.delivered_paise / 100);
            return (
              <g key={d.date} onMouseEnter={() => setHover(i)} onClick={() => setHover(i)}>
                {/* The whole day's column answers the pointer, not only the bar. */}
                <rect x={M.left + i * slot} y={M.top} width={slot} height={plotH} fill={hover === i ? token.colorFillSecondary : 'transparent'} />
                <rect x={x} y={M.top + plotH - h} width={barW} height={h} rx={Math.min(3, barW / 2)} fill={token.colorPrimary}>
                  <title>{`${formatDay(d.date)}: ${formatPaise(d.delivered_paise)}`}</title>
                </rect>
                {showLabel(i) && (
                  <text x={M.left + i * slot + slot / 2} y={H - 8} textAnchor="middle" fill={token.colorTextSecondary}>
                    {d.label}
                  </text>
                )}
              </g>
            );
          })}
        </svg>
      )}
      {tip && hover !== null && (
        <div
          style={{
            position: 'absolute',
            top: M.top,
            // Beside the hovered day, flipped to its left in the right half so it stays inside the card.
            ...(hover < data.length / 2 ? { left: M.left + (hover + 1) * slot + 8 } : { right: width - (M.left + hover * slot) + 8 }),
            pointerEvents: 'none',
            background: token.colorBgElevated,
            border: `1px solid ${token.colorBorderSecondary}`,
            borderRadius: token.borderRadius,
            boxShadow: token.boxShadowSecondary,
            padding: '6px 10px',
            whiteSpace: 'nowrap',
          }}
        >
          <Typography.Text strong>{`${formatDay(tip.date)} · ${tip.deliveries} deliveries`}</Typography.Text>
          <br />
          <Typography.Text style={{ color: token.colorPrimary }}>Delivered value: {formatPaise(tip.delivered_paise)}</Typography.Text>
        </div>
      )}
    </div>
  );
}
