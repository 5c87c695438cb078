import { List, useTable } from '@refinedev/antd';
import { type HttpError, useUpdate } from '@refinedev/core';
import { Button, Empty, Form, InputNumber, Modal, Space, Switch, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { DateTime } from '../../components/DateTime';
import { QueryError } from '../../components/QueryError';
import { usePhoneTable } from '../../components/responsive';

interface AlertRule {
  id: string;
  kind: string;
  name: string;
  threshold: number;
  window_minutes: number;
  enabled: boolean;
}
interface Incident {
  id: string;
  rule_name: string;
  kind: string;
  fired_at: string;
  cleared_at: string | null;
  value: number;
  threshold: number;
  last_value: number;
  cleared_value: number | null;
  note: string | null;
}

/** Each kind's unit, as the API measures it (api/modules/alerts/alert-checks.ts). */
const units: Record<string, string> = {
  data_health_broken: 'broken rows',
  error_rate: 'basis points (100 = 1%)',
  p99_latency: 'ms',
  invoice_run_failed: 'runs',
  unbilled_at_midnight: 'items',
  notifications_backlog: 'messages',
};
const shown = (kind: string, v: number) => (kind === 'error_rate' ? `${(v / 100).toFixed(2)}%` : kind === 'p99_latency' ? `${v} ms` : String(v));
const windowText = (m: number) => (m % 1440 === 0 ? `${m / 1440} d` : m % 60 === 0 ? `${m / 60} h` : `${m} min`);

export function AlertsPage() {
  const rules = useTable<AlertRule, HttpError>({ resource: 'alert-rules', sorters: { initial: [{ field: 'name', order: 'asc' }] }, pagination: { pageSize: 50 }, syncWithLocation: false });
  const incidents = useTable<Incident, HttpError>({ resource: 'alerts', sorters: { initial: [{ field: 'fired_at', order: 'desc' }] }, pagination: { pageSize: 20 }, syncWithLocation: false });
  const phoneRules = usePhoneTable();
  const phoneIncidents = usePhoneTable();
  const [editing, setEditing] = useState<AlertRule | null>(null);
  const [form] = Form.useForm<{ threshold: number; window_minutes: number; enabled: boolean }>();
  const { mutate: update, mutation } = useUpdate<AlertRule, HttpError>();

  const save = async () => {
    const values = await form.validateFields();
    update(
      { resource: 'alert-rules', id: editing!.id, values, successNotification: { type: 'success', message: 'Rule saved' } },
      { onSuccess: () => setEditing(null) },
    );
  };

  return (
    <List title="Alerts">
      <Typography.Paragraph type="secondary">
        Checked every minute by the API. A rule fires once when its value goes over the threshold within its window and clears when it comes back; each
        firing and clearing emails the admins.
      </Typography.Paragraph>
      <Typography.Title level={5}>Rules</Typography.Title>
      <QueryError error={rules.tableQuery.error} onRetry={() => rules.tableQuery.refetch()} />
      <Table {...rules.tableProps} {...phoneRules.table} rowKey="id" locale={{ emptyText: <Empty description="No alert rules" /> }}>
        <Table.Column<AlertRule> dataIndex="name" title="Rule" render={(v: string) => <Typography.Text strong>{v}</Typography.Text>} />
        <Table.Column<AlertRule> dataIndex="threshold" title="Threshold" render={(v: number, r) => `over ${shown(r.kind, v)}`} />
        <Table.Column<AlertRule> dataIndex="window_minutes" title="Window" render={(v: number) => windowText(v)} />
        <Table.Column<AlertRule> dataIndex="enabled" title="State" render={(v: boolean) => (v ? <Tag color="green">On</Tag> : <Tag>Off</Tag>)} />
        <Table.Column<AlertRule>
          title="Actions"
          key="actions"
          {...phoneRules.actions}
          render={(_, r) => (
            <Button
              size="small"
              onClick={() => {
                setEditing(r);
                form.setFieldsValue({ threshold: r.threshold, window_minutes: r.window_minutes, enabled: r.enabled });
              }}
            >
              Edit
            </Button>
          )}
        />
      </Table>

      <Typography.Title level={5} style={{ marginTop: 24 }}>
        Incidents
      </Typography.Title>
      <QueryError error={incidents.tableQuery.error} onRetry={() => incidents.tableQuery.refetch()} />
      <Table {...incidents.tableProps} {...phoneIncidents.table} rowKey="id" locale={{ emptyText: <Empty description="Nothing has fired yet" /> }}>
        <Table.Column<Incident> dataIndex="rule_name" title="Rule" />
        <Table.Column<Incident> dataIndex="fired_at" title="Fired" sorter render={(v: string) => <DateTime value={v} />} />
        <Table.Column<Incident> dataIndex="value" title="Value" render={(v: number, a) => `${shown(a.kind, v)} (over ${shown(a.kind, a.threshold)})`} />
        <Table.Column<Incident>
          dataIndex="cleared_at"
          title="Cleared"
          render={(v: string | null, a) =>
            v ? (
              <Space size={4} wrap>
                <DateTime value={v} />
                {a.note && <Typography.Text type="secondary">{a.note}</Typography.Text>}
              </Space>
            ) : (
              <Tag color="red">Open · now {shown(a.kind, a.last_value)}</Tag>
            )
          }
        />
      </Table>

      <Modal
        open={editing !== null}
        title={editing ? `Edit: ${editing.name}` : ''}
        okText="Save"
        onOk={() => void save()}
        confirmLoading={mutation.isPending}
        onCancel={() => setEditing(null)}
        destroyOnHidden
      >
        <Form form={form} layout="vertical">
          <Form.Item
            name="threshold"
            label={`Threshold (${editing ? units[editing.kind] : ''})`}
            extra="It fires when the value goes over this."
            rules={[{ required: true, message: 'Enter a threshold.' }, { type: 'integer', min: 0, max: 100_000_000, message: 'A whole number from 0 to 100,000,000.' }]}
          >
            <InputNumber style={{ width: '100%' }} />
          </Form.Item>
          <Form.Item
            name="window_minutes"
            label="Window (minutes)"
            rules={[{ required: true, message: 'Enter a window.' }, { type: 'integer', min: 1, max: 10_080, message: '1 minute to 7 days (10,080 minutes).' }]}
          >
            <InputNumber style={{ width: '100%' }} />
          </Form.Item>
          <Form.Item name="enabled" label="Checked" valuePropName="checked" extra="Turning a rule off clears its open incident at the next check.">
            <Switch />
          </Form.Item>
        </Form>
      </Modal>
    </List>
  );
}
