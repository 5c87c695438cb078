// Records as the API returns them (snake_case column names).

export type CustomerStatus = 'active' | 'paused' | 'inactive';
export type RequestStatus = 'pending' | 'approved' | 'rejected';

export interface Zone {
  id: string;
  name: string;
  customer_count: number;
  created_at: string;
  updated_at: string;
}

export interface Customer {
  id: string;
  name: string;
  phone: string;
  email: string | null;
  zone_id: string;
  zone_name: string;
  status: CustomerStatus;
  notes: string;
  address_count: number;
  created_at: string;
  updated_at: string;
}

export interface Address {
  id: string;
  customer_id: string;
  label: string;
  line1: string;
  line2: string;
  landmark: string;
  city: string;
  pin_code: string;
  lat: number | null;
  lng: number | null;
  is_default: boolean;
  created_at: string;
}

export interface Product {
  id: string;
  name: string;
  sku: string;
  category: string;
  unit: string;
  unit_size: string;
  price_paise: number;
  hsn_code: string;
  gst_rate_bp: number;
  is_active: boolean;
  created_at: string;
}

export interface ProductRequest {
  id: string;
  name: string;
  category: string;
  unit: string;
  unit_size: string;
  price_paise: number;
  hsn_code: string;
  gst_rate_bp: number;
  note: string;
  requested_by: string;
  requested_by_name: string | null;
  status: RequestStatus;
  decided_by: string | null;
  decided_by_name: string | null;
  decided_at: string | null;
  reject_reason: string | null;
  product_id: string | null;
  created_at: string;
}

export interface AuditLog {
  id: string;
  created_at: string;
  user_id: string | null;
  user_email: string | null;
  action: string;
  table_name: string;
  record_id: string | null;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  request_id: string | null;
}

export interface User {
  id: string;
  email: string;
  name: string;
  is_active: boolean;
  roles: string[];
  totp_enabled: boolean;
  created_at: string;
}

export interface RolePermission {
  resource: string;
  action: string;
  conditions: unknown;
}

export interface Role {
  id: string;
  name: string;
  description: string;
  member_count: number;
  permissions: RolePermission[];
  created_at: string;
}

export interface BulkResult {
  succeeded: string[];
  failed: { id: string; message: string }[];
}
