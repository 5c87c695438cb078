/** A delivery staff member as GET /api/staff returns it. */
export interface Staff {
  id: string;
  name: string;
  phone: string;
  zone_id: string | null;
  zone_name: string | null;
  user_id: string | null;
  is_active: boolean;
  created_at: string;
  updated_at: string;
}
