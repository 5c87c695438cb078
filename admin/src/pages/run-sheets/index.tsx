import { PrinterOutlined } from '@ant-design/icons';
import { List, useSelect } from '@refinedev/antd';
import { type HttpError, useCustom } from '@refinedev/core';
import { Button, Card, Col, DatePicker, Empty, Form, Radio, Row, Select, Space, Spin, Statistic, Table, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { useEffect, useMemo } from 'react';
import { useSearchParams } from 'react-router';
import { QueryError } from '../../components/QueryError';
import { usePhoneTable } from '../../components/responsive';
import { formatDateTime, formatPhone } from '../../format';
import { formatDay, productText, todayIST, weekdayFormats } from '../orders/pickers';
import { DeliveryStatusTag } from '../orders/tags';
import type { DeliveryStatus } from '../orders/types';
import type { Staff } from '../staff/types';
import type { RunSheet, RunSheetStop } from './types';
import { formatDistance, RoutePanel } from './RoutePanel';
import './print.css';

interface Group {
  staffId: string | null;
  staffName: string;
  stops: RunSheetStop[];
  totals: { product: string; quantity: number }[];
}

/** Stops grouped by delivery person (the API orders them so already), each group with what to load. */
function groupByStaff(stops: RunSheetStop[]): Group[] {
  const groups: Group[] = [];
  for (const s of stops) {
    let g = groups[groups.length - 1];
    if (!g || g.staffId !== s.staff_id) {
      g = { staffId: s.staff_id, staffName: s.staff_name ?? 'Unassigned', stops: [], totals: [] };
      groups.push(g);
    }
    g.stops.push(s);
  }
  for (const g of groups) {
    const load = new Map<string, number>();
    for (const s of g.stops) for (const i of s.items) {
      const key = productText(i.product_name, i.unit_size);
      load.set(key, (load.get(key) ?? 0) + i.quantity);
    }
    g.totals = [...load].map(([product, quantity]) => ({ product, quantity })).sort((a, b) => a.product.localeCompare(b.product));
  }
  return groups;
}

/** A run sheet: the stops of one day and shift, for one delivery person or all, to print and take on the van. */
export function RunSheetPage() {
  const [params, setParams] = useSearchParams();
  const date = params.get('date') ?? todayIST();
  const shift = (params.get('shift') === 'evening' ? 'evening' : 'morning') as 'morning' | 'evening';
  const staffId = params.get('staff_id') ?? undefined;
  const set = (patch: Record<string, string | undefined>) => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(patch)) (v ? next.set(k, v) : next.delete(k));
    setParams(next, { replace: true });
  };

  const { selectProps: staffSelect } = useSelect<Staff>({
    resource: 'staff',
    optionLabel: (s) => `${s.name}${s.zone_name ? ` · ${s.zone_name}` : ''}`,
    optionValue: 'id',
    defaultValue: staffId,
    sorters: [{ field: 'name', order: 'asc' }],
    pagination: { pageSize: 100 },
    onSearch: (v) => [{ field: 'q', operator: 'eq', value: v.trim() || undefined }],
  });
  const { query } = useCustom<RunSheet, HttpError>({
    url: '/run-sheets',
    method: 'get',
    config: { query: { date, shift, ...(staffId ? { staff_id: staffId } : {}) } },
  });
  // result.data is {} until the answer arrives; the query's own data is undefined then.
  const sheet = query.data?.data;
  const groups = useMemo(() => groupByStaff(sheet?.stops ?? []), [sheet]);

  // The print stylesheet applies only while this page is open.
  useEffect(() => {
    document.body.classList.add('printing-run-sheet');
    return () => document.body.classList.remove('printing-run-sheet');
  }, []);

  const heading = `${formatDay(date)} · ${shift}${sheet?.staff ? ` · ${sheet.staff.name}` : staffId ? '' : ' · all staff'}`;
  return (
    <List
      title="Run sheets"
      headerButtons={
        <Button type="primary" icon={<PrinterOutlined />} disabled={!sheet?.stops.length} onClick={() => window.print()}>
          Print
        </Button>
      }
    >
      <Form layout="inline" className="run-sheet-no-print" style={{ marginBottom: 16, rowGap: 8 }}>
        <Form.Item label="Day">
          <DatePicker value={dayjs(date)} format={weekdayFormats} allowClear={false} onChange={(d) => d && set({ date: d.format('YYYY-MM-DD') })} />
        </Form.Item>
        <Form.Item label="Shift">
          <Radio.Group
            optionType="button"
            buttonStyle="solid"
            value={shift}
            onChange={(e) => set({ shift: e.target.value })}
            options={[
              { value: 'morning', label: 'Morning' },
              { value: 'evening', label: 'Evening' },
            ]}
          />
        </Form.Item>
        <Form.Item label="Staff">
          <Select options={staffSelect.options} loading={staffSelect.loading} onSearch={staffSelect.onSearch} filterOption={false} value={staffId} allowClear showSearch placeholder="All staff" style={{ width: 240 }} onChange={(v) => set({ staff_id: (v as unknown as string) || undefined })} />
        </Form.Item>
      </Form>
      <QueryError error={query.error} onRetry={() => query.refetch()} />
      <Spin spinning={query.isFetching}>
        <div className="run-sheet-print-only" style={{ marginBottom: 8 }}>
          <Typography.Title level={4} style={{ margin: 0 }}>
            Milkrun run sheet · {heading}
          </Typography.Title>
          <Typography.Text type="secondary">Printed {formatDateTime(new Date())}</Typography.Text>
        </div>
        {sheet && !sheet.stops.length ? (
          <Empty description={`No stops on ${heading}. Generate the orders for that day first, or pick another day or shift.`} />
        ) : sheet ? (
          <>
            <Card size="small" className="run-sheet-no-print" style={{ marginBottom: 16 }}>
              <Row gutter={24}>
                <Col>
                  <Statistic title="Stops" value={sheet.stops.length} />
                </Col>
                <Col>
                  <Statistic title="Delivery staff" value={groups.filter((g) => g.staffId).length} />
                </Col>
                <Col>
                  <Statistic title="Unassigned stops" value={groups.find((g) => !g.staffId)?.stops.length ?? 0} valueStyle={groups.some((g) => !g.staffId) ? { color: '#d46b08' } : undefined} />
                </Col>
                {!staffId ? (
                  <Col>
                    <Typography.Text type="secondary">Pick a delivery person to see their route's distance and put it in order.</Typography.Text>
                  </Col>
                ) : null}
                <Col flex="auto">
                  <Typography.Text type="secondary">To load, all runs:</Typography.Text>
                  <div>
                    <Space size={[4, 4]} wrap>
                      {sheet.totals.map((t) => (
                        <Tag key={`${t.product_name}-${t.unit_size}`}>
                          {productText(t.product_name, t.unit_size)} × <b>{t.quantity}</b>
                        </Tag>
                      ))}
                    </Space>
                  </div>
                </Col>
              </Row>
            </Card>
            {staffId ? <RoutePanel sheet={sheet} staffId={staffId} onSaved={() => query.refetch()} /> : null}
            {groups.map((g) => (
              <StaffRun key={g.staffId ?? 'none'} group={g} heading={`${formatDay(date)} · ${shift}${sheet.route ? ` · ${formatDistance(sheet.route.distance_m)}` : ''}`} />
            ))}
          </>
        ) : null}
      </Spin>
    </List>
  );
}

