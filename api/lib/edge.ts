import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { cors } from 'hono/cors';
import { createMiddleware } from 'hono/factory';
import { secureHeaders } from 'hono/secure-headers';
import type { AppEnv } from './http.js';
import { problem } from './errors.js';

// Rules every API request passes before any route sees it, whatever the route (one place, so no route can forget).

const hasNul = (value: unknown): boolean => {
  if (typeof value === 'string') return value.includes('\u0000');
  if (Array.isArray(value)) return value.some(hasNul);
  if (value && typeof value === 'object') return Object.entries(value).some(([k, v]) => k.includes('\u0000') || hasNul(v));
  return false;
};

/**
 * PostgreSQL refuses NUL in text, so a NUL anywhere (path, query, JSON body) would end as a 500 deep in a query.
 * A URL can only carry it as %00; a JSON body as \u0000 in a string or key, found by walking the parsed body
 * (Hono caches the text, so the route's validator reads the same body again without a second read).
 */
export const refuseNul = createMiddleware<AppEnv>(async (c, next) => {
  const nul = () => problem(c, 400, 'bad_text', 'Text may not contain the NUL character (\\u0000).');
  if (/%00/.test(c.req.url) || c.req.url.includes('\u0000')) return nul();
  if (/^application\/([\w.-]+\+)?json/i.test(c.req.header('content-type') ?? '')) {
    const text = await c.req.text();
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined; // malformed JSON is the validator's to refuse, with its own message
    }
    if (hasNul(body)) return nul();
  }
  await next();
});

const isJson = (type: string) => /^application\/([\w.-]+\+)?json\s*(;|$)/i.test(type);
const writes = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * A cross-site page can make the browser send a form or a "simple" fetch with the session cookie, but only
 * with a form content type or none, and without custom headers. So every state-changing request must be JSON,
 * or, when it has no body, carry X-Requested-With (the admin sends it on every request): neither can be sent
 * cross-site without a CORS preflight, which only the configured origins pass.
 */
export const requireJsonWrites = createMiddleware<AppEnv>(async (c, next) => {
  if (!writes.has(c.req.method) || isJson(c.req.header('content-type') ?? '')) return next();
  // Browsers send Content-Length: 0 on a bodiless POST and no length at all on a bodiless DELETE. Over HTTP a request
  // with neither Content-Length nor Transfer-Encoding has no body (RFC 9112, 6.3), though the Node adapter still hands
  // an empty body stream for every method but GET and HEAD; in-process (app.request, no socket in c.env) neither header
  // is set, so there only a request with no body stream at all is bodiless.
  const length = c.req.header('content-length');
  const overHttp = Boolean((c.env as { incoming?: unknown } | undefined)?.incoming);
  const bodiless = !c.req.header('transfer-encoding') && (length !== undefined ? Number(length) === 0 : overHttp || c.req.raw.body === null);
  if (bodiless && c.req.header('x-requested-with')) return next();
  return problem(
    c,
    415,
    'unsupported_media_type',
    'Send changes as JSON (Content-Type: application/json); a request without a body needs the header X-Requested-With instead.',
  );
});

/** 1 MB: the largest body any route takes (there are no uploads: imports run from the command line). */
export const DEFAULT_BODY_LIMIT = 1024 * 1024;

/**
 * Refuses a body over `maxSize` bytes (413). A body with a Content-Length (and no Transfer-Encoding) is judged by it,
 * as Hono's bodyLimit does, but without asking for `c.req.raw.body`: on the Node server that would build a whole Web
 * Request with a stream around the socket on every request, and make the route read its body through that stream. A
 * body without a length (chunked, or in-process) goes through Hono's bodyLimit, which counts the bytes as they come.
 */
export const limitBody = (maxSize: number) => {
  const onError = (c: Context) => problem(c, 413, 'payload_too_large', `The request body is larger than the ${Math.round(maxSize / 1024)} KB this API accepts.`);
  const counting = bodyLimit({ maxSize, onError });
  return createMiddleware(async (c, next) => {
    const method = c.req.method;
    if (method === 'GET' || method === 'HEAD') return next(); // never a body (the Node server and Request drop it)
    const length = c.req.header('content-length');
    if (length !== undefined && !c.req.header('transfer-encoding')) return parseInt(length || '0', 10) > maxSize ? onError(c) : next();
    return counting(c, next);
  });
};

