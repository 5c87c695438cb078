import { PlusOutlined, StarFilled } from '@ant-design/icons';
import { DeleteButton, EditButton, Show, useModalForm, useTable } from '@refinedev/antd';
import { CanAccess, type HttpError, useCan, useInvalidate, useShow } from '@refinedev/core';
import { Button, Card, Descriptions, Empty, Form, Modal, Space, Table, Tag, Typography } from 'antd';
import { useParams } from 'react-router';
import { DateTime } from '../../components/DateTime';
import { QueryError } from '../../components/QueryError';
import { CustomerStatusTag } from '../../components/tags';
import { formatPhone } from '../../format';
import type { Address, Customer } from '../../types';
import { AddressFields, cleanAddress } from './address-fields';
import { CustomerCalendar } from '../subscriptions/CustomerCalendar';

export function CustomerShow() {
  const { id } = useParams<{ id: string }>();
  const { query, result: customer } = useShow<Customer>();
  return (
    <Show isLoading={query.isLoading} title={customer?.name ?? 'Customer'}>
      <QueryError error={query.error} onRetry={() => query.refetch()} />
      {customer && (
        <Descriptions bordered size="small" column={{ xs: 1, md: 2 }} style={{ marginBottom: 24 }}>
          <Descriptions.Item label="Name">{customer.name}</Descriptions.Item>
          <Descriptions.Item label="Status">
            <CustomerStatusTag status={customer.status} />
          </Descriptions.Item>
          <Descriptions.Item label="Mobile">{formatPhone(customer.phone)}</Descriptions.Item>
          <Descriptions.Item label="Email">{customer.email ?? <Typography.Text type="secondary">none</Typography.Text>}</Descriptions.Item>
          <Descriptions.Item label="Zone">{customer.zone_name}</Descriptions.Item>
          <Descriptions.Item label="Addresses">{customer.address_count}</Descriptions.Item>
          <Descriptions.Item label="Created">
            <DateTime value={customer.created_at} />
          </Descriptions.Item>
          <Descriptions.Item label="Updated">
            <DateTime value={customer.updated_at} />
          </Descriptions.Item>
          <Descriptions.Item label="Notes" span={2}>
            {customer.notes || <Typography.Text type="secondary">—</Typography.Text>}
          </Descriptions.Item>
        </Descriptions>
      )}
      {id && <AddressesCard customerId={id} />}
      {id && <CustomerCalendar customerId={id} />}
    </Show>
  );
}

function AddressesCard({ customerId }: { customerId: string }) {
  const invalidate = useInvalidate();
  // The customer's address_count changes with its addresses.
  const refreshCustomer = () => invalidate({ resource: 'customers', id: customerId, invalidates: ['detail'] });
  const { tableProps, tableQuery } = useTable<Address>({
    resource: 'addresses',
    syncWithLocation: false,
    pagination: { mode: 'off' },
    filters: { permanent: [{ field: 'customer_id', operator: 'eq', value: customerId }] },
    sorters: { permanent: [{ field: 'created_at', order: 'asc' }] },
  });
  const createModal = useModalForm<Address, HttpError, Partial<Address>>({
    resource: 'addresses',
    action: 'create',
    redirect: false,
    onMutationSuccess: refreshCustomer,
  });
  const editModal = useModalForm<Address, HttpError, Partial<Address>>({
    resource: 'addresses',
    action: 'edit',
    redirect: false,
  });
  // No actions column for a role that may neither edit nor delete addresses (its buttons would all be hidden).
  const { data: canEdit } = useCan({ resource: 'addresses', action: 'edit' });
  const { data: canDelete } = useCan({ resource: 'addresses', action: 'delete' });
  return (
    <Card
      title="Addresses"
      size="small"
      extra={
        <CanAccess resource="addresses" action="create">
          <Button type="primary" size="small" icon={<PlusOutlined />} onClick={() => createModal.show()}>
            Add address
          </Button>
        </CanAccess>
      }
    >
      <QueryError error={tableQuery.error} onRetry={() => tableQuery.refetch()} />
      <Table<Address> {...tableProps} rowKey="id" size="small" pagination={false} locale={{ emptyText: <Empty description="No addresses yet" /> }}>
        <Table.Column<Address>
          dataIndex="label"
          title="Label"
          render={(v: string, a) => (
            <Space>
              {v}
              {a.is_default && (
                <Tag color="gold" icon={<StarFilled />}>
                  default
                </Tag>
              )}
            </Space>
          )}
        />
        <Table.Column<Address>
          title="Address"
          key="address"
          render={(_, a) => (
            <Space direction="vertical" size={0}>
              <span>{[a.line1, a.line2].filter(Boolean).join(', ')}</span>
              {a.landmark && <Typography.Text type="secondary">Near {a.landmark}</Typography.Text>}
            </Space>
          )}
        />
        <Table.Column<Address> dataIndex="city" title="City" />
        <Table.Column<Address> dataIndex="pin_code" title="PIN" />
        <Table.Column<Address>
          title="Location"
          key="geo"
          render={(_, a) => (a.lat !== null && a.lng !== null ? <Typography.Text type="secondary">{a.lat.toFixed(4)}, {a.lng.toFixed(4)}</Typography.Text> : <Typography.Text type="secondary">—</Typography.Text>)}
        />
        {(canEdit?.can || canDelete?.can) && (
          <Table.Column<Address>
            title="Actions"
            key="actions"
            render={(_, a) => (
              <Space>
                <EditButton hideText size="small" resource="addresses" recordItemId={a.id} onClick={() => editModal.show(a.id)} />
                <DeleteButton hideText size="small" resource="addresses" recordItemId={a.id} confirmTitle="Delete this address?" confirmOkText="Delete" onSuccess={refreshCustomer} />
              </Space>
            )}
          />
        )}
      </Table>

      <Modal {...createModal.modalProps} title="Add address" width={760}>
        {/* Distinct form names keep the two modals' input ids (and so their labels) apart. */}
        <Form
          {...createModal.formProps}
          name="address-create"
          layout="vertical"
          onFinish={(values) => createModal.formProps.onFinish?.({ ...cleanAddress(values as Partial<Address>), customer_id: customerId })}
        >
          <AddressFields />
        </Form>
      </Modal>
      <Modal {...editModal.modalProps} title="Edit address" width={760}>
        <Form {...editModal.formProps} name="address-edit" layout="vertical" onFinish={(values) => editModal.formProps.onFinish?.(cleanAddress(values as Partial<Address>))}>
          <AddressFields />
        </Form>
      </Modal>
    </Card>
  );
}
