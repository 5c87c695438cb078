// The legacy importer's run and report as GET /api/imports/latest returns them (see api/modules/imports).

export type AnomalyKind =
  | 'orphan_order'
  | 'phantom_delivery'
  | 'duplicate_delivery_mark'
  | 'rejected_document'
  | 'customer_without_user'
  | 'merged_record'
  | 'unmatched_billing_record'
  | 'unbilled_delivery';

export interface ImportAnomaly {
  id: string;
  run_id: string;
  kind: AnomalyKind;
  collection: string;
  legacy_id: string | null;
  record_id: string | null;
  detail: Record<string, unknown> & {
    date?: string;
    month?: string;
    status?: string;
    order_type?: string;
    customer_id?: string;
    order_id?: string;
    kept_row?: string;
    line?: number | null;
    reason?: string;
    value_paise?: number;
    amount_paise?: number;
    billed?: boolean;
    delivery_rows?: number;
  };
  created_at: string;
}

export const anomalyKindLabels: Record<AnomalyKind, string> = {
  orphan_order: 'Order of an unknown customer',
  phantom_delivery: 'Delivery mark without an order',
  duplicate_delivery_mark: 'Order marked delivered twice',
  rejected_document: 'Unreadable document',
  customer_without_user: 'Customer without a user link',
  merged_record: 'Customer merged (same phone)',
  unmatched_billing_record: 'Old bill matching no order',
  unbilled_delivery: 'Delivered, never billed (recovered)',
};

export interface CollectionCount {
  read: number;
  imported: number;
  rejected: number;
  already_imported?: number;
  linked_existing?: number;
  skipped?: number;
}

export interface ImportReport {
  run_id: string | null;
  source: string;
  dry_run: boolean;
  started_at: string;
  finished_at: string;
  duration_ms: number;
  counts: Record<string, CollectionCount>;
  anomalies: {
    customers_without_user_id: number;
    orphan_orders: number;
    phantom_deliveries: number;
    duplicate_delivery_marks: number;
    orders_delivery_linked_by_order_id: number;
    orders_delivery_linked_by_customer_and_date: number;
    delivered_one_time_orders: number;
    unbilled_delivered_one_time_orders: number;
    unbilled_delivered_one_time_paise: number;
    delivered_value_paise: number;
  };
  backfill: { billing_records_created: number; amount_paise: number; orders?: number; tax_paise?: number; total_paise?: number };
  legacy_billed?: { billing_records: number; amount_paise: number };
  other_findings?: Record<string, number>;
  zones_created?: string[];
  products_needing_tax_review?: string[];
  rejected?: { collection: string; legacy_id: string | null; line: number | null; reason: string }[];
  rejected_total?: number;
  notes?: string[];
}

export interface ImportRun {
  id: string;
  started_at: string;
  finished_at: string | null;
  status: 'running' | 'completed' | 'failed';
  dry_run: boolean;
  source: string;
  report: ImportReport | null;
  error: string | null;
  actor_id: string | null;
}
