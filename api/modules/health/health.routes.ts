import { createRoute } from '@hono/zod-openapi';
import { permit, type Router } from '../../lib/http.js';
import { dataHealthStatus } from './health.service.js';
import { DataHealthStatus } from './health.schemas.js';

const answer = (status: 200 | 202, description: string) => ({ [status]: { content: { 'application/json': { schema: DataHealthStatus } }, description } });

export function mountDataHealth(app: Router) {
  app.openapi(
    createRoute({
      ...permit('data-health', 'list'),
      method: 'get',
      path: '/api/data-health',
      tags: ['data-health'],
      summary: 'Broken links of the order -> delivery -> billing -> invoice chain: the last run (counts and examples per check)',
      description: 'Answers at once with the last finished run; starts a new one in the background when there is none yet or it is over 10 minutes old.',
      responses: answer(200, 'The last finished run and whether one is running'),
    }),
    async (c) => {
      const { started: _, ...status } = await dataHealthStatus(c.get('ctx'));
      return c.json(status, 200);
    },
  );
  app.openapi(
    createRoute({
      ...permit('data-health', 'list'),
      method: 'post',
      path: '/api/data-health/run',
      tags: ['data-health'],
      summary: 'Run the checks now, in the background (one run at a time); GET /api/data-health shows it when done',
      responses: answer(202, 'The run started (or the one already running)'),
    }),
    async (c) => {
      const { started: _, ...status } = await dataHealthStatus(c.get('ctx'), { refresh: true });
      return c.json(status, 202);
    },
  );
}
