import { FilePdfOutlined, PlusOutlined } from '@ant-design/icons';
import { type HttpError, useCan, useCustom, useCustomMutation, useInvalidate, useLink } from '@refinedev/core';
import { Card, Col, DatePicker, Empty, Form, Input, InputNumber, Modal, Row, Space, Spin, Statistic, Table, Typography, Button } from 'antd';
import dayjs from 'dayjs';
import { lazy, Suspense, useState } from 'react';
import { useParams, useSearchParams } from 'react-router';
import { Money } from '../../components/Money';
import { QueryError } from '../../components/QueryError';
import { formatPaise, rupeesToPaise } from '../../format';
import { type EarningsSummary, type EarningsType, lastMonth, monthLabel, staffMonthPath, typeLabels } from './shared';

// recharts comes in its own chunk after the figures are on screen.
const MonthChart = lazy(() => import('./month-chart'));

const pct = (r: number | null) => (r === null ? '—' : `${Math.round(r * 1000) / 10}%`);

/** A staff member's month: what they did, what they earned by type, each day, and how their zone's staff compare. */
export function StaffMonth() {
  const Link = useLink();
  const { id } = useParams();
  const [params, setParams] = useSearchParams();
  const month = /^\d{4}-\d{2}$/.test(params.get('month') ?? '') ? params.get('month')! : lastMonth();
  const { query } = useCustom<EarningsSummary, HttpError>({ url: `/staff/${id}/earnings-summary`, method: 'get', config: { query: { month } }, queryOptions: { enabled: Boolean(id) } });
  const s = query.data?.data;
  const [adjusting, setAdjusting] = useState(false);
  const { data: canAdjust } = useCan({ resource: 'earnings', action: 'create' });

  return (
    <div style={{ display: 'flex', flexDirection: 'column', gap: 16 }}>
      <Space wrap style={{ justifyContent: 'space-between', width: '100%' }}>
        <Typography.Title level={3} style={{ margin: 0 }}>
          {s ? `${s.staff.name} · ${monthLabel(month)}` : monthLabel(month)}
          {s?.staff.zone_name && <Typography.Text type="secondary" style={{ fontSize: 14, marginLeft: 8 }}>{s.staff.zone_name}</Typography.Text>}
        </Typography.Title>
        <Space wrap>
          <DatePicker
            picker="month"
            allowClear={false}
            aria-label="Month"
            format="MMM YYYY"
            value={dayjs(`${month}-01`)}
            disabledDate={(d) => d.isAfter(dayjs(), 'month')}
            onChange={(d) => d && setParams({ month: d.format('YYYY-MM') })}
          />
          <Button icon={<FilePdfOutlined />} href={`/api/staff/${id}/statement.pdf?month=${month}`} target="_blank" rel="noopener">
            Statement PDF
          </Button>
          {canAdjust?.can !== false && (
            <Button icon={<PlusOutlined />} onClick={() => setAdjusting(true)}>
              Add adjustment
            </Button>
          )}
        </Space>
      </Space>
      <QueryError error={query.error} onRetry={() => query.refetch()} />
      {query.isLoading && <Spin style={{ margin: 48 }} />}
      {s && (
        <>
          <Row gutter={[16, 16]}>
            {[
              { title: 'Drops', value: s.drops },
              { title: 'Litres', value: Math.round(s.litres * 10) / 10 },
              { title: 'On time', value: pct(s.on_time_rate) },
              { title: 'Failures', value: `${s.failures}`, suffix: s.failures ? <Typography.Text type="secondary" style={{ fontSize: 13 }}>{s.failures_staff_fault} their fault</Typography.Text> : undefined },
              { title: 'Earned', value: formatPaise(s.total_paise) },
              { title: 'Unpaid', value: formatPaise(s.unpaid_paise) },
            ].map((k) => (
              <Col key={k.title} xs={12} md={8} xl={4}>
                <Card size="small">
                  <Statistic title={k.title} value={k.value} suffix={k.suffix} />
                </Card>
              </Col>
            ))}
          </Row>
          <Row gutter={[16, 16]}>
            <Col xs={24} lg={16}>
              <Card size="small" title="The month by day">
                {s.days.length ? (
                  <Suspense fallback={<Spin />}>
                    <MonthChart days={s.days} />
                  </Suspense>
                ) : (
                  <Empty description="No deliveries this month" />
                )}
              </Card>
            </Col>
            <Col xs={24} lg={8}>
              <Card size="small" title="Earnings by type">
                <Table
                  size="small"
                  pagination={false}
                  rowKey="type"
                  dataSource={Object.entries(s.by_type).map(([type, amount]) => ({ type, amount }))}
                  locale={{ emptyText: <Empty description="Nothing earned this month" /> }}
                  summary={() => (
                    <Table.Summary.Row>
                      <Table.Summary.Cell index={0}><strong>Total</strong></Table.Summary.Cell>
                      <Table.Summary.Cell index={1} align="right"><Money paise={s.total_paise} strong /></Table.Summary.Cell>
                    </Table.Summary.Row>
                  )}
                  columns={[
                    { dataIndex: 'type', title: 'Type', render: (t: string) => <Link to={`/field/earnings?staff_id=${s.staff.id}&type=${t}&month=${month}`}>{typeLabels[t as EarningsType] ?? t}</Link> },
                    { dataIndex: 'amount', title: 'Amount', align: 'right', render: (v: number) => <Money paise={v} /> },
                  ]}
                />
                <Typography.Text type="secondary">Paid {formatPaise(s.paid_paise)} · unpaid {formatPaise(s.unpaid_paise)}</Typography.Text>
              </Card>
            </Col>
          </Row>
          <Card size="small" title={`${s.staff.zone_name ?? 'Their zone'}: staff this month`}>
            <Table
              size="small"
              pagination={false}
              rowKey="staff_id"
              scroll={{ x: 'max-content' }}
              dataSource={s.zone_staff}
              rowClassName={(r) => (r.staff_id === s.staff.id ? 'ant-table-row-selected' : '')}
              locale={{ emptyText: <Empty description="Nobody else in the zone" /> }}
              columns={[
                { dataIndex: 'name', title: 'Staff', render: (v: string, r) => <Link to={staffMonthPath(r.staff_id, month)}>{v}</Link> },
                { dataIndex: 'drops', title: 'Drops', align: 'right', sorter: (a, b) => a.drops - b.drops },
                { dataIndex: 'litres', title: 'Litres', align: 'right', render: (v: number) => Math.round(v * 10) / 10 },
                { dataIndex: 'on_time_rate', title: 'On time', align: 'right', render: pct },
                { dataIndex: 'failures', title: 'Failures', align: 'right' },
                { dataIndex: 'total_paise', title: 'Earned', align: 'right', defaultSortOrder: 'descend', sorter: (a, b) => a.total_paise - b.total_paise, render: (v: number) => <Money paise={v} /> },
              ]}
            />
          </Card>
        </>
      )}
      {s && <AdjustmentModal open={adjusting} staffId={s.staff.id} staffName={s.staff.name} month={month} onClose={() => setAdjusting(false)} onDone={() => query.refetch()} />}
    </div>
  );
}

