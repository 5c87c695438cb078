import { type HttpError, useCustom } from '@refinedev/core';
import { Col, Form, Input, InputNumber, Row, Select } from 'antd';
import { paiseToRupees, rupeesToPaise, UNITS } from '../../format';

export const unitOptions = UNITS.map((u) => ({ value: u, label: u }));

interface GstRate {
  rate_bp: number;
  label: string;
  in_use: boolean;
}

/** The GST rates a product may take, from the database's one list (GET /api/gst-rates), not a constant here. */
export function useGstOptions() {
  const { query } = useCustom<GstRate[], HttpError>({ url: '/gst-rates', method: 'get', queryOptions: { staleTime: 5 * 60_000 } });
  const rates = query.data?.data;
  return { options: Array.isArray(rates) ? rates.filter((r) => r.in_use).map((r) => ({ value: r.rate_bp, label: r.rate_bp === 0 ? '0% (exempt)' : `${r.rate_bp / 100}%` })) : [], loading: query.isLoading };
}

/**
 * Name, category, unit and money fields shared by products and product requests. The form holds
 * price_paise (what the API wants) while the input shows rupees: getValueProps/normalize convert.
 */
export function CatalogueFields({ withSku }: { withSku?: boolean }) {
  const gst = useGstOptions();
  return (
    <>
      <Row gutter={16}>
        <Col xs={24} md={withSku ? 14 : 24}>
          <Form.Item name="name" label="Name" rules={[{ required: true, whitespace: true, message: 'Enter a product name.' }, { max: 120 }]}>
            <Input placeholder="Toned Milk 500 ml" />
          </Form.Item>
        </Col>
        {withSku && (
          <Col xs={24} md={10}>
            <Form.Item
              name="sku"
              label="SKU"
              normalize={(v?: string) => v?.toUpperCase().replace(/\s+/g, '-')}
              rules={[
                { required: true, message: 'Enter a SKU.' },
                { max: 40 },
                { pattern: /^[A-Z0-9-]+$/, message: 'SKU: capital letters, digits and dashes.' },
              ]}
            >
              <Input placeholder="MILK-TONED-500" />
            </Form.Item>
          </Col>
        )}
      </Row>
      <Row gutter={16}>
        <Col xs={24} md={8}>
          <Form.Item name="category" label="Category" initialValue="dairy" rules={[{ required: true, whitespace: true, message: 'Enter a category.' }, { max: 60 }]}>
            <Input placeholder="milk, curd, paneer, bakery" />
          </Form.Item>
        </Col>
        <Col xs={12} md={8}>
          <Form.Item name="unit" label="Unit" rules={[{ required: true, message: 'Choose a unit.' }]}>
            <Select options={unitOptions} placeholder="packet" />
          </Form.Item>
        </Col>
        <Col xs={12} md={8}>
          <Form.Item name="unit_size" label="Size" rules={[{ max: 40 }]}>
            <Input placeholder="500 ml" />
          </Form.Item>
        </Col>
      </Row>
      <Row gutter={16}>
        <Col xs={24} md={8}>
          <Form.Item
            name="price_paise"
            label="Price (₹)"
            getValueProps={(paise?: number | null) => ({ value: paise === null || paise === undefined ? paise : paiseToRupees(paise) })}
            normalize={(rupees?: number | null) => (rupees === null || rupees === undefined ? rupees : rupeesToPaise(rupees))}
            rules={[
              { required: true, message: 'Enter the price.' },
              { type: 'number', min: 0, message: 'The price cannot be negative.' },
              { type: 'number', max: 100_000_00, message: 'Price too large.' },
            ]}
          >
            <InputNumber style={{ width: '100%' }} min={0} step={0.5} precision={2} prefix="₹" placeholder="27.00" />
          </Form.Item>
        </Col>
        <Col xs={12} md={8}>
          <Form.Item
            name="hsn_code"
            label="HSN code"
            rules={[
              { required: true, message: 'Enter the HSN code.' },
              { pattern: /^\d{4}(\d{2}){0,2}$/, message: 'The HSN code must be 4, 6 or 8 digits.' },
            ]}
          >
            <Input inputMode="numeric" maxLength={8} placeholder="0401" />
          </Form.Item>
        </Col>
        <Col xs={12} md={8}>
          <Form.Item name="gst_rate_bp" label="GST rate" initialValue={0} rules={[{ required: true, message: 'Choose the GST rate.' }]}>
            <Select options={gst.options} loading={gst.loading} />
          </Form.Item>
        </Col>
      </Row>
    </>
  );
}
