import { Edit, useForm } from '@refinedev/antd';
import type { HttpError } from '@refinedev/core';
import { Alert, Card, Col, Form, Input, InputNumber, Row, Typography } from 'antd';
import { DateTime } from '../../components/DateTime';
import { BUSINESS_TZ } from '../../format';
import { GSTIN_FORMAT, gstinProblem, PAN_FORMAT, PHONE_FORMAT, SERIES_PREFIX_FORMAT, UPI_ID_FORMAT } from '../../../../shared/supplier';

export interface Settings {
  supplier_name: string;
  supplier_address: string;
  supplier_gstin: string;
  supplier_pan: string;
  supplier_state: string;
  supplier_state_code: string;
  supplier_phone: string;
  supplier_email: string;
  supplier_upi_id: string;
  payment_term_days: number;
  series_taxed: string;
  series_exempt: string;
  updated_at: string;
}

// The API's formats (shared/supplier.ts), here for feedback while typing; the API decides.
/** The financial year of today in the business's time zone, as invoice numbers write it: 26-27 from 1 April 2026. */
function currentFinancialYear(): string {
  const [y, m] = new Intl.DateTimeFormat('en-CA', { timeZone: BUSINESS_TZ, year: 'numeric', month: '2-digit' }).format(new Date()).split('-').map(Number);
  const start = m >= 4 ? y : y - 1;
  return `${String(start % 100).padStart(2, '0')}-${String((start + 1) % 100).padStart(2, '0')}`;
}
const upper = (v?: string) => v?.toUpperCase();
const rule = (test: (v: string) => boolean, message: string) => ({
  validator: (_: unknown, v?: string) => (!v || test(v) ? Promise.resolve() : Promise.reject(new Error(message))),
});

/** One of the two invoice-number prefixes; each must differ from the other (two series cannot share numbers). */
function SeriesPrefixField({ name, label, other, otherLabel }: { name: 'series_taxed' | 'series_exempt'; label: string; other: 'series_taxed' | 'series_exempt'; otherLabel: string }) {
  return (
    <Form.Item
      name={name}
      label={label}
      normalize={upper}
      dependencies={[other]}
      rules={[
        { required: true, message: 'Enter a prefix.' },
        rule((v) => SERIES_PREFIX_FORMAT.test(v), '1 to 3 letters or digits.'),
        ({ getFieldValue }) => rule((v) => v !== getFieldValue(other), `Must differ from the ${otherLabel} prefix.`),
      ]}
    >
      <Input maxLength={3} style={{ fontFamily: 'monospace' }} />
    </Form.Item>
  );
}

