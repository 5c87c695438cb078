import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { accessConstraints } from '../modules/access/access.constraints.js';
import { auditConstraints } from '../modules/audit/audit.constraints.js';
import { zoneConstraints } from '../modules/zones/zones.constraints.js';
import { customerConstraints } from '../modules/customers/customers.constraints.js';
import { catalogConstraints } from '../modules/catalog/catalog.constraints.js';
import { staffConstraints } from '../modules/staff/staff.constraints.js';
import { subscriptionConstraints } from '../modules/subscriptions/subscriptions.constraints.js';
import { orderConstraints } from '../modules/orders/orders.constraints.js';
import { deliveryConstraints } from '../modules/deliveries/deliveries.constraints.js';
import { billingConstraints } from '../modules/billing/billing.constraints.js';
import { invoiceConstraints } from '../modules/invoices/invoices.constraints.js';
import { settingsConstraints } from '../modules/settings/settings.constraints.js';
import { paymentConstraints } from '../modules/payments/payments.constraints.js';
import { refundConstraints } from '../modules/refunds/refunds.constraints.js';
import { gatewayConstraints } from '../modules/gateway/gateway.constraints.js';
import { settlementConstraints } from '../modules/settlements/settlements.constraints.js';
import { creditNoteConstraints } from '../modules/credit-notes/credit-notes.constraints.js';
import { disputeConstraints } from '../modules/disputes/disputes.constraints.js';
import { depotConstraints } from '../modules/depots/depots.constraints.js';
import { inventoryConstraints } from '../modules/inventory/inventory.constraints.js';
import { notificationConstraints } from '../modules/notifications/notifications.constraints.js';
import { fieldConstraints } from '../modules/field/field.constraints.js';
import { alertConstraints } from '../modules/alerts/alerts.constraints.js';
import { earningsConstraints } from '../modules/earnings/earnings.constraints.js';

interface ConstraintMeaning {
  status: ContentfulStatusCode;
  code: string;
  message: string;
}
export type ConstraintMeanings = Record<string, ConstraintMeaning>;

/** One table from the entries of each module, imported explicitly here; a name given twice stops the API at startup. */
function merge(...tables: ConstraintMeanings[]): ConstraintMeanings {
  const all: ConstraintMeanings = {};
  for (const table of tables) {
    for (const [name, meaning] of Object.entries(table)) {
      if (all[name]) throw new Error(`Constraint ${name} is described twice.`);
      all[name] = meaning;
    }
  }
  return all;
}

// Every named constraint a person can trip over, mapped to what they should be told: one entry file per module.
const meanings = merge(
  accessConstraints,
  auditConstraints,
  zoneConstraints,
  customerConstraints,
  catalogConstraints,
  staffConstraints,
  subscriptionConstraints,
  orderConstraints,
  deliveryConstraints,
  billingConstraints,
  invoiceConstraints,
  settingsConstraints,
  paymentConstraints,
  refundConstraints,
  gatewayConstraints,
  settlementConstraints,
  creditNoteConstraints,
  disputeConstraints,
  depotConstraints,
  inventoryConstraints,
  notificationConstraints,
  fieldConstraints,
  alertConstraints,
  earningsConstraints,
);

export function describeConstraint(name: string): ConstraintMeaning | undefined {
  return meanings[name];
}
