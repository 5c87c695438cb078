import { DollarOutlined, PlusOutlined, StarFilled } from '@ant-design/icons';
import { DeleteButton, EditButton, Show, useModalForm, useTable } from '@refinedev/antd';
import { CanAccess, type HttpError, useCan, useGo, useInvalidate, useLink, useShow } from '@refinedev/core';
import { Button, Card, Descriptions, Empty, Form, Modal, Space, Table, Tabs, Tag, Typography } from 'antd';
import { useParams, useSearchParams } from 'react-router';
import { Money } from '../../components/Money';
import { Day } from '../invoices/shared';
import { MethodTag, type Payment, PaymentStatusTag } from '../payments/shared';
import { CustomerStatement } from './statement';
import { CustomerWallet } from './wallet';
import { OpenDisputeButton } from '../disputes/open-button';
import { DateTime } from '../../components/DateTime';
import { QueryError } from '../../components/QueryError';
import { CustomerStatusTag } from '../../components/tags';
import { formatPhone } from '../../format';
import type { Address, Customer } from '../../types';
import { AddressFields, cleanAddress } from './address-fields';
import { languageLabel } from './customer-fields';
import { CustomerCalendar } from '../subscriptions/CustomerCalendar';

export function CustomerShow() {
  const { id } = useParams<{ id: string }>();
  const go = useGo();
  const { query, result: customer } = useShow<Customer>();
  // The tab is in the URL (?tab=statement), so a link or a reload opens it.
  const [params, setParams] = useSearchParams();
  const tab = params.get('tab') ?? 'details';
  const { data: canStatement } = useCan({ resource: 'statements', action: 'show' });
  const { data: canWallet } = useCan({ resource: 'wallets', action: 'show' });
  const { data: canPayments } = useCan({ resource: 'payments', action: 'list' });
  const { data: canRecord } = useCan({ resource: 'payments', action: 'create' });
  const tabs = [
    {
      key: 'details',
      label: 'Addresses and deliveries',
      children: id && (
        <>
          <AddressesCard customerId={id} />
          <CustomerCalendar customerId={id} />
        </>
      ),
    },
    ...(canStatement?.can && id ? [{ key: 'statement', label: 'Statement', children: <CustomerStatement customerId={id} /> }] : []),
    ...(canWallet?.can && id ? [{ key: 'wallet', label: 'Wallet', children: <CustomerWallet customerId={id} /> }] : []),
    ...(canPayments?.can && id ? [{ key: 'payments', label: 'Payments', children: <CustomerPayments customerId={id} /> }] : []),
  ];
  return (
    <Show
      isLoading={query.isLoading}
      title={customer?.name ?? 'Customer'}
      headerButtons={({ defaultButtons }) => (
        <>
          {canRecord?.can && id && (
            <Button icon={<DollarOutlined />} onClick={() => go({ to: `/payments/create?customer_id=${id}` })}>
              Record payment
            </Button>
          )}
          {customer && <OpenDisputeButton customerId={customer.id} />}
          {defaultButtons}
        </>
      )}
    >
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
          <Descriptions.Item label="Language">
            <span data-testid="customer-language">{languageLabel(customer.language)}</span>
          </Descriptions.Item>
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
      <Tabs
        activeKey={tabs.some((t) => t.key === tab) ? tab : 'details'}
        onChange={(key) => {
          const next = new URLSearchParams(params);
          if (key === 'details') next.delete('tab');
          else next.set('tab', key);
          setParams(next, { replace: true });
        }}
        items={tabs}
        destroyOnHidden
      />
    </Show>
  );
}

/** The customer's payments, newest first, each linked to its page. */
function CustomerPayments({ customerId }: { customerId: string }) {
  const Link = useLink();
  const { tableProps, tableQuery } = useTable<Payment>({
    resource: 'payments',
    syncWithLocation: false,
    filters: { permanent: [{ field: 'customer_id', operator: 'eq', value: customerId }] },
    sorters: { initial: [{ field: 'received_on', order: 'desc' }] },
    pagination: { pageSize: 20 },
  });
  return (
    <Card size="small" title="Payments" extra={<Link to={`/payments?filters[0][field]=customer_id&filters[0][operator]=eq&filters[0][value]=${customerId}`}>In the payments list</Link>}>
      <QueryError error={tableQuery.error} onRetry={() => tableQuery.refetch()} />
      <Table<Payment> {...tableProps} rowKey="id" size="small" scroll={{ x: 'max-content' }} locale={{ emptyText: <Empty description="No payments yet" /> }}>
        <Table.Column<Payment> dataIndex="received_on" title="Received" render={(v: string) => <Day value={v} />} />
        <Table.Column<Payment> dataIndex="amount_paise" title="Amount" align="right" render={(v: number, p) => <Link to={`/payments/show/${p.id}`}><Money paise={v} strong /></Link>} />
        <Table.Column<Payment> dataIndex="method" title="Method" render={(v: Payment['method']) => <MethodTag method={v} />} />
        <Table.Column<Payment> dataIndex="reference" title="Reference" render={(v: string | null) => v ?? '—'} />
        <Table.Column<Payment> dataIndex="status" title="Status" render={(v: Payment['status'], p) => <Space size={0}><PaymentStatusTag status={v} />{p.cheque_status && <Tag>cheque {p.cheque_status}</Tag>}</Space>} />
        <Table.Column<Payment> dataIndex="allocated_paise" title="Settles invoices" align="right" render={(v: number) => <Money paise={v} />} />
        <Table.Column<Payment> dataIndex="credited_paise" title="To wallet" align="right" render={(v: number) => <Money paise={v} />} />
      </Table>
    </Card>
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
