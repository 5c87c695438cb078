import { alertKind, alertRules, alerts } from '../../../db/schema/index.js';
import { mountResource, type Router } from '../../lib/http.js';
import { Alert, AlertRule, AlertRuleCreate, AlertRuleUpdate } from './alerts.schemas.js';
import { alertColumns, alertResource, alertRuleResource } from './alerts.service.js';

/** Alert rules (list, show, create, edit; never deleted: their incidents keep them) and the incidents, admin only. */
export function mountAlerts(app: Router) {
  mountResource(app, {
    resource: alertRuleResource,
    row: AlertRule,
    list: {
      fields: {
        id: { column: alertRules.id, type: 'uuid' },
        kind: { column: alertRules.kind, type: 'enum', values: alertKind.enumValues, sortable: true },
        name: { column: alertRules.name, type: 'text', sortable: true },
        enabled: { column: alertRules.enabled, type: 'bool', sortable: true },
        threshold: { column: alertRules.threshold, type: 'int', sortable: true },
        window_minutes: { column: alertRules.window_minutes, type: 'int', sortable: true },
        created_at: { column: alertRules.created_at, type: 'timestamp', sortable: true },
      },
      search: [alertRules.name],
      defaultSort: { field: 'name', order: 'asc' },
    },
    create: { body: AlertRuleCreate },
    update: { body: AlertRuleUpdate },
  });
  // Incidents are written by the alert job only: a list and a show.
  mountResource(app, {
    resource: alertResource,
    row: Alert,
    list: {
      fields: {
        id: { column: alerts.id, type: 'uuid' },
        rule_id: { column: alerts.rule_id, type: 'uuid' },
        fired_at: { column: alerts.fired_at, type: 'timestamp', sortable: true },
        cleared_at: { column: alerts.cleared_at, type: 'timestamp', sortable: true },
        value: { column: alerts.value, type: 'int', sortable: true },
        kind: { column: alertColumns.kind, type: 'text', filterable: true },
      },
      search: [alertColumns.rule_name],
      defaultSort: { field: 'fired_at', order: 'desc' },
    },
  });
}
