import { Space, Tag } from 'antd';
import type { CustomerStatus, RequestStatus } from '../types';

const customerColors: Record<CustomerStatus, string> = { active: 'green', paused: 'gold', inactive: 'default' };
const requestColors: Record<RequestStatus, string> = { pending: 'blue', approved: 'green', rejected: 'red' };
const roleColors: Record<string, string> = { admin: 'magenta', manager: 'purple', finance: 'cyan', support: 'geekblue', delivery_staff: 'orange' };

export const CustomerStatusTag = ({ status }: { status: CustomerStatus }) => <Tag color={customerColors[status]}>{status}</Tag>;

export const RequestStatusTag = ({ status }: { status: RequestStatus }) => <Tag color={requestColors[status]}>{status}</Tag>;

export const ActiveTag = ({ active, yes = 'active', no = 'inactive' }: { active: boolean; yes?: string; no?: string }) => (
  <Tag color={active ? 'green' : 'default'}>{active ? yes : no}</Tag>
);

export const RoleTags = ({ roles }: { roles: string[] }) => (
  <Space size={[0, 4]} wrap>
    {roles.map((r) => (
      <Tag key={r} color={roleColors[r] ?? 'default'}>
        {r.replace(/_/g, ' ')}
      </Tag>
    ))}
  </Space>
);
