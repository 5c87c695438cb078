import { createMiddleware } from 'hono/factory';
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
