import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { swaggerUI } from '@hono/swagger-ui';
import type { newRouter } from './http.js';

const ASSETS = '/api/docs/assets';
const files = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'text/javascript; charset=utf-8',
} as const;

const INIT = `${ASSETS}/init.js`;
// "Try it out" sends X-Requested-With like the admin, so bodiless POSTs (cancel, reissue ...) pass api/lib/edge.ts.
const initScript = `window.ui = SwaggerUIBundle({
  dom_id: '#swagger-ui',
  url: '/api/openapi.json',
  requestInterceptor: (req) => { req.headers['X-Requested-With'] = 'XMLHttpRequest'; return req; },
});
`;

/** The docs page's asset paths: public, like the page itself. */
export const docsAssetPaths = [...Object.keys(files).map((f) => `${ASSETS}/swagger-ui-dist/${f}`), INIT];

/**
 * The OpenAPI explorer at /api/docs, with swagger-ui's files served from the installed swagger-ui-dist package
 * rather than a CDN: a back office often runs where the browser has no internet.
 */
export function mountDocs(app: ReturnType<typeof newRouter>) {
  const dist = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
  for (const [file, type] of Object.entries(files)) {
    let body: Buffer | null = null;
    app.get(`${ASSETS}/swagger-ui-dist/${file}`, (c) => {
      body ??= readFileSync(join(dist, file));
      return c.body(new Uint8Array(body), 200, { 'content-type': type, 'cache-control': 'public, max-age=86400' });
    });
  }
  // The page's own start script is a file, not inline, so the Content-Security-Policy can refuse every inline script.
  app.get(INIT, (c) => c.body(initScript, 200, { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'no-cache' }));
  app.get(
    '/api/docs',
    swaggerUI({
      url: '/api/openapi.json',
      title: 'Milkrun API',
      manuallySwaggerUIHtml: () => `<div id="swagger-ui"></div>
        <link rel="stylesheet" href="${ASSETS}/swagger-ui-dist/swagger-ui.css" />
        <script src="${ASSETS}/swagger-ui-dist/swagger-ui-bundle.js"></script>
        <script src="${INIT}"></script>`,
    }),
  );
}
