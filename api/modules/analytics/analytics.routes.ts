import { createRoute, z } from '@hono/zod-openapi';
import { csvText } from '../../lib/export.js';
import { permit, type Router } from '../../lib/http.js';
import { Chart, ChartQuery } from './analytics.schemas.js';
import { chart, chartNames, charts } from './analytics.service.js';

/** GET /api/analytics/<chart> for each chart: JSON for the page, or its rows as CSV (format=csv). */
export function mountAnalytics(app: Router) {
  for (const name of chartNames) {
    app.openapi(
      createRoute({
        ...permit('analytics', 'show'),
        method: 'get',
        path: `/api/analytics/${name}`,
        tags: ['analytics'],
        summary: charts[name].title,
        request: { query: ChartQuery },
        responses: {
          200: {
            description: 'The chart: its columns, rows and totals (JSON), or with format=csv its rows as CSV',
            content: { 'application/json': { schema: Chart }, 'text/csv': { schema: z.string() } },
          },
        },
      }),
      async (c) => {
        const { format, ...q } = c.req.valid('query');
        const result = await chart(c.get('ctx'), name, q);
        if (format !== 'csv') return c.json(result, 200);
        const body = csvText(result.columns.map((col) => col.key), result.rows);
        const zone = q.zone_id ? `-${q.zone_id.slice(0, 8)}` : '';
        return c.body(body, 200, {
          'content-type': 'text/csv; charset=utf-8',
          'content-disposition': `attachment; filename="${name}-${q.from}-${q.to}${zone}.csv"`,
        });
      },
    );
  }
}