/** A manual adjustment in rupees (either sign), sent as paise with the reason; it is paid with the month's other lines. */
function AdjustmentModal({ open, staffId, staffName, month, onClose, onDone }: { open: boolean; staffId: string; staffName: string; month: string; onClose: () => void; onDone: () => void }) {
  const [form] = Form.useForm<{ rupees: number; earned_on: dayjs.Dayjs; reason: string }>();
  const { mutateAsync, mutation } = useCustomMutation();
  const invalidate = useInvalidate();
  const monthStart = dayjs(`${month}-01`);
  const submit = async () => {
    const v = await form.validateFields();
    try {
      await mutateAsync({
        url: '/earnings',
        method: 'post',
        values: { staff_id: staffId, amount_paise: rupeesToPaise(v.rupees), earned_on: v.earned_on.format('YYYY-MM-DD'), reason: v.reason.trim() },
        successNotification: { type: 'success', description: `Adjustment of ${formatPaise(rupeesToPaise(v.rupees))} added`, message: staffName },
        errorNotification: (e?: HttpError) => ({ type: 'error', description: 'Adjustment not added', message: e?.message ?? 'The server did not answer.' }),
      });
      await invalidate({ resource: 'earnings', invalidates: ['list'] });
      onDone();
      onClose();
    } catch {
      /* said by the notification */
    }
  };
  return (
    <Modal open={open} title={`Adjustment for ${staffName}`} okText="Add adjustment" onOk={submit} onCancel={onClose} confirmLoading={mutation.isPending} destroyOnHidden>
      <Form form={form} layout="vertical" preserve={false} initialValues={{ earned_on: dayjs().isBefore(monthStart.endOf('month')) ? dayjs() : monthStart.endOf('month') }}>
        <Form.Item
          name="rupees"
          label="Amount (₹; negative to deduct)"
          rules={[
            { required: true, message: 'Give the amount in rupees.' },
            { validator: (_, v: number | null) => (v === 0 ? Promise.reject(new Error('An adjustment is not ₹0.')) : Promise.resolve()) },
          ]}
        >
          <InputNumber<number> prefix="₹" precision={2} min={-1_000_000} max={1_000_000} step={10} style={{ width: 200 }} />
        </Form.Item>
        <Form.Item name="earned_on" label="Day" rules={[{ required: true, message: 'Choose the day it counts for.' }]}>
          <DatePicker format="D MMM YYYY" />
        </Form.Item>
        <Form.Item name="reason" label="Reason" rules={[{ required: true, whitespace: true, min: 3, message: 'Say why, in at least 3 characters.' }, { max: 500, message: 'At most 500 characters.' }]}>
          <Input.TextArea rows={3} placeholder="Festival bonus, fuel refund, a missed drop charged twice …" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
