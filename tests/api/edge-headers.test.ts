import { Hono, type MiddlewareHandler } from 'hono';
import { cors } from 'hono/cors';
import { createMiddleware } from 'hono/factory';
import { secureHeaders } from 'hono/secure-headers';
import { describe, expect, test } from 'vitest';
import { corsFor, limitBody, SECURE_HEADERS_OPTIONS, securityHeaders } from '../../api/lib/edge.js';

// api/lib/edge.ts writes CORS and security headers before the route answers (cheaper on the Node server); the answers
// must carry exactly what Hono's own cors and secureHeaders gave them, whatever way the route made its answer.
const ORIGIN = 'http://localhost:5173';

function appWith(corsMw: MiddlewareHandler, secure: MiddlewareHandler) {
  const app = new Hono();
  // As api/app.ts announces the request id.
  app.use('*', async (c, next) => {
    c.header('X-Request-Id', 'r1');
    await next();
    if (!c.res.headers.has('x-request-id')) c.res.headers.set('X-Request-Id', 'r1');
  });
  app.use('/api/*', corsMw);
  app.use('*', secure);
  app.get('/api/json', (c) => c.json({ ok: true }));
  app.get('/api/listed', (c) => {
    c.header('x-total-count', '3');
    return c.json([1, 2, 3]);
  });
  app.get('/api/raw', () => new Response('raw', { headers: { 'content-type': 'text/plain', 'x-powered-by': 'nothing' } }));
  app.get('/api/own-header', (c) => c.body('x', 200, { 'X-Frame-Options': 'SAMEORIGIN', Vary: 'Accept-Encoding' }));
  app.get('/api/pdf', (c) => c.body('%PDF', 200, { 'content-type': 'application/pdf' }));
  app.get('/api/boom', () => {
    throw new Error('boom');
  });
  app.get('/assets/app.js', (c) => c.body('js', 200, { 'content-type': 'text/javascript', Vary: 'Accept-Encoding' }));
  app.onError((_, c) => c.json({ error: true }, 500));
  return app;
}

const hono = appWith(
  cors({
    origin: (origin) => ([ORIGIN].includes(origin) ? origin : null),
    credentials: true,
    exposeHeaders: ['x-total-count', 'x-total-count-estimated'],
    allowHeaders: ['content-type', 'idempotency-key', 'x-requested-with', 'x-totp'],
    allowMethods: ['GET', 'POST', 'PATCH', 'PUT', 'DELETE', 'OPTIONS'],
  }),
  (() => {
    const secure = secureHeaders(SECURE_HEADERS_OPTIONS);
    return createMiddleware(async (c, next) => {
      await secure(c, next);
      if (c.res.headers.get('content-type')?.startsWith('application/pdf')) c.res.headers.delete('content-security-policy');
    });
  })(),
);
const ours = appWith(corsFor([ORIGIN]), securityHeaders);

const headersOf = (res: Response) => [...res.headers].sort(([a], [b]) => a.localeCompare(b));

describe('edge headers are those of Hono cors and secureHeaders', () => {
  const paths = ['/api/json', '/api/listed', '/api/raw', '/api/own-header', '/api/pdf', '/api/boom', '/api/nothing', '/assets/app.js'];
  for (const origin of [ORIGIN, 'https://evil.example', undefined]) {
    test(`every kind of answer, origin ${origin ?? 'none'}`, async () => {
      for (const path of paths) {
        const init: RequestInit = { headers: origin ? { origin } : {} };
        const [a, b] = await Promise.all([hono.request(path, init), ours.request(path, init)]);
        expect(b.status, path).toBe(a.status);
        expect(headersOf(b), path).toEqual(headersOf(a));
        expect(await b.text(), path).toBe(await a.text());
      }
    });
  }

  test('a preflight', async () => {
    const init = { method: 'OPTIONS', headers: { origin: ORIGIN, 'access-control-request-method': 'PATCH', 'access-control-request-headers': 'content-type' } };
    const [a, b] = await Promise.all([hono.request('/api/json', init), ours.request('/api/json', init)]);
    expect(b.status).toBe(a.status);
    expect(headersOf(b)).toEqual(headersOf(a));
  });
});

describe('body limit', () => {
  const app = new Hono();
  app.use('*', limitBody(10));
  app.post('/', async (c) => c.text(await c.req.text()));
  app.get('/', (c) => c.text('get'));

  test('by Content-Length: over the limit a 413, at it the body passes', async () => {
    expect((await app.request('/', { method: 'POST', body: '12345678901', headers: { 'content-length': '11' } })).status).toBe(413);
    const res = await app.request('/', { method: 'POST', body: '1234567890', headers: { 'content-length': '10' } });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('1234567890');
  });

  test('without a length (or with Transfer-Encoding) the bytes are counted', async () => {
    expect((await app.request('/', { method: 'POST', body: '12345678901' })).status).toBe(413);
    expect((await app.request('/', { method: 'POST', body: '12345678901', headers: { 'content-length': '1', 'transfer-encoding': 'chunked' } })).status).toBe(413);
    expect((await app.request('/', { method: 'POST', body: 'short' })).status).toBe(200);
  });

  test('a GET passes', async () => {
    expect((await app.request('/')).status).toBe(200);
  });
});