/**
 * Security headers on every answer (API, admin, docs). The admin is one script from 'self'; antd writes its
 * styles into <style> elements at run time, hence 'unsafe-inline' for styles only. Data URIs: the favicon and
 * swagger-ui's icons. No framing at all (clickjacking), no MIME sniffing, no referrer sent to other sites.
 */
export const SECURE_HEADERS_OPTIONS: Parameters<typeof secureHeaders>[0] = {
  contentSecurityPolicy: {
    defaultSrc: ["'self'"],
    scriptSrc: ["'self'"],
    styleSrc: ["'self'", "'unsafe-inline'"],
    imgSrc: ["'self'", 'data:', 'blob:'],
    fontSrc: ["'self'", 'data:'],
    connectSrc: ["'self'"],
    objectSrc: ["'none'"],
    baseUri: ["'self'"],
    formAction: ["'self'"],
    frameAncestors: ["'none'"],
  },
  xFrameOptions: 'DENY',
  referrerPolicy: 'same-origin',
};

/** The headers Hono's secureHeaders(SECURE_HEADERS_OPTIONS) sets, read once from the middleware itself. */
let secureList: Promise<[string, string][]> | undefined;
export const secureHeaderList = () =>
  (secureList ??= (async () => {
    const probe = new Hono();
    probe.use(secureHeaders(SECURE_HEADERS_OPTIONS));
    probe.get('/', (c) => c.body(null, 204));
    const res = await probe.request('/');
    return [...res.headers].filter(([name]) => name !== 'content-type');
  })());

/**
 * The headers above on every answer, as Hono's secureHeaders sets them (over whatever the route set, X-Powered-By
 * removed), but written into the answer before the route makes it: Hono's middleware sets them on the finished
 * Response, which on the Node server turns its light answer into a whole Web Response read back through a stream (a
 * large part of a small request's cost). After the route, only a header that is not as it should be is set again.
 * A PDF goes without the CSP, which would keep the browser's own PDF viewer from showing it in a tab.
 */
export const securityHeaders = createMiddleware(async (c, next) => {
  const list = await secureHeaderList();
  for (const [name, value] of list) c.header(name, value);
  await next();
  const headers = c.res.headers;
  for (const [name, value] of list) if (headers.get(name) !== value) headers.set(name, value);
  if (headers.has('x-powered-by')) headers.delete('x-powered-by');
  if (headers.get('content-type')?.startsWith('application/pdf')) headers.delete('content-security-policy');
});

/**
 * CORS for the configured origins (credentials allowed; the admin served by this app is same-origin and needs none):
 * Hono's cors for a preflight (OPTIONS); on every other request its same headers, written before the route answers
 * (Hono's sets them on a Response made before the route's, which then has to be rebuilt around the route's answer).
 */
export function corsFor(origins: readonly string[]) {
  const expose = ['x-total-count', 'x-total-count-estimated'];
  const preflight = cors({
    origin: (origin) => (origins.includes(origin) ? origin : null),
    credentials: true,
    exposeHeaders: expose,
    allowHeaders: ['content-type', 'idempotency-key', 'x-requested-with', 'x-totp'],
    allowMethods: ['GET', 'POST', 'PATCH', 'PUT', 'DELETE', 'OPTIONS'],
  });
  const exposed = expose.join(',');
  return createMiddleware(async (c, next) => {
    if (c.req.method === 'OPTIONS') return preflight(c, next);
    const origin = c.req.header('origin') ?? '';
    const allowed = origins.includes(origin) ? origin : null;
    const set = (headers: { set(name: string, value: string): void }) => {
      if (allowed) headers.set('Access-Control-Allow-Origin', allowed);
      headers.set('Access-Control-Allow-Credentials', 'true');
      headers.set('Access-Control-Expose-Headers', exposed);
    };
    set({ set: (name, value) => c.header(name, value) });
    await next();
    const headers = c.res.headers;
    // Hono's lets its headers win over the route's, as here (a route's answer made without c.* gets them now).
    if (headers.get('access-control-expose-headers') !== exposed || (allowed && headers.get('access-control-allow-origin') !== allowed) || headers.get('access-control-allow-credentials') !== 'true') set(headers);
    headers.append('Vary', 'Origin');
  });
}
