import { createRoute } from '@hono/zod-openapi';
import { ok, permit, type Router } from '../../lib/http.js';
import { dataHealth } from './health.service.js';
import { DataHealth } from './health.schemas.js';

export function mountDataHealth(app: Router) {
  app.openapi(
    createRoute({
      ...permit('data-health', 'list'),
      method: 'get',
      path: '/api/data-health',
      tags: ['data-health'],
      summary: 'Broken links of the order -> delivery -> billing -> invoice chain: counts and examples per check',
      responses: ok(DataHealth, 'Every check with its count and up to five examples'),
    }),
    async (c) => {
      const ctx = c.get('ctx');
      return c.json(await dataHealth(ctx.db), 200);
    },
  );
}
