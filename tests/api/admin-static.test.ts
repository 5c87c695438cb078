import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import pino from 'pino';
import { afterAll, describe, expect, test } from 'vitest';
import { createApp } from '../../api/app.js';
import { pickEncoding } from '../../api/lib/admin-static.js';
import type { Database } from '../../db/client.js';

// How the app serves a built admin: hashed assets cached for a year, the shell revalidated, both compressed.
const dir = mkdtempSync(join(tmpdir(), 'milkrun-admin-'));
mkdirSync(join(dir, 'assets'));
mkdirSync(join(dir, '.vite'));
const shellHtml = `<!doctype html><html><head><script type="module" src="/assets/index-AbC123xy.js"></script></head><body><div id="root"></div>${' '.repeat(2000)}</body></html>`;
const script = `export const pages = ${JSON.stringify(Array.from({ length: 400 }, (_, i) => ({ id: i, name: `page ${i}` })))};\n`;
writeFileSync(join(dir, 'index.html'), shellHtml);
writeFileSync(join(dir, 'assets', 'index-AbC123xy.js'), script);
writeFileSync(join(dir, 'assets', 'tiny-Zz9Yy8Xx.js'), 'export {};\n');
writeFileSync(join(dir, '.vite', 'manifest.json'), '{}');
writeFileSync(join(tmpdir(), 'milkrun-secret.txt'), 'not for the web');

// The static paths never reach the database; the API paths below only need the 401/404 before it.
const app = createApp({ database: {} as Database, logger: pino({ level: 'silent' }), adminDir: dir });
const get = (path: string, headers: Record<string, string> = {}) => app.request(path, { headers });

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('admin static files', () => {
  test('a hashed asset is immutable for a year and sent with brotli when the browser accepts it', async () => {
    const res = await get('/assets/index-AbC123xy.js', { 'accept-encoding': 'gzip, deflate, br, zstd' });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(res.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(res.headers.get('content-encoding')).toBe('br');
    expect(res.headers.get('vary')).toBe('Accept-Encoding');
    const body = Buffer.from(await res.arrayBuffer());
    expect(body.length).toBeLessThan(script.length / 3);
    expect(brotliDecompressSync(body).toString()).toBe(script);
  });

  test('gzip when brotli is not accepted, the raw file when nothing is, and the same bytes on a second request', async () => {
    const gz = await get('/assets/index-AbC123xy.js', { 'accept-encoding': 'gzip' });
    expect(gz.headers.get('content-encoding')).toBe('gzip');
    expect(gunzipSync(Buffer.from(await gz.arrayBuffer())).toString()).toBe(script);
    const again = await get('/assets/index-AbC123xy.js', { 'accept-encoding': 'gzip' });
    expect(gunzipSync(Buffer.from(await again.arrayBuffer())).toString()).toBe(script);

    const plain = await get('/assets/index-AbC123xy.js');
    expect(plain.headers.get('content-encoding')).toBeNull();
    expect(await plain.text()).toBe(script);
    // br;q=0 means "not br".
    expect((await get('/assets/index-AbC123xy.js', { 'accept-encoding': 'br;q=0, gzip;q=0.5' })).headers.get('content-encoding')).toBe('gzip');
  });

  test('files under 1 KB go uncompressed', async () => {
    const res = await get('/assets/tiny-Zz9Yy8Xx.js', { 'accept-encoding': 'br' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-encoding')).toBeNull();
    expect(await res.text()).toBe('export {};\n');
  });

  test('every page path gets the shell, revalidated on each load (no-cache with an ETag, 304 when unchanged)', async () => {
    for (const path of ['/', '/login', '/dashboard', '/orders/show/0b8f0c1e-4b9a-4a8e-9a44-3f8d2b1c0a11']) {
      const res = await get(path, { 'accept-encoding': 'gzip' });
      expect(res.status, path).toBe(200);
      expect(res.headers.get('cache-control'), path).toBe('no-cache');
      expect(res.headers.get('content-type'), path).toBe('text/html; charset=utf-8');
      expect(gunzipSync(Buffer.from(await res.arrayBuffer())).toString(), path).toBe(shellHtml);
    }
    const first = await get('/dashboard');
    const etag = first.headers.get('etag')!;
    expect(etag).toMatch(/^"[\w-]+"$/);
    const revalidated = await get('/customers', { 'if-none-match': etag });
    expect(revalidated.status).toBe(304);
    expect(await revalidated.text()).toBe('');
  });

  test('a missing asset is a 404, not the shell; nothing outside assets/ is served', async () => {
    for (const path of ['/assets/index-Old00000.js', '/assets/..%2findex.html', '/assets/.vite', '/assets/..%2f..%2fmilkrun-secret.txt', '/.vite/manifest.json']) {
      const res = await get(path);
      const body = await res.text();
      expect(body, path).not.toContain('not for the web');
      expect(body, path).not.toBe('{}');
      if (path.startsWith('/assets/')) {
        expect(res.status, path).toBe(404);
        expect(res.headers.get('content-type'), path).toBe('application/problem+json');
      }
    }
  });

  test('API paths are never the shell', async () => {
    const res = await get('/api/no-such-thing');
    expect(res.status).toBe(401); // the session check answers first
    expect(res.headers.get('content-type')).toBe('application/problem+json');
  });
});

describe('pickEncoding', () => {
  test('prefers br, then gzip; none for small or binary files or refused encodings', () => {
    expect(pickEncoding('gzip, deflate, br', 'a.js', 5000)).toBe('br');
    expect(pickEncoding('gzip', 'a.css', 5000)).toBe('gzip');
    expect(pickEncoding('br;q=0.0, gzip', 'a.js', 5000)).toBe('gzip');
    expect(pickEncoding('identity', 'a.js', 5000)).toBeNull();
    expect(pickEncoding(undefined, 'a.js', 5000)).toBeNull();
    expect(pickEncoding('br', 'a.js', 1000)).toBeNull();
    expect(pickEncoding('br', 'a.png', 50_000)).toBeNull();
  });
});
