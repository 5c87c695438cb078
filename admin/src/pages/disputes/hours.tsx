import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { type HttpError, useCan, useCustom, useCustomMutation } from '@refinedev/core';
import { Button, Card, Col, DatePicker, Empty, Form, Input, InputNumber, Row, Select, Space, Table, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { useEffect, useState } from 'react';
import { QueryError } from '../../components/QueryError';
import { dayFormats } from '../orders/pickers';
import { PriorityTag, type DisputePriority } from './shared';

interface Window {
  weekday: number;
  opens: string;
  closes: string;
}
interface Hours {
  time_zone: string;
  windows: Window[];
  holidays: { day: string; name: string }[];
}
interface Policy {
  priority: DisputePriority;
  first_response_minutes: number;
  resolution_minutes: number;
}

const weekdays = ['', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];
const weekdayOptions = [1, 2, 3, 4, 5, 6, 7].map((d) => ({ value: d, label: weekdays[d] }));
const order: DisputePriority[] = ['urgent', 'high', 'normal', 'low'];
/** Business minutes as people say them: "2 h", "1 day 4 h" (a business day is 600 minutes by default: 10 hours). */
const span = (m: number) => (m % 60 === 0 ? `${m / 60} business hour${m === 60 ? '' : 's'}` : `${m} business minutes`);
const hhmm = /^([01]\d|2[0-3]):[0-5]\d$|^24:00$/;

/**
 * The business hours SLAs count in (windows per weekday, Asia/Kolkata, and holidays) and the SLA per priority. Support
 * and finance read them; an admin edits them (each is replaced whole; due times of new disputes use the new values).
 */
export function BusinessHoursPage() {
  const { query: hoursQuery } = useCustom<Hours>({ url: '/business-hours', method: 'get', queryOptions: { queryKey: ['business-hours'] } });
  const { query: policyQuery } = useCustom<Policy[]>({ url: '/sla-policies', method: 'get', queryOptions: { queryKey: ['sla-policies'] } });
  const { data: canEditHours } = useCan({ resource: 'business-hours', action: 'edit' });
  const { data: canEditSla } = useCan({ resource: 'sla-policies', action: 'edit' });
  const [editing, setEditing] = useState<'hours' | 'sla' | null>(null);
  const hours = hoursQuery.data?.data;
  const policies = [...(policyQuery.data?.data ?? [])].sort((a, b) => order.indexOf(a.priority) - order.indexOf(b.priority));
  const byDay = new Map<number, Window[]>();
  for (const w of hours?.windows ?? []) byDay.set(w.weekday, [...(byDay.get(w.weekday) ?? []), w]);

  return (
    <Space direction="vertical" size={16} style={{ width: '100%' }}>
      <Typography.Title level={3} style={{ margin: 0 }}>
        Business hours and SLA
      </Typography.Title>
      <QueryError error={(hoursQuery.error ?? policyQuery.error) as HttpError | null} onRetry={() => Promise.all([hoursQuery.refetch(), policyQuery.refetch()])} />
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={12}>
          <Card
            size="small"
            title={`Business hours (${hours?.time_zone ?? 'Asia/Kolkata'})`}
            extra={canEditHours?.can && editing !== 'hours' && <Button size="small" onClick={() => setEditing('hours')} data-testid="edit-hours">Edit</Button>}
            data-testid="business-hours"
          >
            {editing === 'hours' && hours ? (
              <HoursForm hours={hours} onDone={async () => { setEditing(null); await hoursQuery.refetch(); }} />
            ) : (
              <>
                <Table
                  rowKey="weekday"
                  size="small"
                  pagination={false}
                  dataSource={[1, 2, 3, 4, 5, 6, 7].map((d) => ({ weekday: d, windows: byDay.get(d) ?? [] }))}
                  columns={[
                    { title: 'Day', dataIndex: 'weekday', render: (d: number) => weekdays[d] },
                    {
                      title: 'Open',
                      dataIndex: 'windows',
                      render: (ws: Window[]) => (ws.length ? <Space size={4} wrap>{ws.map((w) => <Tag key={w.opens}>{w.opens}–{w.closes}</Tag>)}</Space> : <Typography.Text type="secondary">closed</Typography.Text>),
                    },
                  ]}
                />
                <Typography.Title level={5} style={{ marginTop: 16 }}>
                  Holidays
                </Typography.Title>
                {hours?.holidays.length ? (
                  <Space direction="vertical" size={2}>
                    {hours.holidays.map((h) => (
                      <span key={h.day}>
                        {dayjs(h.day).format('ddd, D MMM YYYY')} · {h.name}
                      </span>
                    ))}
                  </Space>
                ) : (
                  <Empty description="No holidays" image={Empty.PRESENTED_IMAGE_SIMPLE} />
                )}
              </>
            )}
          </Card>
        </Col>
        <Col xs={24} lg={12}>
          <Card
            size="small"
            title="SLA per priority"
            extra={canEditSla?.can && editing !== 'sla' && <Button size="small" onClick={() => setEditing('sla')}>Edit</Button>}
            data-testid="sla-policies"
          >
            {editing === 'sla' ? (
              <SlaForm policies={policies} onDone={async () => { setEditing(null); await policyQuery.refetch(); }} />
            ) : (
              <Table<Policy> rowKey="priority" size="small" pagination={false} dataSource={policies}>
                <Table.Column<Policy> dataIndex="priority" title="Priority" render={(p: DisputePriority) => <PriorityTag priority={p} />} />
                <Table.Column<Policy> dataIndex="first_response_minutes" title="First response" render={span} />
                <Table.Column<Policy> dataIndex="resolution_minutes" title="Resolution" render={span} />
              </Table>
            )}
            <Typography.Paragraph type="secondary" style={{ marginTop: 12, marginBottom: 0 }}>
              Counted in business minutes on the hours beside; waiting on the customer pauses the resolution clock. A dispute past due is
              escalated once, one priority up.
            </Typography.Paragraph>
          </Card>
        </Col>
      </Row>
    </Space>
  );
}

function HoursForm({ hours, onDone }: { hours: Hours; onDone: () => Promise<unknown> }) {
  const [form] = Form.useForm<{ windows: Window[]; holidays: { day: dayjs.Dayjs; name: string }[] }>();
  const { mutateAsync, mutation } = useCustomMutation<Hours>();
  useEffect(() => form.setFieldsValue({ windows: hours.windows, holidays: hours.holidays.map((h) => ({ day: dayjs(h.day), name: h.name })) }), [hours, form]);
  const time = { pattern: hhmm, message: 'HH:MM' };
  return (
    <Form
      form={form}
      onFinish={async (v) => {
        await mutateAsync({
          url: '/business-hours',
          method: 'put',
          values: { windows: v.windows ?? [], holidays: (v.holidays ?? []).map((h) => ({ day: h.day.format('YYYY-MM-DD'), name: h.name })) },
          successNotification: { type: 'success', description: 'Business hours saved', message: 'New due times use them.' },
          errorNotification: (e?: HttpError) => ({ type: 'error', description: 'Not saved', message: e?.message ?? 'The server did not answer.' }),
        });
        await onDone();
      }}
    >
      <Form.List name="windows">
        {(fields, { add, remove }) => (
          <>
            {fields.map((f) => (
              <Space key={f.key} align="baseline" wrap>
                <Form.Item name={[f.name, 'weekday']} rules={[{ required: true }]}>
                  <Select options={weekdayOptions} style={{ width: 130 }} />
                </Form.Item>
                <Form.Item name={[f.name, 'opens']} rules={[{ required: true, ...time }]}>
                  <Input style={{ width: 80 }} placeholder="06:00" />
                </Form.Item>
                <Form.Item name={[f.name, 'closes']} rules={[{ required: true, ...time }]}>
                  <Input style={{ width: 80 }} placeholder="12:00" />
                </Form.Item>
                <MinusCircleOutlined onClick={() => remove(f.name)} aria-label="Remove window" />
              </Space>
            ))}
            <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({ weekday: 1, opens: '06:00', closes: '12:00' })} style={{ marginBottom: 16 }}>
              Add a window
            </Button>
          </>
        )}
      </Form.List>
      <Typography.Title level={5}>Holidays</Typography.Title>
      <Form.List name="holidays">
        {(fields, { add, remove }) => (
          <>
            {fields.map((f) => (
              <Space key={f.key} align="baseline" wrap>
                <Form.Item name={[f.name, 'day']} rules={[{ required: true, message: 'The day' }]}>
                  <DatePicker format={dayFormats} />
                </Form.Item>
                <Form.Item name={[f.name, 'name']} rules={[{ required: true, whitespace: true, max: 100, message: 'Its name' }]}>
                  <Input placeholder="Diwali" style={{ width: 180 }} />
                </Form.Item>
                <MinusCircleOutlined onClick={() => remove(f.name)} aria-label="Remove holiday" />
              </Space>
            ))}
            <Button type="dashed" icon={<PlusOutlined />} onClick={() => add()} style={{ marginBottom: 16 }}>
              Add a holiday
            </Button>
          </>
        )}
      </Form.List>
      <Space>
        <Button type="primary" htmlType="submit" loading={mutation.isPending}>
          Save
        </Button>
        <Button onClick={() => void onDone()}>Cancel</Button>
      </Space>
    </Form>
  );
}