function StaffRun({ group: g, heading }: { group: Group; heading: string }) {
  // On a phone the table scrolls sideways inside the page instead of widening it.
  const { table } = usePhoneTable();
  return (
    <section className="run-sheet-group" style={{ marginBottom: 24 }} data-testid="run-sheet-group">
      <Space align="baseline" wrap style={{ marginBottom: 8 }}>
        <Typography.Title level={5} style={{ margin: 0 }}>
          {g.staffName}
        </Typography.Title>
        <Typography.Text type="secondary">
          {g.stops.length} stop{g.stops.length === 1 ? '' : 's'} · {heading}
        </Typography.Text>
      </Space>
      <div style={{ marginBottom: 8 }}>
        <Typography.Text strong>Load: </Typography.Text>
        {g.totals.map((t, i) => (
          <span key={t.product}>
            {i ? ' · ' : ''}
            {t.product} × <b>{t.quantity}</b>
          </span>
        ))}
      </div>
      <Table<RunSheetStop>
        {...table}
        size="small"
        bordered
        pagination={false}
        rowKey="delivery_id"
        dataSource={g.stops}
        columns={[
          { title: '#', dataIndex: 'stop_number', width: 40, align: 'right' },
          {
            title: 'Customer',
            key: 'customer',
            width: 170,
            render: (_, s) => (
              <>
                <div>
                  <b>{s.customer_name}</b>
                </div>
                <div style={{ whiteSpace: 'nowrap' }}>{formatPhone(s.phone)}</div>
              </>
            ),
          },
          {
            title: 'Address',
            key: 'address',
            render: (_, s) => (
              <>
                <div>{[s.address.line1, s.address.line2].filter(Boolean).join(', ')}</div>
                <Typography.Text type="secondary">
                  {s.address.landmark ? `${s.address.landmark} · ` : ''}
                  {s.address.pin_code}
                </Typography.Text>
              </>
            ),
          },
          {
            title: 'Items',
            key: 'items',
            render: (_, s) =>
              s.items.map((i) => (
                <div key={i.order_item_id} style={{ whiteSpace: 'nowrap' }}>
                  {productText(i.product_name, i.unit_size)} × <b>{i.quantity}</b>
                  {i.delivered_quantity !== null && i.delivered_quantity !== i.quantity ? <Typography.Text type="warning"> (got {i.delivered_quantity})</Typography.Text> : null}
                </div>
              )),
          },
          { title: 'Status', dataIndex: 'status', width: 90, render: (v: DeliveryStatus) => <DeliveryStatusTag status={v} /> },
          // Blank on screen: room for a tick or a signature on paper.
          { title: 'Done', key: 'done', width: 70, render: () => null },
        ]}
      />
    </section>
  );
}
