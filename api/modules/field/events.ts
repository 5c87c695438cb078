import type { Context } from 'hono';
import { getCookie } from 'hono/cookie';
import { streamSSE, type SSEStreamingApi } from 'hono/streaming';
import { findPermission } from '../../lib/access.js';
import type { Actor } from '../../lib/context.js';
import type { AppEnv } from '../../lib/http.js';
import type { EventHub, LiveEvent } from '../../lib/pubsub.js';
import { SESSION_COOKIE } from '../auth/auth.routes.js';
import { actorForToken } from '../auth/auth.service.js';

/** The permission the stream needs, the same as the live map's. */
export const EVENTS_PERMISSION = { resource: 'map', action: 'show' } as const;

/** Tunable for tests: how often a stream sends a heartbeat and re-checks its session; how soon a browser reconnects. */
export const eventsTuning = { heartbeatMs: 15_000, retryMs: 3_000, maxQueued: 200 };

/** Whether the actor may receive the event: the map's grant, and (for a grant limited to zones) one of their zones. */
function mayReceive(actor: Actor, event: LiveEvent): boolean {
  const grant = findPermission(actor.permissions, EVENTS_PERMISSION.resource, EVENTS_PERMISSION.action);
  if (!grant) return false;
  if (!(grant.conditions as { zones?: boolean } | null)?.zones) return true;
  return typeof event.zone_id === 'string' && (actor.zone_ids ?? []).includes(event.zone_id);
}

/**
 * GET /api/events: server-sent events from the hub (LISTEN/NOTIFY, so events written through any API process arrive).
 * The session is checked again on every heartbeat: a logout, an ended session, a deactivated user or a removed grant
 * ends the stream with an `end` event (the browser's EventSource then reconnects, and the new request gets a 401).
 */
export function eventStream(c: Context<AppEnv>, hub: EventHub) {
  const ctx = c.get('ctx');
  let actor = ctx.actor!;
  const token = getCookie(c, SESSION_COOKIE) ?? '';
  return streamSSE(c, async (stream: SSEStreamingApi) => {
    let finish!: () => void;
    const finished = new Promise<void>((resolve) => (finish = resolve));
    // Writes go one after another; a client that stops reading is dropped rather than buffered without end.
    let queue: Promise<unknown> = Promise.resolve();
    let queued = 0;
    const send = (message: { event?: string; data: string; retry?: number } | string) => {
      if (stream.aborted || stream.closed) return;
      if (++queued > eventsTuning.maxQueued) return finish();
      queue = queue
        .then(async () => {
          if (typeof message === 'string') await stream.write(message);
          else await stream.writeSSE(message);
        })
        .catch(() => finish())
        .finally(() => queued--);
    };
    stream.onAbort(() => finish());

    const unsubscribe = await hub.subscribe((event) => {
      if (!mayReceive(actor, event)) return;
      const { type, ...data } = event;
      send({ event: type, data: JSON.stringify(data) });
    });
    send({ event: 'ready', data: JSON.stringify({ live: hub.available }), retry: eventsTuning.retryMs });

    const timer = setInterval(() => {
      void (async () => {
        try {
          const again = await actorForToken(ctx.db, token);
          if (!again || !findPermission(again.permissions, EVENTS_PERMISSION.resource, EVENTS_PERMISSION.action)) {
            send({ event: 'end', data: JSON.stringify({ reason: again ? 'forbidden' : 'signed_out' }) });
            await queue;
            return finish();
          }
          actor = again;
          send(': heartbeat\n\n');
        } catch (err) {
          ctx.log.warn({ err }, 'the event stream could not re-check its session; it ends and the browser reconnects');
          finish();
        }
      })();
    }, eventsTuning.heartbeatMs);
    try {
      await finished;
    } finally {
      clearInterval(timer);
      unsubscribe();
    }
  });
}
