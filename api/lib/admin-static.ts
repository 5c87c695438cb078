import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import type { Context } from 'hono';
import type { AppEnv, Router } from './http.js';

// Serves the built admin (admin/dist) next to the API: hashed assets cached for a year, the app shell revalidated on
// every load, both compressed once per process and kept in memory (the whole build is a few MB).

const brotli = promisify(brotliCompress);
const gz = promisify(gzip);

const types: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
};
const compressible = new Set(['.js', '.css', '.html', '.json', '.svg']);

/** Vite names every asset after its content hash, so a name never changes meaning: cache it for good. */
export const IMMUTABLE = 'public, max-age=31536000, immutable';
/** The shell names the current assets: the browser must ask again (a 304 when unchanged) or it keeps a stale build. */
export const REVALIDATE = 'no-cache';

type Encoding = 'br' | 'gzip';

interface Asset {
  raw: Buffer;
  type: string;
  etag: string;
  // Compressed on first request and shared by concurrent ones. Brotli quality 6: about 0.1 s for the largest chunk
  // and within 10% of quality 11, which takes seconds.
  encoded: Partial<Record<Encoding, Promise<Buffer>>>;
}

function asset(raw: Buffer, file: string): Asset {
  const ext = extname(file);
  return { raw, type: types[ext] ?? 'application/octet-stream', etag: `"${createHash('sha1').update(raw).digest('base64url').slice(0, 20)}"`, encoded: {} };
}

/** The best encoding the client accepts (`br` over `gzip`); none for small or already compressed files. */
export function pickEncoding(acceptEncoding: string | undefined, file: string, size: number): Encoding | null {
  if (!acceptEncoding || size < 1024 || !compressible.has(extname(file))) return null;
  const accepted = new Set(
    acceptEncoding
      .split(',')
      .map((part) => part.trim().split(';'))
      .filter(([, q]) => !q || !/^\s*q=0(\.0*)?\s*$/.test(q))
      .map(([name]) => name.trim().toLowerCase()),
  );
  if (accepted.has('br')) return 'br';
  if (accepted.has('gzip')) return 'gzip';
  return null;
}

function encode(a: Asset, enc: Encoding): Promise<Buffer> {
  a.encoded[enc] ??= enc === 'br' ? brotli(a.raw, { params: { [constants.BROTLI_PARAM_QUALITY]: 6, [constants.BROTLI_PARAM_SIZE_HINT]: a.raw.length } }) : gz(a.raw, { level: 9 });
  return a.encoded[enc];
}

async function send(c: Context<AppEnv>, a: Asset, file: string, cacheControl: string) {
  const headers: Record<string, string> = { 'Content-Type': a.type, 'Cache-Control': cacheControl, ETag: a.etag, Vary: 'Accept-Encoding' };
  if (c.req.header('if-none-match') === a.etag) return c.body(null, 304, headers);
  const enc = pickEncoding(c.req.header('accept-encoding'), file, a.raw.length);
  const body = enc ? await encode(a, enc) : a.raw;
  if (enc) headers['Content-Encoding'] = enc;
  return c.body(new Uint8Array(body), 200, headers);
}

/** Whether `dir` holds a built admin; without one the app serves only the API. */
export const hasAdminBuild = (dir: string | undefined): dir is string => !!dir && existsSync(join(dir, 'index.html'));

/**
 * GET /assets/<hashed file> and, for every other non-API path, the app shell (the admin routes on the client).
 * Mount after the API routes. A missing asset is a 404, not the shell: a stale page asking for an old chunk must
 * fail as a script load (which Vite reports), not parse HTML as JavaScript.
 */
export function mountAdmin(app: Router, dir: string, notFound: (c: Context<AppEnv>) => Response | Promise<Response>) {
  const shell = asset(readFileSync(join(dir, 'index.html')), 'index.html');
  const assets = new Map<string, Promise<Asset | null>>();

  app.get('/assets/:file', async (c) => {
    const file = c.req.param('file');
    // Only plain file names Vite writes: no path separators, no dot files, nothing outside assets/.
    if (!/^[\w.-]+$/.test(file) || file.startsWith('.')) return notFound(c);
    let pending = assets.get(file);
    if (!pending) {
      pending = readFile(join(dir, 'assets', file)).then(
        (raw) => asset(raw, file),
        () => null,
      );
      assets.set(file, pending);
    }
    const a = await pending;
    if (!a) {
      assets.delete(file); // a later build may add it
      return notFound(c);
    }
    return send(c, a, file, IMMUTABLE);
  });
  app.get('*', (c) => (c.req.path.startsWith('/api/') ? notFound(c) : send(c, shell, 'index.html', REVALIDATE)));
}
