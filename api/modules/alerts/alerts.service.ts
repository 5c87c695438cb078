import { sql } from 'drizzle-orm';
import type { Db } from '../../../db/client.js';
import { alertRules, alerts } from '../../../db/schema/index.js';
import { audit } from '../../lib/audit.js';
import { transaction, type Ctx } from '../../lib/context.js';
import type { Resource } from '../../lib/crud.js';
import { rowsOf } from '../../lib/sql.js';
import { enqueueNotifications } from '../notifications/outbox.js';
import { DATA_HEALTH_STALE_MS, startDataHealthRun } from '../health/health.service.js';
import { ALERT_UNITS, measure, type AlertKind } from './alert-checks.js';

export const alertRuleResource: Resource = { name: 'alert-rules', label: 'Alert rule', table: alertRules };

const ruleName = sql<string>`(select r.name from alert_rules r where r.id = ${alerts.rule_id})`;
const ruleKind = sql<string>`(select r.kind::text from alert_rules r where r.id = ${alerts.rule_id})`;
export const alertColumns = { rule_name: ruleName, kind: ruleKind };
export const alertResource: Resource = {
  name: 'alerts',
  label: 'Alert',
  table: alerts,
  selection: {
    id: alerts.id, rule_id: alerts.rule_id, fired_at: alerts.fired_at, cleared_at: alerts.cleared_at, value: alerts.value, threshold: alerts.threshold,
    last_value: alerts.last_value, cleared_value: alerts.cleared_value, note: alerts.note, rule_name: ruleName.as('rule_name'), kind: ruleKind.as('kind'),
  },
};

/** Keeps a week of request statistics beyond the longest window (alert_rules_window_valid: 7 days). */
const REQUEST_STATS_KEEP_DAYS = 8;
/** One number for the advisory lock every API process takes to run the checks (one at a time). */
const ALERT_LOCK = 717_017;

interface RuleRow {
  id: string;
  kind: AlertKind;
  name: string;
  threshold: number;
  window_minutes: number;
  enabled: boolean;
}
interface OpenRow {
  id: string;
  rule_id: string;
  fired_at: Date;
  value: number;
}

export interface AlertCheckResult {
  /** Another process held the lock: it is checking now, this one did nothing. */
  skipped: boolean;
  fired: string[];
  cleared: string[];
  /** The data-health run this check started (the rule's last run was older than its window), for tests to await. */
  dataHealthRun?: Promise<void>;
}

async function admins(db: Db): Promise<{ id: string; email: string }[]> {
  return rowsOf(
    await db.execute(sql`select distinct u.id, u.email from users u join user_roles ur on ur.user_id = u.id join roles r on r.id = ur.role_id
      where r.name = 'admin' and u.is_active order by u.email`),
  );
}

/**
 * Checks every rule once: fires an incident for a rule above its threshold with none open, clears the open one of a
 * rule back at or under it (or disabled), and writes each firing and clearing to the outbox (an email to each active
 * admin) in the same transaction. Any API process may call it: the transaction-scoped advisory lock lets one check at a
 * time (the others skip), and alerts_one_open_per_rule refuses a second open incident even without it.
 * `startDataHealth: false` (a process with MILKRUN_JOBS=0) reads the last data-health run but never starts one.
 */
