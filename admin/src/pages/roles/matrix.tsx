import { SettingOutlined } from '@ant-design/icons';
import { type HttpError, useCustom } from '@refinedev/core';
import { Alert, Button, Checkbox, Empty, InputNumber, Popover, Space, Switch, Table, Tag, Tooltip, Typography } from 'antd';
import type { CatalogEntry, ConditionKey, Conditions } from '../../../../api/lib/permission-catalog';
import { QueryError } from '../../components/QueryError';
import { formatPaise } from '../../format';

/** One grant as the API stores it: `*` is any resource or action. */
export interface Grant {
  resource: string;
  action: string;
  conditions: Conditions | null;
}

const STANDARD = ['list', 'show', 'create', 'edit', 'delete'] as const;
const ANY = '*';

const words = (name: string) => {
  const s = name.replace(/[-_]/g, ' ');
  return s.charAt(0).toUpperCase() + s.slice(1);
};

const conditionText: Record<ConditionKey, string> = {
  own: 'Own records only (the staff member linked to the login)',
  zones: "Own zones only (the zones set on the user)",
  max_amount_paise: 'Up to an amount',
  step_up: 'A fresh two-factor code each time',
};

/** The resources and actions the API checks, with the conditions each may carry (GET /api/permissions/catalog). */
export function useCatalog() {
  const { query } = useCustom<CatalogEntry[], HttpError>({ url: '/permissions/catalog', method: 'get', errorNotification: false });
  return { catalog: query.data?.data, query };
}

/** Short tags for a grant's conditions, under its checkbox. */
export function ConditionTags({ conditions }: { conditions: Conditions | null }) {
  if (!conditions) return null;
  return (
    <Space size={2} wrap style={{ marginTop: 2 }}>
      {conditions.own && <Tag color="blue">own</Tag>}
      {conditions.zones && <Tag color="cyan">zones</Tag>}
      {conditions.max_amount_paise !== undefined && <Tag color="gold">≤ {formatPaise(conditions.max_amount_paise)}</Tag>}
      {conditions.step_up && <Tag color="purple">2FA</Tag>}
    </Space>
  );
}

/** The conditions a granted cell may carry, as switches and an amount; an empty set is "no conditions". */
function ConditionEditor({ allowed, value, onChange }: { allowed: ConditionKey[]; value: Conditions | null; onChange: (c: Conditions | null) => void }) {
  const set = (patch: Partial<Conditions>) => {
    const next: Record<string, unknown> = { ...(value ?? {}), ...patch };
    for (const k of Object.keys(next)) if (next[k] === undefined || next[k] === false || next[k] === null) delete next[k];
    onChange(Object.keys(next).length ? (next as Conditions) : null);
  };
  return (
    <Space direction="vertical" style={{ width: 280 }} data-testid="condition-editor">
      {allowed.includes('own') && (
        <Space>
          <Switch size="small" checked={Boolean(value?.own)} onChange={(v) => set({ own: v ? true : undefined })} aria-label="Own records only" />
          {conditionText.own}
        </Space>
      )}
      {allowed.includes('zones') && (
        <Space>
          <Switch size="small" checked={Boolean(value?.zones)} onChange={(v) => set({ zones: v ? true : undefined })} aria-label="Own zones only" />
          {conditionText.zones}
        </Space>
      )}
      {allowed.includes('max_amount_paise') && (
        <Space direction="vertical" size={2}>
          <Typography.Text>Amount limit (empty: none)</Typography.Text>
          <InputNumber
            min={0}
            max={10_000_000_000}
            precision={2}
            prefix="₹"
            style={{ width: 200 }}
            value={value?.max_amount_paise !== undefined ? value.max_amount_paise / 100 : null}
            onChange={(v) => set({ max_amount_paise: typeof v === 'number' ? Math.round(v * 100) : undefined })}
            aria-label="Amount limit in rupees"
          />
        </Space>
      )}
      {allowed.includes('step_up') && (
        <Space>
          <Switch size="small" checked={Boolean(value?.step_up)} onChange={(v) => set({ step_up: v ? true : undefined })} aria-label="Fresh two-factor code" />
          {conditionText.step_up}
        </Space>
      )}
    </Space>
  );
}

interface CellProps {
  resource: string;
  action: string;
  label?: string;
  allowed: ConditionKey[];
  grants: Grant[];
  readOnly: boolean;
  locked?: boolean;
  onChange: (grants: Grant[]) => void;
}

