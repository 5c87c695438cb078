import { Col, Form, Input, Row, Select } from 'antd';
import { isIndianMobile, MOBILE_HINT } from '../../format';
import { customerStatusOptions } from './list';
import { ZoneSelect } from '../../components/FilterBar';
import { useZoneLimit } from '../../components/useZoneLimit';

/** The languages notification templates are written in; each named in its own script, as the customer would. */
export const customerLanguageOptions = [
  { value: 'en', label: 'English' },
  { value: 'kn', label: 'ಕನ್ನಡ' },
  { value: 'hi', label: 'हिन्दी' },
];
export const languageLabel = (code: string) => customerLanguageOptions.find((o) => o.value === code)?.label ?? code;

export function CustomerFields({ zoneId, action = 'create' }: { zoneId?: string; action?: 'create' | 'edit' }) {
  const onlyIds = useZoneLimit('customers', action);
  return (
    <>
      <Row gutter={16}>
        <Col xs={24} md={12}>
          <Form.Item name="name" label="Name" rules={[{ required: true, whitespace: true, message: 'Enter the customer name.' }, { max: 120 }]}>
            <Input placeholder="Ananya Rao" />
          </Form.Item>
        </Col>
        <Col xs={24} md={12}>
          <Form.Item
            name="phone"
            label="Mobile"
            extra="10 digits; +91, 0 and spaces are fine."
            rules={[
              { required: true, message: 'Enter the mobile number.' },
              {
                validator: (_, v?: string) =>
                  !v || isIndianMobile(v) ? Promise.resolve() : Promise.reject(new Error(MOBILE_HINT)),
              },
            ]}
          >
            <Input placeholder="98765 43210" inputMode="tel" />
          </Form.Item>
        </Col>
      </Row>
      <Row gutter={16}>
        <Col xs={24} md={12}>
          <Form.Item name="email" label="Email" rules={[{ type: 'email', message: 'Enter a valid email.' }]}>
            <Input placeholder="optional" />
          </Form.Item>
        </Col>
        <Col xs={24} md={6}>
          <Form.Item name="zone_id" label="Zone" rules={[{ required: true, message: 'Choose a zone.' }]}>
            <ZoneSelect current={zoneId} onlyIds={onlyIds} placeholder="Choose a zone" />
          </Form.Item>
        </Col>
        <Col xs={24} md={6}>
          <Form.Item name="status" label="Status" initialValue="active">
            <Select options={customerStatusOptions} />
          </Form.Item>
        </Col>
      </Row>
      <Row gutter={16}>
        <Col xs={24} md={6}>
          <Form.Item name="language" label="Language" initialValue="en" extra="Of their WhatsApp and SMS messages.">
            <Select options={customerLanguageOptions} data-testid="customer-language" />
          </Form.Item>
        </Col>
        <Col xs={24} md={18}>
          <Form.Item name="notes" label="Notes" rules={[{ max: 2000 }]}>
            <Input.TextArea rows={2} placeholder="Delivery instructions, preferences" />
          </Form.Item>
        </Col>
      </Row>
    </>
  );
}

/** Blank email means "none": the API wants null, not "". */
export function cleanCustomer<T extends { email?: string | null }>(v: T): T {
  return { ...v, email: v.email?.trim() ? v.email.trim() : null };
}
