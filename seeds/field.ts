import { sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { todayIST } from '../api/lib/dates.js';
import { rowsOf } from '../api/lib/sql.js';
import { confirmDelivery, failDelivery } from '../api/modules/deliveries/deliveries.service.js';
import { optimiseRun } from '../api/modules/field/run-order.service.js';
import { haversineM, type Point } from '../api/modules/field/route-optimiser.js';
import { breathe, systemCtx } from './history.js';
import { Random } from './random.js';

const MINUTE = 60_000;
/** The morning run as the demo plays it, IST. */
const RUN_FROM = '05:30';
const RUN_TO = '07:45';

/** The point `d` metres along the polyline (its end past its length). */
function along(path: Point[], d: number): Point {
  let left = d;
  for (let i = 1; i < path.length; i++) {
    const leg = haversineM(path[i - 1], path[i]);
    if (left <= leg && leg > 0) {
      const f = left / leg;
      return { lat: path[i - 1].lat + (path[i].lat - path[i - 1].lat) * f, lng: path[i - 1].lng + (path[i].lng - path[i - 1].lng) * f };
    }
    left -= leg;
  }
  return path[path.length - 1];
}

/**
 * Today's runs put in order (every staff member's morning and evening run, from their zone's depot), and the morning
 * run played up to now: each van's GPS trail from its depot along its stops, one position a minute, and the stops it
 * has passed delivered (a few failed). Before the run's hours (a demo started at night) it plays the last 45 minutes
 * instead, so the live map always opens on vans out on their runs. Positions are written as the phones' posts would
 * leave them (within the last day, at most one per 10 s).
 */
export async function seedField(db: Db, userIds: Record<string, string>, opts: { seed: number; log?: (line: string) => void; now?: Date }): Promise<void> {
  const log = opts.log ?? (() => {});
  const rnd = new Random(opts.seed);
  const now = opts.now ?? new Date();
  const today = todayIST();
  const dayStart = Date.parse(`${today}T00:00:00+05:30`);
  // The first minutes after midnight leave no room for a run today.
  if (now.getTime() - dayStart < 10 * MINUTE) return;
  const manager = await systemCtx(db, userIds.manager);
  const runs = rowsOf<{ staff_id: string; shift: 'morning' | 'evening' }>(
    await db.execute(sql`
      select distinct d.staff_id, o.shift from deliveries d join orders o on o.id = d.order_id
      where d.order_date = ${today} and d.staff_id is not null and o.status <> 'cancelled' order by d.staff_id, o.shift`),
  );
  let positions = 0;
  let done = 0;
  const runFrom = Date.parse(`${today}T${RUN_FROM}:00+05:30`);
  const runTo = Date.parse(`${today}T${RUN_TO}:00+05:30`);
  let [from, to] = [runFrom, Math.min(runTo, now.getTime() - MINUTE)];
  if (to - from < 20 * MINUTE) [from, to] = [Math.max(dayStart + MINUTE, now.getTime() - 45 * MINUTE), now.getTime() - MINUTE];
  // How far along its run each van is: all of it after the run's hours, else the share of them gone (at least a third).
  const share = to >= runTo ? 1 : Math.max(0.35, (to - runFrom) / (runTo - runFrom));

  for (const run of runs) {
    await breathe();
    const order = await optimiseRun(manager, { staff_id: run.staff_id, shift: run.shift, date: today });
    if (run.shift !== 'morning') continue;
    const located = order.stops.filter((s): s is typeof s & Point => s.lat !== null && s.lng !== null);
    if (!located.length) continue;
    const path: Point[] = [...(order.start.depot ? [order.start.depot] : []), ...located];
    const length = path.slice(1).reduce((sum, p, i) => sum + haversineM(path[i], p), 0);
    const reached = length * share * (0.85 + rnd.next() * 0.15);

    // One position a minute along the path up to where the van is now, with a few metres of GPS noise.
    const rows: string[] = [];
    const steps = Math.max(1, Math.floor((to - from) / MINUTE));
    for (let i = 0; i <= steps; i++) {
      const p = along(path, (reached * i) / steps);
      const at = new Date(from + ((to - from) * i) / steps);
      const lat = p.lat + (rnd.next() - 0.5) * 0.0002;
      const lng = p.lng + (rnd.next() - 0.5) * 0.0002;
      rows.push(`('${run.staff_id}', ${lat.toFixed(6)}, ${lng.toFixed(6)}, ${rnd.int(4, 25)}, '${at.toISOString()}')`);
    }
    await db.execute(sql.raw(`insert into staff_positions (staff_id, lat, lng, accuracy_m, recorded_at) values ${rows.join(', ')} on conflict do nothing`));
    positions += rows.length;

    // The stops the van has passed: delivered when it passed them (one in twenty failed).
    const pending = rowsOf<{ id: string; address_id: string }>(
      await db.execute(sql`
        select d.id, o.address_id from deliveries d join orders o on o.id = d.order_id
        where d.staff_id = ${run.staff_id} and d.order_date = ${today} and o.shift = 'morning' and d.status = 'pending' and o.status = 'pending'`),
    );
    let walked = order.start.depot ? 0 : -1;
    let previous: Point | null = order.start.depot;
    for (const stop of located) {
      walked = previous ? walked + haversineM(previous, stop) : 0;
      previous = stop;
      if (walked > reached) break;
      const at = new Date(from + (to - from) * (reached > 0 ? walked / reached : 0));
      for (const d of pending.filter((p) => p.address_id === stop.address_id)) {
        if (rnd.next() < 0.05) await failDelivery(manager, d.id, { reason: rnd.pick(['Door locked, no answer', 'Customer asked to skip today']), at });
        else await confirmDelivery(manager, d.id, { delivered_at: at, lat: stop.lat, lng: stop.lng });
        done++;
      }
    }
  }
  log(`field: ${runs.length} runs of today in order, ${positions} GPS positions, ${done} of this morning's deliveries made`);
}
