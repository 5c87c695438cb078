import { createRoute, z } from '@hono/zod-openapi';
import { jsonBody, ok, permit, type Router } from '../../lib/http.js';
import { BusinessHours, BusinessHoursInput, SlaPoliciesInput, SlaPolicy } from './sla.schemas.js';
import { getBusinessHours, getSlaPolicies, putBusinessHours, putSlaPolicies } from './sla.service.js';

export function mountSla(app: Router) {
  const tags = ['disputes'];
  app.openapi(
    createRoute({ ...permit('business-hours', 'show'), method: 'get', path: '/api/business-hours', tags, summary: 'The business hours (windows per weekday, Asia/Kolkata) and holidays SLAs count in', responses: ok(BusinessHours) }),
    async (c) => c.json(await getBusinessHours(c.get('ctx')), 200),
  );
  app.openapi(
    createRoute({
      ...permit('business-hours', 'edit'),
      method: 'put',
      path: '/api/business-hours',
      tags,
      summary: 'Replace the business hours and holidays (windows of one weekday never overlap); new due times use them',
      request: jsonBody(BusinessHoursInput),
      responses: ok(BusinessHours),
    }),
    async (c) => c.json(await putBusinessHours(c.get('ctx'), c.req.valid('json')), 200),
  );
  app.openapi(
    createRoute({ ...permit('sla-policies', 'show'), method: 'get', path: '/api/sla-policies', tags, summary: 'The SLA per priority: first response and resolution, in business minutes', responses: ok(z.array(SlaPolicy)) }),
    async (c) => c.json(await getSlaPolicies(c.get('ctx')), 200),
  );
  app.openapi(
    createRoute({
      ...permit('sla-policies', 'edit'),
      method: 'put',
      path: '/api/sla-policies',
      tags,
      summary: 'Replace the SLA policies (one per priority); new due times use them',
      request: jsonBody(SlaPoliciesInput),
      responses: ok(z.array(SlaPolicy)),
    }),
    async (c) => c.json(await putSlaPolicies(c.get('ctx'), c.req.valid('json')), 200),
  );
}
