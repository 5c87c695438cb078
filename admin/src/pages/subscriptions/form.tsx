import { Create, Edit, useForm } from '@refinedev/antd';
import type { HttpError } from '@refinedev/core';
import { Alert, Checkbox, Col, DatePicker, Form, type FormInstance, InputNumber, Radio, Row, Select, Typography } from 'antd';
import dayjs from 'dayjs';
import { beforeToday, dateField, dayFormats, todayIST, useProductSelect, weekdayOptions } from '../orders/pickers';
import { CustomerAddressFields } from '../../components/CustomerAddressFields';
import { scheduleOptions } from './list';
import type { Subscription } from './types';

type SubscriptionInput = Pick<Subscription, 'customer_id' | 'address_id' | 'product_id' | 'quantity' | 'schedule' | 'weekdays' | 'shift' | 'start_date' | 'end_date'>;

/** Weekdays only mean something for a weekday schedule; the API wants null (not undefined) for "no end". */
function clean(v: Partial<SubscriptionInput>): Partial<SubscriptionInput> {
  const out = { ...v, end_date: v.end_date ?? null };
  if (v.schedule !== 'weekdays') delete out.weekdays;
  return out;
}

/** A refused save is shown in the alert above the form (the API's message), not as an unhandled rejection. */
const shownAbove = () => undefined;

/**
 * The fields of a subscription. Customer, product and start date are fixed once created (the API refuses a change:
 * alternate days count from the start date), so editing shows them read-only.
 */
function SubscriptionFields({ form, record }: { form: FormInstance; record?: Subscription }) {
  const editing = Boolean(record);
  const schedule = Form.useWatch('schedule', form) as Subscription['schedule'] | undefined;
  const startDate = Form.useWatch('start_date', form) as string | undefined;
  const { selectProps: productSelect } = useProductSelect({ defaultValue: record?.product_id, activeOnly: !editing });

  return (
    <>
      <CustomerAddressFields
        form={form}
        current={record?.customer_id}
        activeOnly={!editing}
        locked={editing}
        customerExtra={editing ? 'Fixed: cancel and create a new subscription to change it.' : 'Type a name or phone number to search.'}
      />
      <Row gutter={16}>
        <Col xs={24} md={12}>
          <Form.Item name="product_id" label="Product" rules={[{ required: true, message: 'Choose a product.' }]} extra={editing ? 'Fixed: cancel and create a new subscription to change it.' : 'Only products on sale are offered.'}>
            <Select {...productSelect} showSearch placeholder="Search products" disabled={editing} />
          </Form.Item>
        </Col>
        <Col xs={24} md={6}>
          <Form.Item
            name="quantity"
            label="Quantity per drop"
            rules={[
              { required: true, message: 'Enter the quantity.' },
              { type: 'integer', min: 1, max: 100, message: 'The quantity must be a whole number between 1 and 100.' },
            ]}
          >
            <InputNumber min={1} max={100} precision={0} style={{ width: '100%' }} />
          </Form.Item>
        </Col>
        <Col xs={24} md={6}>
          <Form.Item name="shift" label="Shift" rules={[{ required: true, message: 'Choose a shift.' }]}>
            <Radio.Group optionType="button" buttonStyle="solid" options={[{ value: 'morning', label: 'Morning' }, { value: 'evening', label: 'Evening' }]} />
          </Form.Item>
        </Col>
      </Row>
      <Row gutter={16}>
        <Col xs={24} md={12}>
          <Form.Item name="schedule" label="Schedule" rules={[{ required: true, message: 'Choose a schedule.' }]} extra={schedule === 'alternate' ? 'Every other day, counting from the start date.' : undefined}>
            <Radio.Group options={scheduleOptions} />
          </Form.Item>
        </Col>
        <Col xs={24} md={12}>
          {schedule === 'weekdays' && (
            <Form.Item name="weekdays" label="On these weekdays" rules={[{ required: true, type: 'array', min: 1, message: 'Choose at least one weekday.' }]}>
              <Checkbox.Group options={weekdayOptions} />
            </Form.Item>
          )}
        </Col>
      </Row>
      <Row gutter={16}>
        <Col xs={24} md={6}>
          <Form.Item name="start_date" label="Start date" rules={[{ required: true, message: 'Choose the first day.' }]} {...dateField} extra={editing ? 'Fixed once created.' : undefined}>
            <DatePicker style={{ width: '100%' }} format={dayFormats} disabled={editing} disabledDate={editing ? undefined : beforeToday} allowClear={false} />
          </Form.Item>
        </Col>
        <Col xs={24} md={6}>
          <Form.Item
            name="end_date"
            label="End date (optional)"
            dependencies={['start_date']}
            {...dateField}
            rules={[
              ({ getFieldValue }) => ({
                validator: (_, v?: string | null) =>
                  !v || !getFieldValue('start_date') || v >= getFieldValue('start_date') ? Promise.resolve() : Promise.reject(new Error('The end date cannot be before the start date.')),
              }),
            ]}
          >
            <DatePicker style={{ width: '100%' }} format={dayFormats} placeholder="No end" disabledDate={(d) => Boolean(startDate) && d.format('YYYY-MM-DD') < startDate!} />
          </Form.Item>
        </Col>
        <Col xs={24} md={12}>
          <Typography.Paragraph type="secondary" style={{ marginTop: 30 }}>
            Orders already generated for the coming days are updated at once; later days follow the next order generation.
          </Typography.Paragraph>
        </Col>
      </Row>
    </>
  );
}

