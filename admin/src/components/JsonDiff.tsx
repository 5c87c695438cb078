import { Table, Tag, Typography } from 'antd';

type Json = Record<string, unknown> | null | undefined;

interface Row {
  key: string;
  before: unknown;
  after: unknown;
  change: 'added' | 'removed' | 'changed' | 'same';
}

const show = (v: unknown) => (v === undefined ? '' : typeof v === 'string' ? v : JSON.stringify(v));

/** Before/after of an audit entry, one row per key; changed keys first, unchanged ones dimmed. */
export function JsonDiff({ before, after, onlyChanged }: { before: Json; after: Json; onlyChanged?: boolean }) {
  const keys = Array.from(new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})]));
  const rows: Row[] = keys.map((key) => {
    const b = before ? before[key] : undefined;
    const a = after ? after[key] : undefined;
    const change = !before || !(key in before) ? 'added' : !after || !(key in after) ? 'removed' : JSON.stringify(a) === JSON.stringify(b) ? 'same' : 'changed';
    return { key, before: b, after: a, change };
  });
  const order = { changed: 0, added: 1, removed: 2, same: 3 };
  rows.sort((x, y) => order[x.change] - order[y.change] || x.key.localeCompare(y.key));
  const shown = onlyChanged ? rows.filter((r) => r.change !== 'same') : rows;
  const colors = { added: 'green', removed: 'red', changed: 'orange', same: 'default' };
  return (
    <Table<Row>
      size="small"
      rowKey="key"
      pagination={false}
      dataSource={shown}
      locale={{ emptyText: 'No fields recorded' }}
      columns={[
        { title: 'Field', dataIndex: 'key', width: 180, render: (k: string) => <Typography.Text code>{k}</Typography.Text> },
        {
          title: 'Before',
          dataIndex: 'before',
          render: (v: unknown, r) => <Typography.Text delete={r.change === 'changed' || r.change === 'removed'} type={r.change === 'same' ? 'secondary' : undefined} style={{ wordBreak: 'break-all' }}>{show(v)}</Typography.Text>,
        },
        {
          title: 'After',
          dataIndex: 'after',
          render: (v: unknown, r) => <Typography.Text strong={r.change !== 'same'} type={r.change === 'same' ? 'secondary' : undefined} style={{ wordBreak: 'break-all' }}>{show(v)}</Typography.Text>,
        },
        { title: '', dataIndex: 'change', width: 90, render: (c: Row['change']) => (c === 'same' ? null : <Tag color={colors[c]}>{c}</Tag>) },
      ]}
    />
  );
}
