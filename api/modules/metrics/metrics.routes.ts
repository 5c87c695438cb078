import { createHash, timingSafeEqual } from 'node:crypto';
import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context, MiddlewareHandler } from 'hono';
import type { Logger } from 'pino';
import type { Database } from '../../../db/client.js';
import { problem } from '../../lib/errors.js';
import type { AppEnv, Router } from '../../lib/http.js';
import { httpDuration, httpRequests, registry, validationFailures } from '../../lib/metrics.js';
import { recordRequest } from '../alerts/request-stats.js';
import { readDatabaseGauges } from './metrics.service.js';

export const METRICS_PATH = '/metrics';

/** Paths of our own plumbing, logged at debug: a load balancer and Prometheus call them every few seconds. */
const quiet = new Set(['/api/health', METRICS_PATH]);

/**
 * Times every request and counts it by route PATTERN (`/api/customers/:id`, never the id: one series per route, not
 * per customer), then writes the request's one log line: request id, user id, method, route, path, status, duration.
 * Never the query string, headers or body (tokens and passwords travel there).
 */
export function observeRequests(logger: Logger): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const started = performance.now();
    await next();
    const seconds = (performance.now() - started) / 1000;
    const route = c.req.routePath;
    const status = c.res.status;
    const labels = { route, method: c.req.method, status: String(status) };
    httpRequests.inc(labels);
    httpDuration.observe(labels, seconds);
    if (status === 400) validationFailures.inc({ route });
    if (!quiet.has(c.req.path)) recordRequest(seconds, status);
    const line = { req: c.get('requestId'), user: c.get('ctx')?.actor?.id ?? null, method: c.req.method, route, path: c.req.path, status, ms: Math.round(seconds * 1000) };
    if (quiet.has(c.req.path) || !c.req.path.startsWith('/api/')) logger.debug(line, 'request');
    else logger.info(line, 'request');
  };
}

/** A loopback caller: the machine itself (Prometheus beside it), unless a proxy on this machine forwarded the call. */
function fromLoopback(c: Context): boolean {
  if (c.req.header('x-forwarded-for') || c.req.header('forwarded')) return false;
  let address: string | undefined;
  try {
    address = getConnInfo(c).remote.address;
  } catch {
    return false; // no socket (an in-process call): not provably local
  }
  return address === '127.0.0.1' || address === '::1' || address === '::ffff:127.0.0.1';
}

/** Constant-time comparison of the bearer token (hashes first, so lengths do not leak either). */
function tokenMatches(header: string | undefined, token: string | undefined): boolean {
  if (!token || !header?.startsWith('Bearer ')) return false;
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(header.slice('Bearer '.length)), digest(token));
}

/**
 * GET /metrics: Prometheus text. No session: loopback callers, or anyone with `Authorization: Bearer $METRICS_TOKEN`
 * (401 otherwise, whatever else it sends).
 */
export function mountMetrics(app: Router, deps: { database: Database; metricsToken?: string }) {
  app.get(METRICS_PATH, async (c) => {
    if (!fromLoopback(c) && !tokenMatches(c.req.header('authorization'), deps.metricsToken)) {
      c.header('WWW-Authenticate', 'Bearer realm="metrics"');
      return problem(c, 401, 'unauthorized', 'Metrics answer the machine itself, or a caller with Authorization: Bearer and the METRICS_TOKEN.');
    }
    await readDatabaseGauges(deps.database);
    return c.body(await registry.metrics(), 200, { 'content-type': registry.contentType });
  });
}