function SlaForm({ policies, onDone }: { policies: Policy[]; onDone: () => Promise<unknown> }) {
  const [form] = Form.useForm<{ policies: Policy[] }>();
  const { mutateAsync, mutation } = useCustomMutation<Policy[]>();
  useEffect(() => form.setFieldsValue({ policies }), [policies, form]);
  return (
    <Form
      form={form}
      onFinish={async (v) => {
        await mutateAsync({
          url: '/sla-policies',
          method: 'put',
          values: v.policies,
          successNotification: { type: 'success', description: 'SLA saved', message: 'New due times use it.' },
          errorNotification: (e?: HttpError) => ({ type: 'error', description: 'Not saved', message: e?.message ?? 'The server did not answer.' }),
        });
        await onDone();
      }}
    >
      <Form.List name="policies">
        {(fields) =>
          fields.map((f) => (
            <Space key={f.key} align="baseline" wrap>
              <Form.Item name={[f.name, 'priority']} style={{ width: 80 }}>
                <Input readOnly variant="borderless" />
              </Form.Item>
              <Form.Item name={[f.name, 'first_response_minutes']} label="first reply" rules={[{ required: true }]}>
                <InputNumber min={1} max={100000} addonAfter="min" style={{ width: 140 }} />
              </Form.Item>
              <Form.Item name={[f.name, 'resolution_minutes']} label="resolution" rules={[{ required: true }]}>
                <InputNumber min={1} max={100000} addonAfter="min" style={{ width: 140 }} />
              </Form.Item>
            </Space>
          ))
        }
      </Form.List>
      <Space>
        <Button type="primary" htmlType="submit" loading={mutation.isPending}>
          Save
        </Button>
        <Button onClick={() => void onDone()}>Cancel</Button>
      </Space>
    </Form>
  );
}
