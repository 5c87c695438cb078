import { createRoute } from '@hono/zod-openapi';
import { ok, permit, type Router } from '../../lib/http.js';
import { dashboard } from './dashboard.service.js';
import { Dashboard } from './dashboard.schemas.js';

export function mountDashboard(app: Router) {
  app.openapi(
    createRoute({
      ...permit('billing-records', 'list'),
      method: 'get',
      path: '/api/dashboard',
      tags: ['dashboard'],
      summary: "The start page's figures: today's deliveries, this month's billing and invoices, unbilled amount, 30 days of delivered value",
      responses: ok(Dashboard, "The start page's figures"),
    }),
    async (c) => {
      // Read-only money figures: whoever may list billing records (finance, managers, support, admins) may see them.
      const ctx = c.get('ctx');
      return c.json(await dashboard(ctx), 200);
    },
  );
}
