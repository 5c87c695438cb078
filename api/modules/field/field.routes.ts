import { createRoute, z } from '@hono/zod-openapi';
import { jsonBody, ok, permit, type Router } from '../../lib/http.js';
import type { EventHub } from '../../lib/pubsub.js';
import { EVENTS_PERMISSION, eventStream } from './events.js';
import { MapAnswer, MapQuery, OptimiseBody, PositionBody, PositionResult, RunOrder, RunOrderBody } from './field.schemas.js';
import { liveMap, type TileConfig } from './map.service.js';
import { recordPosition } from './positions.service.js';
import { optimiseRun, saveRunOrder } from './run-order.service.js';

export interface FieldOptions {
  hub: EventHub;
  tile: TileConfig;
}

/** The live map, staff GPS positions, the event stream and the order of runs (issue 15). */
export function mountField(app: Router, opts: FieldOptions) {
  app.openapi(
    createRoute({
      ...permit('staff-positions', 'create'),
      method: 'post',
      path: '/api/staff/me/positions',
      tags: ['field'],
      summary: "Delivery staff: post the phone's GPS position (at most one per 10 s is kept; a faster one answers 200 with kept: false)",
      request: jsonBody(PositionBody),
      responses: { 201: { content: { 'application/json': { schema: PositionResult } }, description: 'Kept' }, ...ok(PositionResult, 'Not kept: one of the same 10 seconds is') },
    }),
    async (c) => {
      const result = await recordPosition(c.get('ctx'), c.req.valid('json'));
      return c.json(result, result.kept ? 201 : 200);
    },
  );
  app.openapi(
    createRoute({
      ...permit('map', 'show'),
      method: 'get',
      path: '/api/map',
      tags: ['field'],
      summary: "A day's and shift's deliveries with their positions, the staff's last positions of the day, the depots and the tile source",
      request: { query: MapQuery },
      responses: ok(MapAnswer, 'The map'),
    }),
    async (c) => c.json(await liveMap(c.get('ctx'), c.req.valid('query'), opts.tile), 200),
  );
  app.openapi(
    createRoute({
      ...permit(EVENTS_PERMISSION.resource, EVENTS_PERMISSION.action),
      method: 'get',
      path: '/api/events',
      tags: ['field'],
      summary: 'Server-sent events: `staff.position` ({staff_id, zone_id, lat, lng, accuracy_m, at}); `end` when the session ends. Heartbeats every 15 s.',
      responses: { 200: { content: { 'text/event-stream': { schema: z.string() } }, description: 'The event stream' } },
    }),
    // Typed as the JSON routes are; the answer is a stream (the OpenAPI document says text/event-stream).
    ((c: never) => eventStream(c, opts.hub)) as never,
  );
  app.openapi(
    createRoute({
      ...permit('run-sheets', 'edit'),
      method: 'post',
      path: '/api/run-sheets/optimise',
      tags: ['run-sheets'],
      summary: "Put a staff member's run of a day in order from the zone's depot (nearest neighbour, then 2-opt); the order is kept for the run's next days",
      request: jsonBody(OptimiseBody),
      responses: ok(RunOrder, 'The run in its new order, with its distance'),
    }),
    async (c) => c.json(await optimiseRun(c.get('ctx'), c.req.valid('json')), 200),
  );
  app.openapi(
    createRoute({
      ...permit('run-sheets', 'edit'),
      method: 'post',
      path: '/api/run-sheets/order',
      tags: ['run-sheets'],
      summary: "Keep a run's order set by hand (each of the day's stop addresses once, in order)",
      request: jsonBody(RunOrderBody),
      responses: ok(RunOrder, 'The run in its new order, with its distance'),
    }),
    async (c) => c.json(await saveRunOrder(c.get('ctx'), c.req.valid('json')), 200),
  );
}