/** The business's settings (admin only): who the invoices say issued them, when they fall due, how they are numbered. */
export function SettingsEdit() {
  const { formProps, saveButtonProps, formLoading, query, form } = useForm<Settings, HttpError, Partial<Settings>>({
    resource: 'settings',
    action: 'edit',
    id: 'current',
    redirect: false,
  });
  const saved = query?.data?.data;
  const fy = currentFinancialYear();
  const taxed = Form.useWatch('series_taxed', form) || 'MR';
  const exempt = Form.useWatch('series_exempt', form) || 'BS';

  // PAN and state code are parts of the GSTIN: fill them in from a well-formed one.
  const onGstin = (value: string) => {
    const g = value.trim().toUpperCase();
    if (GSTIN_FORMAT.test(g)) form.setFieldsValue({ supplier_pan: g.slice(2, 12), supplier_state_code: g.slice(0, 2) });
  };

  return (
    <Edit
      title="Settings"
      saveButtonProps={saveButtonProps}
      isLoading={formLoading}
      headerButtons={() => null}
      breadcrumb={false}
      goBack={false}
    >
      <Form
        {...formProps}
        layout="vertical"
        style={{ maxWidth: 960 }}
        onFinish={(v) => formProps.onFinish?.({ ...v, supplier_gstin: upper(v.supplier_gstin), supplier_pan: upper(v.supplier_pan) })}
      >
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 16 }}
          message="Changes apply to invoices issued from now on"
          description="Every invoice keeps the supplier block it was issued with, so its PDF never changes. Each change here is recorded in the audit log."
        />
        <Row gutter={16}>
          <Col xs={24} lg={14}>
            <Card title="Supplier, as printed on invoices" size="small" style={{ marginBottom: 16 }}>
              <Form.Item name="supplier_name" label="Business name" rules={[{ required: true, whitespace: true, message: 'Enter the business name.' }, { max: 120 }]}>
                <Input />
              </Form.Item>
              <Form.Item
                name="supplier_address"
                label="Address"
                extra="One to four lines, as printed under the name."
                rules={[
                  { required: true, whitespace: true, message: 'Enter the address.' },
                  rule((v) => v.split(/\r?\n/).filter((l) => l.trim()).length <= 4, 'The address has at most 4 lines.'),
                  rule((v) => v.split(/\r?\n/).every((l) => l.trim().length <= 100), 'Each address line has at most 100 characters.'),
                ]}
              >
                <Input.TextArea autoSize={{ minRows: 2, maxRows: 4 }} />
              </Form.Item>
              <Row gutter={16}>
                <Col xs={24} md={12}>
                  <Form.Item
                    name="supplier_gstin"
                    label="GSTIN"
                    normalize={upper}
                    extra="15 characters; PAN and state code are filled in from it."
                    rules={[
                      { required: true, message: 'Enter the GSTIN.' },
                      { validator: (_, v?: string) => (v && gstinProblem(v) ? Promise.reject(new Error(gstinProblem(v)!)) : Promise.resolve()) },
                    ]}
                  >
                    <Input maxLength={15} onChange={(e) => onGstin(e.target.value)} style={{ fontFamily: 'monospace' }} />
                  </Form.Item>
                </Col>
                <Col xs={24} md={12}>
                  <Form.Item
                    name="supplier_pan"
                    label="PAN"
                    normalize={upper}
                    dependencies={['supplier_gstin']}
                    rules={[
                      { required: true, message: 'Enter the PAN.' },
                      rule((v) => PAN_FORMAT.test(v), '5 letters, 4 digits and a letter, e.g. AAACM1234A.'),
                      ({ getFieldValue }) => rule((v) => !GSTIN_FORMAT.test(getFieldValue('supplier_gstin') ?? '') || getFieldValue('supplier_gstin').slice(2, 12) === v, "The PAN must be the GSTIN's characters 3 to 12."),
                    ]}
                  >
                    <Input maxLength={10} style={{ fontFamily: 'monospace' }} />
                  </Form.Item>
                </Col>
                <Col xs={14} md={12}>
                  <Form.Item name="supplier_state" label="State" rules={[{ required: true, whitespace: true, message: 'Enter the state.' }, { max: 60 }]}>
                    <Input placeholder="Karnataka" />
                  </Form.Item>
                </Col>
                <Col xs={10} md={12}>
                  <Form.Item
                    name="supplier_state_code"
                    label="State code"
                    dependencies={['supplier_gstin']}
                    rules={[
                      { required: true, message: 'Enter the code.' },
                      rule((v) => /^[0-9]{2}$/.test(v), 'Two digits.'),
                      ({ getFieldValue }) => rule((v) => !GSTIN_FORMAT.test(getFieldValue('supplier_gstin') ?? '') || getFieldValue('supplier_gstin').slice(0, 2) === v, "The GSTIN's first two digits."),
                    ]}
                  >
                    <Input maxLength={2} inputMode="numeric" />
                  </Form.Item>
                </Col>
                <Col xs={24} md={12}>
                  <Form.Item
                    name="supplier_phone"
                    label="Phone"
                    rules={[{ required: true, message: 'Enter the phone number.' }, rule((v) => PHONE_FORMAT.test(v.trim()), 'Digits, spaces or dashes, optionally starting with +.')]}
                  >
                    <Input inputMode="tel" />
                  </Form.Item>
                </Col>
                <Col xs={24} md={12}>
                  <Form.Item name="supplier_email" label="Email" rules={[{ required: true, message: 'Enter the email.' }, { type: 'email', message: 'Enter a valid email address.' }]}>
                    <Input inputMode="email" />
                  </Form.Item>
                </Col>
                <Col xs={24} md={12}>
                  <Form.Item
                    name="supplier_upi_id"
                    label="UPI id"
                    extra="Printed on invoices for payment."
                    rules={[{ required: true, message: 'Enter the UPI id.' }, rule((v) => UPI_ID_FORMAT.test(v.trim()), 'name@bank, e.g. milkrun@okicici.')]}
                  >
                    <Input />
                  </Form.Item>
                </Col>
              </Row>
            </Card>
          </Col>
          <Col xs={24} lg={10}>
            <Card title="Invoices" size="small" style={{ marginBottom: 16 }}>
              <Form.Item
                name="payment_term_days"
                label="Payment term"
                extra="Days from the invoice date to its due date."
                rules={[{ required: true, message: 'Enter the payment term.' }, { type: 'integer', min: 0, max: 365, message: 'A whole number of days from 0 to 365.' }]}
              >
                <InputNumber min={0} max={365} precision={0} addonAfter="days" style={{ width: 160 }} />
              </Form.Item>
              <Row gutter={16}>
                <Col xs={24} sm={12}>
                  <SeriesPrefixField name="series_taxed" label="Tax invoice prefix" other="series_exempt" otherLabel="bill of supply" />
                </Col>
                <Col xs={24} sm={12}>
                  <SeriesPrefixField name="series_exempt" label="Bill of supply prefix" other="series_taxed" otherLabel="tax invoice" />
                </Col>
              </Row>
              <Typography.Paragraph type="secondary" style={{ marginBottom: 0 }}>
                Numbers look like <Typography.Text code>{`${taxed}/${fy}/000123`}</Typography.Text> and{' '}
                <Typography.Text code>{`${exempt}/${fy}/000045`}</Typography.Text>. A new prefix starts its own series at 000001 (a prefix used
                before in the year continues where it stopped); numbers already issued keep theirs, and every series stays consecutive.
              </Typography.Paragraph>
            </Card>
            {saved?.updated_at && (
              <Typography.Text type="secondary">
                Last changed <DateTime value={saved.updated_at} />
              </Typography.Text>
            )}
          </Col>
        </Row>
      </Form>
    </Edit>
  );
}
