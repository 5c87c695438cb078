import { Col, Form, Input, InputNumber, Row, Switch } from 'antd';
import type { NamePath } from 'antd/es/form/interface';

/** The address inputs, under a prefix (["address"] on the customer form, [] in the address modal). */
export function AddressFields({ prefix = [] }: { prefix?: (string | number)[] }) {
  const n = (field: string): NamePath => [...prefix, field];
  return (
    <>
      <Row gutter={16}>
        <Col xs={24} md={8}>
          <Form.Item name={n('label')} label="Label" initialValue="Home" rules={[{ max: 40 }]}>
            <Input placeholder="Home, Office, Parents" />
          </Form.Item>
        </Col>
        <Col xs={24} md={16}>
          <Form.Item name={n('line1')} label="House and street" rules={[{ required: true, whitespace: true, message: 'Enter the house and street.' }, { max: 200 }]}>
            <Input placeholder="Flat 402, 12th Main Road" />
          </Form.Item>
        </Col>
      </Row>
      <Row gutter={16}>
        <Col xs={24} md={12}>
          <Form.Item name={n('line2')} label="Area" rules={[{ max: 200 }]}>
            <Input placeholder="HAL 2nd Stage" />
          </Form.Item>
        </Col>
        <Col xs={24} md={12}>
          <Form.Item name={n('landmark')} label="Landmark" rules={[{ max: 120 }]}>
            <Input placeholder="Opposite the temple" />
          </Form.Item>
        </Col>
      </Row>
      <Row gutter={16}>
        <Col xs={24} md={8}>
          <Form.Item name={n('city')} label="City" initialValue="Bengaluru" rules={[{ required: true, whitespace: true, message: 'Enter the city.' }, { max: 80 }]}>
            <Input />
          </Form.Item>
        </Col>
        <Col xs={24} md={8}>
          <Form.Item
            name={n('pin_code')}
            label="PIN code"
            rules={[
              { required: true, message: 'Enter the PIN code.' },
              { pattern: /^[1-9]\d{5}$/, message: 'The PIN code must be 6 digits and not start with 0.' },
            ]}
          >
            <Input inputMode="numeric" maxLength={6} placeholder="560038" />
          </Form.Item>
        </Col>
        <Col xs={12} md={4}>
          <Form.Item name={n('lat')} label="Latitude" rules={[{ type: 'number', min: -90, max: 90, message: 'Between -90 and 90.' }]}>
            <InputNumber style={{ width: '100%' }} step={0.0001} placeholder="12.9719" />
          </Form.Item>
        </Col>
        <Col xs={12} md={4}>
          <Form.Item name={n('lng')} label="Longitude" rules={[{ type: 'number', min: -180, max: 180, message: 'Between -180 and 180.' }]}>
            <InputNumber style={{ width: '100%' }} step={0.0001} placeholder="77.6412" />
          </Form.Item>
        </Col>
      </Row>
      {/* On the customer form (prefix) this is the first address, hence the default: no choice to offer. */}
      {prefix.length === 0 && (
        <Form.Item name={n('is_default')} label="Default delivery address" valuePropName="checked" initialValue={false}>
          <Switch />
        </Form.Item>
      )}
    </>
  );
}

/** InputNumber leaves null when cleared; the API wants null (not undefined) for "no coordinates". */
export function cleanAddress<T extends { lat?: number | null; lng?: number | null }>(a: T): T {
  return { ...a, lat: a.lat ?? null, lng: a.lng ?? null };
}
