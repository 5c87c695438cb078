import { LeftOutlined, MoonOutlined, RightOutlined } from '@ant-design/icons';
import { CanAccess, type HttpError, useCustom } from '@refinedev/core';
import { Button, Card, DatePicker, Space, Spin, Tag, theme, Tooltip, Typography } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { QueryError } from '../../components/QueryError';
import { todayIST } from '../orders/pickers';
import { calendarColors, calendarLabels } from '../orders/tags';
import type { CalendarEntry, CalendarMonth, CalendarStatus } from './types';

const weekdayHeads = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
const statuses = Object.keys(calendarColors) as CalendarStatus[];

/** A customer's month: every day with each subscription drop and one-time order, coloured by what happened to it. */
export function CustomerCalendar({ customerId }: { customerId: string }) {
  return (
    <CanAccess resource="subscriptions" action="list" fallback={null}>
      <MonthCard customerId={customerId} />
    </CanAccess>
  );
}

function MonthCard({ customerId }: { customerId: string }) {
  const [month, setMonth] = useState(() => todayIST().slice(0, 7));
  const { query } = useCustom<CalendarMonth, HttpError>({
    url: `/customers/${customerId}/calendar`,
    method: 'get',
    config: { query: { month } },
    queryOptions: { placeholderData: (previous) => previous },
  });
  // result.data is {} until an answer arrives; the query's own data is undefined then.
  const data = query.data?.data;
  const shown = data?.month === month ? data : undefined;
  const go = (delta: number) => setMonth(dayjs(`${month}-01`).add(delta, 'month').format('YYYY-MM'));

  return (
    <Card
      size="small"
      style={{ marginTop: 24 }}
      title={`Deliveries in ${dayjs(`${month}-01`).format('MMMM YYYY')}`}
      data-testid="customer-calendar"
      extra={
        <Space>
          <Button size="small" icon={<LeftOutlined />} aria-label="Previous month" onClick={() => go(-1)} />
          <DatePicker picker="month" size="small" allowClear={false} value={dayjs(`${month}-01`)} format="MMM YYYY" onChange={(d) => d && setMonth(d.format('YYYY-MM'))} />
          <Button size="small" icon={<RightOutlined />} aria-label="Next month" onClick={() => go(1)} />
          <Button size="small" onClick={() => setMonth(todayIST().slice(0, 7))}>
            This month
          </Button>
        </Space>
      }
    >
      <QueryError error={query.error} onRetry={() => query.refetch()} />
      <Space size={[4, 4]} wrap style={{ marginBottom: 12 }}>
        {statuses.map((s) => (
          <Tag key={s} color={calendarColors[s]}>
            {calendarLabels[s]}
          </Tag>
        ))}
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          <MoonOutlined /> evening · + one-time order · 1/2 delivered of ordered
        </Typography.Text>
      </Space>
      <Spin spinning={query.isFetching}>
        <MonthGrid month={month} data={shown} />
      </Spin>
    </Card>
  );
}

function MonthGrid({ month, data }: { month: string; data: CalendarMonth | undefined }) {
  const { token } = theme.useToken();
  const first = dayjs(`${month}-01`);
  const lead = (first.day() + 6) % 7; // Monday first
  const byDate = new Map((data?.days ?? []).map((d) => [d.date, d.entries]));
  const today = data?.today ?? todayIST();
  const cells: (string | null)[] = [...Array(lead).fill(null), ...Array.from({ length: first.daysInMonth() }, (_, i) => first.add(i, 'day').format('YYYY-MM-DD'))];
  while (cells.length % 7) cells.push(null);
  const empty = data && data.days.every((d) => d.entries.length === 0);

  return (
    <>
      <div style={{ display: 'grid', gridTemplateColumns: 'repeat(7, minmax(0, 1fr))', gap: 4 }}>
        {weekdayHeads.map((w) => (
          <Typography.Text key={w} type="secondary" style={{ textAlign: 'center', fontSize: 12 }}>
            {w}
          </Typography.Text>
        ))}
        {cells.map((date, i) =>
          date ? (
            <div
              key={date}
              data-date={date}
              style={{
                minHeight: 86,
                padding: 4,
                borderRadius: token.borderRadiusSM,
                border: `1px solid ${date === today ? token.colorPrimary : token.colorBorderSecondary}`,
                background: date < today ? token.colorFillQuaternary : token.colorBgContainer,
              }}
            >
              <Typography.Text strong={date === today} type={date === today ? undefined : 'secondary'} style={{ fontSize: 12 }}>
                {Number(date.slice(8))}
                {date === today ? ' · today' : ''}
              </Typography.Text>
              <div style={{ display: 'flex', flexDirection: 'column', gap: 2, marginTop: 2 }}>
                {(byDate.get(date) ?? []).map((e, k) => (
                  <EntryTag key={k} entry={e} />
                ))}
              </div>
            </div>
          ) : (
            <div key={`blank-${i}`} />
          ),
        )}
      </div>
      {empty && (
        <Typography.Paragraph type="secondary" style={{ marginTop: 12, marginBottom: 0 }}>
          Nothing planned or delivered this month.
        </Typography.Paragraph>
      )}
    </>
  );
}

function EntryTag({ entry: e }: { entry: CalendarEntry }) {
  const qty = e.delivered_quantity !== null && e.delivered_quantity !== e.quantity ? `${e.delivered_quantity}/${e.quantity}` : String(e.quantity);
  const shown = e.status === 'paused' || e.status === 'skipped' ? '' : ` ×${qty}`;
  const tip = `${calendarLabels[e.status]} · ${e.product_name} · ${e.shift}${e.kind === 'one_time' ? ' · one-time order' : ''}${
    e.delivered_quantity !== null ? ` · delivered ${e.delivered_quantity} of ${e.quantity}` : e.quantity ? ` · ${e.quantity} ordered` : ''
  }`;
  return (
    <Tooltip title={tip}>
      <Tag
        color={calendarColors[e.status]}
        data-status={e.status}
        style={{ margin: 0, fontSize: 11, lineHeight: '16px', paddingInline: 4, overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap', maxWidth: '100%' }}
      >
        {e.shift === 'evening' && <MoonOutlined style={{ marginInlineEnd: 2 }} />}
        {e.kind === 'one_time' ? '+ ' : ''}
        {e.product_name}
        {shown}
      </Tag>
    </Tooltip>
  );
}
