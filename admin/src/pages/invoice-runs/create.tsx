import { ThunderboltOutlined } from '@ant-design/icons';
import { Create, useSelect } from '@refinedev/antd';
import { type HttpError, useCustomMutation, useGo, useInvalidate } from '@refinedev/core';
import { Alert, Button, DatePicker, Form, Popconfirm, Select, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import type { Customer } from '../../types';
import { type InvoiceRun, monthLabel } from '../invoices/shared';

interface Values {
  month: Dayjs;
  customer_id?: string;
}

/** "Run month": starts the run (the API answers at once, 202) and opens its progress page. */
export function InvoiceRunCreate() {
  const [form] = Form.useForm<Values>();
  const go = useGo();
  const invalidate = useInvalidate();
  const { mutateAsync, mutation } = useCustomMutation<InvoiceRun>();
  const [confirming, setConfirming] = useState(false);
  const month = Form.useWatch('month', form);
  const customerId = Form.useWatch('customer_id', form);
  const { selectProps: customerSelect, query: customers } = useSelect<Customer>({
    resource: 'customers',
    optionLabel: 'name',
    optionValue: 'id',
    sorters: [{ field: 'name', order: 'asc' }],
    pagination: { pageSize: 50 },
    onSearch: (value) => [{ field: 'q', operator: 'eq', value: value || undefined }],
  });
  const customerName = customers.data?.data.find((c) => c.id === customerId)?.name;

  const start = async () => {
    const values = await form.validateFields();
    const body = { month: values.month.format('YYYY-MM'), ...(values.customer_id ? { customer_id: values.customer_id } : {}) };
    try {
      const { data: run } = await mutateAsync({
        url: '/invoice-runs',
        method: 'post',
        values: body,
        successNotification: { type: 'success', description: `Invoicing ${monthLabel(body.month)}`, message: 'The run has started; its progress follows.' },
        errorNotification: (error?: HttpError) => ({ type: 'error', description: 'Could not start the run', message: error?.message ?? 'The server did not answer.' }),
      });
      await invalidate({ resource: 'invoice-runs', invalidates: ['list'] });
      go({ to: `/invoice-runs/show/${run.id}` });
    } catch {
      // the notification said why
    } finally {
      setConfirming(false);
    }
  };

  const what = month ? `${monthLabel(month.format('YYYY-MM'))} for ${customerId ? (customerName ?? 'one customer') : 'all customers'}` : '';
  return (
    <Create
      title="Run month"
      footerButtons={() => (
        <Popconfirm
          open={confirming}
          onOpenChange={(open) => {
            if (!open) setConfirming(false);
          }}
          title={`Invoice ${what}?`}
          description="Issued invoices cannot be changed, only voided and reissued."
          okText="Run"
          onConfirm={start}
          onCancel={() => setConfirming(false)}
        >
          <Button
            type="primary"
            icon={<ThunderboltOutlined />}
            loading={mutation.isPending}
            onClick={async () => {
              // Ask only once the form is valid.
              try {
                await form.validateFields();
                setConfirming(true);
              } catch {
                /* the form shows what is missing */
              }
            }}
          >
            Run month
          </Button>
        </Popconfirm>
      )}
    >
      <Typography.Paragraph type="secondary">
        Each customer's billing records of the month that are not on an invoice yet become one invoice, numbered in the financial year's series. Running a month again is safe: records already invoiced are never billed twice.
      </Typography.Paragraph>
      <Form<Values> form={form} layout="vertical" style={{ maxWidth: 520 }} initialValues={{ month: dayjs().subtract(1, 'month').startOf('month') }} onFinish={() => setConfirming(true)}>
        <Form.Item name="month" label="Month" rules={[{ required: true, message: 'Choose the month to invoice.' }]} extra="Past and current months only; the current month bills what was delivered so far.">
          <DatePicker picker="month" format="MMMM YYYY" allowClear={false} disabledDate={(d) => d.isAfter(dayjs(), 'month')} style={{ width: 240 }} />
        </Form.Item>
        <Form.Item name="customer_id" label="Customer" extra="Leave empty to invoice every customer with unbilled records in that month.">
          <Select {...customerSelect} allowClear placeholder="All customers" style={{ width: 320 }} />
        </Form.Item>
      </Form>
      {month && month.isSame(dayjs(), 'month') && (
        <Alert type="info" showIcon style={{ maxWidth: 520 }} message="The current month is still open" description="Deliveries confirmed after this run are billed by the next run of this month." />
      )}
    </Create>
  );
}
