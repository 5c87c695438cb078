import { createRoute } from '@hono/zod-openapi';
import { jsonBody, ok, permit, type Router } from '../../lib/http.js';
import { Settings, SettingsBody } from './settings.schemas.js';
import { getSettings, updateSettings } from './settings.service.js';

// One row, so no id in the path: GET and PATCH /api/settings (the admin's data provider knows).
export function mountSettings(app: Router) {
  app.openapi(
    createRoute({
      ...permit('settings', 'show'),
      method: 'get',
      path: '/api/settings',
      tags: ['settings'],
      summary: "The business's settings: supplier block printed on invoices, payment term, invoice number prefixes",
      responses: ok(Settings, 'The settings'),
    }),
    async (c) => c.json(await getSettings(c.get('ctx')), 200),
  );
  app.openapi(
    createRoute({
      ...permit('settings', 'edit'),
      method: 'patch',
      path: '/api/settings',
      tags: ['settings'],
      summary: 'Change some settings (audited); issued invoices keep the supplier block they were issued with',
      request: jsonBody(SettingsBody),
      responses: ok(Settings, 'The settings after the change'),
    }),
    async (c) => c.json(await updateSettings(c.get('ctx'), c.req.valid('json')), 200),
  );
}
