import { Create, CreateButton, Edit, EditButton, List, useForm, useTable } from '@refinedev/antd';
import { type HttpError } from '@refinedev/core';
import { Alert, Col, DatePicker, Empty, Form, Input, InputNumber, Row, Table, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { FilterBar, ZoneSelect } from '../../components/FilterBar';
import { filterValue } from '../../components/filters';
import { withTotal } from '../../components/listTotal';
import { Money } from '../../components/Money';
import { QueryError } from '../../components/QueryError';
import { usePhoneTable } from '../../components/responsive';
import { paiseToRupees, rupeesToPaise } from '../../format';
import type { RateCard } from './shared';

const rates = [
  ['base_per_drop_paise', 'Per drop'],
  ['per_litre_paise', 'Per litre'],
  ['on_time_bonus_paise', 'On-time bonus'],
  ['failure_deduction_paise', 'Deduction (staff fault)'],
  ['failed_attempt_paise', 'Failed attempt (not their fault)'],
] as const;
type RateKey = (typeof rates)[number][0];
const fmtDay = (d: string | null) => (d ? dayjs(d).format('D MMM YYYY') : null);
const inForce = (c: RateCard) => {
  const today = dayjs().format('YYYY-MM-DD');
  return c.effective_from <= today && (!c.effective_to || c.effective_to >= today);
};

/** The rate cards: each zone's rates from a day (one card per zone and day), the current one tagged. */
export function RateCardList() {
  const { tableProps, filters, searchFormProps, tableQuery } = useTable<RateCard, HttpError, { zone_id?: string }>({
    resource: 'rate-cards',
    sorters: { initial: [{ field: 'effective_from', order: 'desc' }] },
    pagination: { pageSize: 25 },
    onSearch: ({ zone_id }) => [{ field: 'zone_id', operator: 'eq', value: zone_id || undefined }],
  });
  const zone = filterValue(filters, 'zone_id', 'eq');
  const phoneTable = usePhoneTable();
  return (
    <List title="Rate cards" headerButtons={<CreateButton>New rate card</CreateButton>}>
      <FilterBar form={searchFormProps} initialValues={{ zone_id: zone }} typed={[]} cleared={{ zone_id: undefined }} active={Boolean(zone)}>
        <Form.Item name="zone_id">
          <ZoneSelect allowClear placeholder="All zones" style={{ width: 200 }} />
        </Form.Item>
      </FilterBar>
      <QueryError error={tableQuery.error} onRetry={() => tableQuery.refetch()} />
      <Table<RateCard> {...withTotal(tableProps, tableQuery.data)} {...phoneTable.table} rowKey="id" size="small" locale={{ emptyText: <Empty description={zone ? 'No rate cards for this zone: the default card applies' : 'No rate cards yet'} /> }}>
        <Table.Column<RateCard> dataIndex="zone_name" title="Zone" render={(v: string | null, c) => <>{v ?? <Typography.Text type="secondary">Default (zones without a card)</Typography.Text>} {inForce(c) && <Tag color="green">in force</Tag>}</>} />
        <Table.Column<RateCard> dataIndex="effective_from" title="From" sorter render={(v: string) => <span style={{ whiteSpace: 'nowrap' }}>{fmtDay(v)}</span>} />
        <Table.Column<RateCard> dataIndex="effective_to" title="To" render={(v: string | null) => <span style={{ whiteSpace: 'nowrap' }}>{fmtDay(v) ?? 'open'}</span>} />
        {rates.slice(0, 4).map(([k, label]) => (
          <Table.Column<RateCard> key={k} dataIndex={k} title={label} align="right" render={(v: number) => <Money paise={v} />} />
        ))}
        <Table.Column<RateCard> dataIndex="lines" title="Lines earned" align="right" render={(v: number) => (v > 10_000 ? '10,000+' : linesEarned(v))} />
        <Table.Column<RateCard> title="" {...phoneTable.actions} render={(_, c) => <EditButton hideText size="small" recordItemId={c.id} aria-label="Edit" />} />
      </Table>
    </List>
  );
}

// The API counts a card's lines up to 10,001 (counting a busy zone's every line would take seconds).
const linesEarned = (n: number) => (n > 10_000 ? 'More than 10,000' : n.toLocaleString('en-IN'));

type FormValues = Partial<Record<RateKey, number>> & { zone_id?: string | null; effective_from?: dayjs.Dayjs; effective_to?: dayjs.Dayjs | null; morning_start?: string; morning_end?: string; evening_start?: string; evening_end?: string; note?: string };

const rupeeRule = (label: string) => [
  { required: true, message: `Give ${label.toLowerCase()} in rupees (0 for none).` },
  { validator: (_: unknown, v: number | null) => (v === null || v === undefined || Math.round(v * 100) === Number((v * 100).toFixed(6)) ? Promise.resolve() : Promise.reject(new Error('At most two decimals: a fraction of a paisa is not money.'))) },
];
const clockRule = [{ required: true, message: 'A time is HH:MM.' }, { pattern: /^([01][0-9]|2[0-3]):[0-5][0-9](:00)?$/, message: 'A time is HH:MM (24-hour, IST), like 05:00.' }];

/** Rupees in the form, paise to the API; dates as YYYY-MM-DD. */
function toApi(v: FormValues, creating: boolean) {
  const out: Record<string, unknown> = {};
  for (const [k] of rates) if (v[k] !== undefined) out[k] = rupeesToPaise(v[k]!);
  if (creating) {
    out.zone_id = v.zone_id ?? null;
    out.effective_from = v.effective_from?.format('YYYY-MM-DD');
  }
  out.effective_to = v.effective_to ? v.effective_to.format('YYYY-MM-DD') : null;
  for (const k of ['morning_start', 'morning_end', 'evening_start', 'evening_end'] as const) if (v[k]) out[k] = v[k]!.slice(0, 5);
  out.note = v.note?.trim() ?? '';
  return out;
}
function fromApi(c: RateCard | undefined): FormValues | undefined {
  if (!c) return undefined;
  const out: FormValues = { effective_to: c.effective_to ? dayjs(c.effective_to) : null, note: c.note };
  for (const [k] of rates) out[k] = paiseToRupees(c[k]);
  for (const k of ['morning_start', 'morning_end', 'evening_start', 'evening_end'] as const) out[k] = c[k].slice(0, 5);
  return out;
}

function RateFields({ frozen }: { frozen?: boolean }) {
  return (
    <>
      <Row gutter={16}>
        {rates.map(([k, label]) => (
          <Col key={k} xs={24} sm={12} lg={8}>
            <Form.Item name={k} label={`${label} (₹)`} rules={rupeeRule(label)}>
              <InputNumber<number> prefix="₹" min={0} max={100000} step={1} style={{ width: '100%' }} disabled={frozen} />
            </Form.Item>
          </Col>
        ))}
      </Row>
      <Typography.Text type="secondary">On time means confirmed inside the shift's window (IST):</Typography.Text>
      <Row gutter={16} style={{ marginTop: 8 }}>
        {(
          [
            ['morning_start', 'Morning from'],
            ['morning_end', 'Morning to'],
            ['evening_start', 'Evening from'],
            ['evening_end', 'Evening to'],
          ] as const
        ).map(([k, label]) => (
          <Col key={k} xs={12} lg={6}>
            <Form.Item name={k} label={label} rules={clockRule}>
              <Input placeholder="05:00" disabled={frozen} inputMode="numeric" />
            </Form.Item>
          </Col>
        ))}
      </Row>
      <Form.Item name="note" label="Note" rules={[{ max: 500, message: 'At most 500 characters.' }]}>
        <Input.TextArea rows={2} placeholder="Why these rates (optional)" />
      </Form.Item>
    </>
  );
}

export function RateCardCreate() {
  const { formProps, saveButtonProps } = useForm<RateCard, HttpError, FormValues>({ resource: 'rate-cards', redirect: 'list' });
  return (
    <Create title="New rate card" saveButtonProps={saveButtonProps}>
      <Alert
        type="info"
        showIcon
        style={{ marginBottom: 16 }}
        message="A new card starts on its day; the zone's open card is closed the day before by the server. Lines already earned keep the rates they were earned at."
      />
      <Form
        {...formProps}
        layout="vertical"
        initialValues={{ effective_from: dayjs().add(1, 'day'), failed_attempt_paise: 0, morning_start: '05:00', morning_end: '08:00', evening_start: '17:00', evening_end: '20:00' }}
        onFinish={(v) => formProps.onFinish?.(toApi(v as FormValues, true) as FormValues)}
      >
        <Row gutter={16}>
          <Col xs={24} sm={12}>
            <Form.Item name="zone_id" label="Zone" extra="Leave empty for the default card of zones without their own.">
              <ZoneSelect allowClear placeholder="Default (no zone)" />
            </Form.Item>
          </Col>
          <Col xs={12} sm={6}>
            <Form.Item name="effective_from" label="From" rules={[{ required: true, message: 'Choose the first day of these rates.' }]}>
              <DatePicker format="D MMM YYYY" style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col xs={12} sm={6}>
            <Form.Item name="effective_to" label="To (optional)" dependencies={['effective_from']} rules={[({ getFieldValue }) => ({ validator: (_, v?: dayjs.Dayjs | null) => (!v || !getFieldValue('effective_from') || !v.isBefore(getFieldValue('effective_from'), 'day') ? Promise.resolve() : Promise.reject(new Error('The end is on or after the start.'))) })]}>
              <DatePicker format="D MMM YYYY" style={{ width: '100%' }} placeholder="Open-ended" />
            </Form.Item>
          </Col>
        </Row>
        <RateFields />
      </Form>
    </Create>
  );
}

export function RateCardEdit() {
  const { formProps, saveButtonProps, query } = useForm<RateCard, HttpError, FormValues>({ resource: 'rate-cards', redirect: 'list' });
  const card = query?.data?.data;
  const frozen = Boolean(card && card.lines > 0);
  return (
    <Edit title={card ? `Rate card: ${card.zone_name ?? 'default'} from ${fmtDay(card.effective_from)}` : 'Rate card'} saveButtonProps={saveButtonProps} canDelete={false} isLoading={query?.isLoading}>
      {frozen && (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 16 }}
          message={`${linesEarned(card!.lines)} lines were earned at this card, so its rates stay as they are: only its end date and note may change. For new rates, create a new card from a later day.`}
        />
      )}
      <Form
        {...formProps}
        initialValues={fromApi(card)}
        key={card?.id}
        layout="vertical"
        onFinish={(v) => {
          const body = toApi(v as FormValues, false);
          if (frozen) for (const k of [...rates.map((r) => r[0]), 'morning_start', 'morning_end', 'evening_start', 'evening_end']) delete body[k];
          return formProps.onFinish?.(body as FormValues);
        }}
      >
        <Form.Item name="effective_to" label="To (empty: open-ended)">
          <DatePicker format="D MMM YYYY" placeholder="Open-ended" />
        </Form.Item>
        <RateFields frozen={frozen} />
      </Form>
    </Edit>
  );
}
