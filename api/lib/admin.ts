import type { Context, Hono } from 'hono';
import { hasAdminBuild, mountAdmin } from './admin-static.js';
import { newRouter, type AppEnv } from './http.js';

// Shown until admin/dist exists: `npm start` builds the admin in the background on its first start.
const notBuiltPage = `<!doctype html><html lang="en-IN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="refresh" content="3"><title>Milkrun is starting</title>
<style>body{font-family:system-ui,sans-serif;display:grid;place-items:center;min-height:100vh;margin:0;background:#f0f5ff;color:#333}
main{max-width:28rem;padding:2rem;text-align:center}h1{font-size:1.4rem}</style></head>
<body><main><h1>Milkrun is starting</h1><p>Building the admin (first start only, about a minute). This page reloads by itself.</p>
<p><small>In production, run <code>npm run build</code> before <code>npm start</code>.</small></p></main></body></html>`;

type NotFound = (c: Context<AppEnv>) => Response | Promise<Response>;

/**
 * The built admin next to the API (api/lib/admin-static.ts). When `dir` has no build yet (a first `npm start`
 * builds it in the background), page paths get a "starting" page that reloads itself until the build appears,
 * then the admin, without a restart.
 */
export function mountAdminWhenBuilt(app: Hono<any>, dir: string, notFound: NotFound) {
  if (hasAdminBuild(dir)) return mountAdmin(app as never, dir, notFound);
  let admin: ReturnType<typeof newRouter> | undefined;
  app.get('*', (c) => {
    if (c.req.path.startsWith('/api/')) return notFound(c);
    if (!admin && hasAdminBuild(dir)) mountAdmin((admin = newRouter()), dir, notFound);
    return admin ? admin.fetch(c.req.raw) : c.html(notBuiltPage, 503, { 'Retry-After': '3' });
  });
}