export function SubscriptionCreate() {
  const { formProps, saveButtonProps, onFinish, form, mutation } = useForm<Subscription, HttpError, Partial<SubscriptionInput>>({ redirect: 'show', errorNotification: false });
  const tomorrow = dayjs(todayIST()).add(1, 'day').format('YYYY-MM-DD');
  return (
    <Create saveButtonProps={saveButtonProps} title="New subscription">
      {mutation.error && <Alert type="error" showIcon style={{ marginBottom: 16, maxWidth: 960 }} message="Not saved" description={mutation.error.message} />}
      <Form
        {...formProps}
        layout="vertical"
        style={{ maxWidth: 960 }}
        initialValues={{ quantity: 1, schedule: 'daily', shift: 'morning', start_date: tomorrow, weekdays: [] }}
        onFinish={(v) => onFinish(clean(v as Partial<SubscriptionInput>)).catch(shownAbove)}
      >
        <SubscriptionFields form={form} />
      </Form>
    </Create>
  );
}

export function SubscriptionEdit() {
  const { formProps, saveButtonProps, onFinish, form, query, formLoading, mutation } = useForm<Subscription, HttpError, Partial<SubscriptionInput>>({ redirect: 'show', errorNotification: false });
  const record = query?.data?.data;
  return (
    <Edit saveButtonProps={{ ...saveButtonProps, disabled: record?.status === 'cancelled' }} isLoading={formLoading} title={record ? `Edit subscription: ${record.customer_name}, ${record.product_name}` : 'Edit subscription'}>
      {record?.status === 'cancelled' && <Alert type="warning" showIcon style={{ marginBottom: 16, maxWidth: 960 }} message="This subscription is cancelled and can no longer be changed." />}
      {mutation.error && <Alert type="error" showIcon style={{ marginBottom: 16, maxWidth: 960 }} message="Not saved" description={mutation.error.message} />}
      <Form
        {...formProps}
        layout="vertical"
        style={{ maxWidth: 960 }}
        // Only what may change is sent; customer, product and start date stay as they are.
        onFinish={(v) => {
          const { address_id, quantity, schedule, weekdays, shift, end_date } = v as Partial<SubscriptionInput>;
          return onFinish(clean({ address_id, quantity, schedule, weekdays, shift, end_date })).catch(shownAbove);
        }}
      >
        {record && <SubscriptionFields form={form} record={record} />}
      </Form>
    </Edit>
  );
}