export async function checkAlerts(ctx: Ctx, opts: { startDataHealth?: boolean } = {}): Promise<AlertCheckResult> {
  // The data-health rule reads the last run: start a fresh one in the background when it is older than the window
  // (one run at a time across processes: data_health_runs_one_running). The run is background work (52 s of queries
  // at 50,000 customers), so only a process that runs the jobs starts it.
  let dataHealthRun: Promise<void> | undefined;
  if (opts.startDataHealth !== false) {
    const [dh] = rowsOf<{ window_minutes: number; last: Date | null }>(
      await ctx.db.execute(sql`select min(window_minutes)::int as window_minutes, (select max(finished_at) from data_health_runs) as last
        from alert_rules where kind = 'data_health_broken' and enabled`),
    );
    const age = dh?.last ? Date.now() - new Date(dh.last).getTime() : Infinity;
    if (dh?.window_minutes && age > Math.max(dh.window_minutes * 60_000, DATA_HEALTH_STALE_MS)) dataHealthRun = (await startDataHealthRun(ctx))?.done;
  }

  const result = await transaction(ctx, async (tx): Promise<AlertCheckResult> => {
    const [lock] = rowsOf<{ locked: boolean }>(await tx.db.execute(sql`select pg_try_advisory_xact_lock(${ALERT_LOCK}) as locked`));
    if (!lock.locked) return { skipped: true, fired: [], cleared: [] };
    const rules = rowsOf<RuleRow>(await tx.db.execute(sql`select id, kind::text as kind, name, threshold, window_minutes, enabled from alert_rules order by name`));
    const open = new Map(
      rowsOf<OpenRow>(await tx.db.execute(sql`select id, rule_id, fired_at, value from alerts where cleared_at is null for update`)).map((a) => [a.rule_id, a]),
    );
    const to = await admins(tx.db);
    const fired: string[] = [];
    const cleared: string[] = [];
    for (const rule of rules) {
      const incident = open.get(rule.id);
      if (!rule.enabled) {
        if (incident) {
          await tx.db.execute(sql`update alerts set cleared_at = now(), note = 'The rule was disabled.' where id = ${incident.id}::uuid`);
          await audit(tx, { action: 'clear', table: 'alerts', recordId: incident.id, after: { rule: rule.name, reason: 'rule disabled' } });
          cleared.push(incident.id);
        }
        continue;
      }
      const value = await measure(tx.db, rule.kind, rule.window_minutes);
      const payload = { rule: { id: rule.id, name: rule.name, kind: rule.kind }, value, threshold: rule.threshold, unit: ALERT_UNITS[rule.kind], window_minutes: rule.window_minutes };
      if (value > rule.threshold && !incident) {
        const [row] = rowsOf<{ id: string; fired_at: Date }>(
          await tx.db.execute(sql`insert into alerts (rule_id, value, threshold, last_value) values (${rule.id}::uuid, ${value}, ${rule.threshold}, ${value}) returning id, fired_at`),
        );
        await audit(tx, { action: 'fire', table: 'alerts', recordId: row.id, after: payload });
        await enqueueNotifications(
          tx.db,
          to.map((a) => ({ channel: 'email' as const, recipient: a.email, userId: a.id, template: 'alert.fired', dedupeKey: `alert:${row.id}:fired:${a.id}`, payload: { ...payload, alert_id: row.id, fired_at: row.fired_at } })),
        );
        fired.push(row.id);
      } else if (incident && value <= rule.threshold) {
        await tx.db.execute(sql`update alerts set cleared_at = now(), cleared_value = ${value}, last_value = ${value} where id = ${incident.id}::uuid`);
        await audit(tx, { action: 'clear', table: 'alerts', recordId: incident.id, after: payload });
        await enqueueNotifications(
          tx.db,
          to.map((a) => ({ channel: 'email' as const, recipient: a.email, userId: a.id, template: 'alert.cleared', dedupeKey: `alert:${incident.id}:cleared:${a.id}`, payload: { ...payload, alert_id: incident.id, fired_at: incident.fired_at, fired_value: incident.value } })),
        );
        cleared.push(incident.id);
      } else if (incident) {
        await tx.db.execute(sql`update alerts set last_value = ${value} where id = ${incident.id}::uuid`);
      }
    }
    await tx.db.execute(sql`delete from request_stats where minute < now() - make_interval(days => ${REQUEST_STATS_KEEP_DAYS})`);
    return { skipped: false, fired, cleared };
  });
  return dataHealthRun ? { ...result, dataHealthRun } : result;
}