/** One checkbox of the matrix: granted explicitly (with its conditions), implied by a `*` grant, or not granted. */
function Cell({ resource, action, label, allowed, grants, readOnly, locked, onChange }: CellProps) {
  const own = grants.find((g) => g.resource === resource && g.action === action);
  const impliedBy = grants.find((g) => (g.resource === ANY || g.resource === resource) && (g.action === ANY || g.action === action) && g !== own && !(g.resource === resource && g.action === action));
  const implied = !own && impliedBy && !impliedBy.conditions;
  const name = `${label ?? words(action)} ${resource === ANY ? 'any resource' : words(resource).toLowerCase()}`;
  const toggle = (checked: boolean) =>
    onChange(checked ? [...grants, { resource, action, conditions: null }] : grants.filter((g) => g !== own));
  const box = (
    <Checkbox
      checked={Boolean(own) || Boolean(implied)}
      disabled={readOnly || locked || Boolean(implied)}
      onChange={(e) => toggle(e.target.checked)}
      aria-label={name}
      data-testid={`cell-${resource}-${action}`}
    >
      {label}
    </Checkbox>
  );
  return (
    <div style={{ whiteSpace: 'nowrap' }}>
      {implied ? <Tooltip title={impliedBy.action === ANY ? 'Granted by "all actions"' : 'Granted for any resource'}>{box}</Tooltip> : box}
      {own && allowed.length > 0 && !readOnly && (
        <Popover
          trigger="click"
          title={`Conditions: ${name}`}
          content={<ConditionEditor allowed={allowed} value={own.conditions} onChange={(conditions) => onChange(grants.map((g) => (g === own ? { ...g, conditions } : g)))} />}
        >
          <Button type="text" size="small" icon={<SettingOutlined />} aria-label={`Conditions of ${name}`} data-testid={`conditions-${resource}-${action}`} />
        </Popover>
      )}
      {own && <ConditionTags conditions={own.conditions} />}
    </div>
  );
}

interface Row {
  key: string;
  resource: string;
  actions: CatalogEntry['actions'];
}

/**
 * A role's permissions as a matrix: resources as rows, the five standard actions and "all" as columns, the named verbs
 * (approve, confirm, void...) of each resource in the last column. A granted cell may carry the conditions the API
 * enforces there (the catalog says which). The value is the whole list of grants, as PATCH /api/roles/:id replaces it.
 */
export function PermissionMatrix({ value = [], onChange, readOnly = false, adminRole = false }: { value?: Grant[]; onChange?: (grants: Grant[]) => void; readOnly?: boolean; adminRole?: boolean }) {
  const { catalog, query } = useCatalog();
  const change = onChange ?? (() => undefined);
  if (query.error) return <QueryError error={query.error} onRetry={() => query.refetch()} />;
  const known = new Set((catalog ?? []).flatMap((e) => [`${e.resource} ${ANY}`, ...e.actions.map((a) => `${e.resource} ${a.action}`)]));
  const unknown = catalog ? value.filter((g) => g.resource !== ANY && !known.has(`${g.resource} ${g.action}`)) : [];
  const rows: Row[] = [
    { key: ANY, resource: ANY, actions: STANDARD.map((action) => ({ action, conditions: [] })) },
    ...(catalog ?? []).map((e) => ({ key: e.resource, resource: e.resource, actions: e.actions })),
  ];
  const cellProps = { grants: value, readOnly, onChange: change };
  return (
    <>
      {adminRole && <Alert type="info" showIcon style={{ marginBottom: 12 }} message="The admin role keeps every permission (any action on any resource); its other grants add nothing." />}
      {unknown.length > 0 && (
        <Alert type="warning" showIcon style={{ marginBottom: 12 }} message={`Not in the API any more: ${unknown.map((g) => `${g.action} on ${g.resource}`).join(', ')}. Saving will be refused until they are removed.`} />
      )}
      <Table<Row>
        size="small"
        rowKey="key"
        loading={query.isLoading}
        dataSource={rows}
        pagination={false}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: <Empty description="No resources" /> }}
        data-testid="permission-matrix"
      >
        <Table.Column<Row>
          title="Resource"
          key="resource"
          fixed="left"
          render={(_, r) => (r.resource === ANY ? <Typography.Text strong>Any resource</Typography.Text> : <Typography.Text>{words(r.resource)}</Typography.Text>)}
        />
        {STANDARD.map((action) => (
          <Table.Column<Row>
            key={action}
            title={words(action)}
            align="center"
            render={(_, r) => {
              const entry = r.actions.find((a) => a.action === action);
              if (!entry) return <Typography.Text type="secondary">—</Typography.Text>;
              return <Cell resource={r.resource} action={action} allowed={entry.conditions} {...cellProps} />;
            }}
          />
        ))}
        <Table.Column<Row>
          key="all"
          title={<Tooltip title="Every action of the resource, including those added later">All</Tooltip>}
          align="center"
          render={(_, r) => <Cell resource={r.resource} action={ANY} allowed={[]} locked={adminRole && r.resource === ANY} {...cellProps} />}
        />
        <Table.Column<Row>
          key="other"
          title="Other actions"
          render={(_, r) => {
            const named = r.actions.filter((a) => !(STANDARD as readonly string[]).includes(a.action));
            if (!named.length) return null;
            return (
              <Space size={[12, 4]} wrap style={{ minWidth: 180 }}>
                {named.map((a) => (
                  <Cell key={a.action} resource={r.resource} action={a.action} label={words(a.action)} allowed={a.conditions} {...cellProps} />
                ))}
              </Space>
            );
          }}
        />
      </Table>
    </>
  );
}
