import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import { assertCan, findPermission, type Action } from './access.js';
import type { Ctx } from './context.js';
import { createRow, deleteRow, getRow, listRows, updateRow, type ListPage, type Resource, type Row } from './crud.js';
import { mountExport, resourceSource } from './export.js';
import { problem, unauthorized, zodMessage } from './errors.js';
import { catalogue } from './permission-catalog.js';
import { parseListQuery, type ListSpec } from './rest.js';
import type { Secrets } from './secrets.js';
import { needsStepUp, requireStepUp } from './step-up.js';

export interface AppEnv {
  Variables: { ctx: Ctx; requestId: string; secrets: Secrets };
}

export function newRouter() {
  return new OpenAPIHono<AppEnv>({
    defaultHook: (result, c) => {
      if (!result.success) return problem(c, 400, 'validation_failed', zodMessage(result.error));
    },
  });
}
export type Router = ReturnType<typeof newRouter>;

/** The request's service context, after checking that its user may do `action` on `resource`. */
export function allowed(c: Context<AppEnv>, resource: string, action: Action): Ctx {
  const ctx = c.get('ctx');
  return { ...ctx, grant: assertCan(ctx.actor, resource, action) };
}

/**
 * Route middleware: refuses (401/403) before the body is even validated, so a role without the right learns nothing
 * about the schema. A grant marked step_up also needs a fresh second-factor code (api/lib/step-up.ts).
 */
export const can = (resource: string, action: Action) =>
  createMiddleware<AppEnv>(async (c, next) => {
    const ctx = c.get('ctx');
    const permission = assertCan(ctx.actor, resource, action);
    if (needsStepUp(permission)) await requireStepUp(c);
    c.set('ctx', { ...ctx, grant: permission });
    await next();
  });

/** Like `can`, for a route whose action comes from the body (approve or reject many): any one of them lets the request through to validation. */
const canAny = (resource: string, actions: readonly Action[]) =>
  createMiddleware<AppEnv>(async (c, next) => {
    const ctx = c.get('ctx');
    const actor = ctx.actor;
    if (!actor) throw unauthorized();
    const granted = actions.map((a) => findPermission(actor.permissions, resource, a)).filter((p) => p !== undefined);
    if (granted.length === 0) assertCan(actor, resource, actions[0]);
    // The action is read from the body later: when any of the granted ones needs a second factor, the request does.
    if (granted.some(needsStepUp)) await requireStepUp(c);
    c.set('ctx', { ...ctx, grant: granted[0] });
    await next();
  });

/**
 * The access rule of a route, spread into createRoute: the middleware that checks it before any validator runs, and
 * `x-permission` in the OpenAPI document (a client sees what a route needs; the route-wide test reads it).
 * 'session' routes need a login and nothing more; 'public' ones not even that. The pair joins the permission catalog.
 */
export function permit(resource: string, ...actions: [Action, ...Action[]]) {
  catalogue(resource, actions);
  const middleware = actions.length === 1 ? can(resource, actions[0]) : canAny(resource, actions);
  return { middleware: [middleware], 'x-permission': { resource, actions } };
}
export const publicRoute = { 'x-permission': 'public' } as const;
export const sessionRoute = { 'x-permission': 'session' } as const;

/** A list's answer: its rows, the total in x-total-count, and x-total-count-estimated when the total is an estimate. */
export function listAnswer(c: Context<AppEnv>, page: ListPage) {
  c.header('x-total-count', String(page.total));
  if (page.estimated) c.header('x-total-count-estimated', 'true');
  return c.json(page.rows, 200);
}

/** Every list route's spec by path, as mounted: the benchmark's sweep walks them (each sortable column, each filter). */
export const listSpecs = new Map<string, ListSpec>();

export const IdParam = z.object({ id: z.uuid({ message: 'The id must be a UUID.' }).openapi({ param: { name: 'id', in: 'path' } }) });
const json = (schema: z.ZodType, description: string) => ({ content: { 'application/json': { schema } }, description });

/** A route's required JSON body. */
export const jsonBody = <T extends z.ZodType>(schema: T) => ({ body: { content: { 'application/json': { schema } }, required: true } });
/**
 * A route's optional JSON body: a bare POST (no body, no content type) reads as {}, so the schema must accept {} as it
 * is; anything sent is validated like a required body, and a body that is not JSON is refused (415).
 */
export const optionalJsonBody = <T extends z.ZodType>(schema: T) => ({ body: { content: { 'application/json': { schema } }, required: false } });
/**
 * A route's JSON answer with its schema (the OpenAPI document states it; tests check real answers against it). The
 * schema is typed loosely on purpose: handlers return what services return, and the check is at run time.
 */
export const ok = (schema: z.ZodType, description = 'Done') => ({ 200: json(schema, description) });
export const created = (schema: z.ZodType, description = 'Created') => ({ 201: json(schema, description) });
/** A simple-rest page: an array of rows, the total in x-total-count. */
export const page = (row: z.ZodType) => ({ 200: json(z.array(row), 'A page of rows; the total is in x-total-count') });

export interface ResourceRoutes<C extends z.ZodType, U extends z.ZodType> {
  resource: Resource;
  /** A row as list, show, create, update and delete answer it (from the module's schemas file). */
  row: z.ZodType;
  list: ListSpec;
  create?: { body: C; run?: (ctx: Ctx, input: z.infer<C>) => Promise<Row> };
  update?: { body: U; run?: (ctx: Ctx, id: string, input: z.infer<U>) => Promise<Row> };
  remove?: boolean | ((ctx: Ctx, id: string) => Promise<Row>);
  /** GET /api/<name>/export: the list as CSV, XLSX or JSON (api/lib/export.ts), guarded by `export` on the resource. */
  exportable?: boolean;
  /** How a row is answered to this request (e.g. fields masked for roles that may not see them); default as read. */
  present?: (ctx: Ctx, row: Row) => Row;
}

/** Mounts the simple-rest routes of one resource: list (with getMany via ?id=), one, create, update, delete. */
export function mountResource<C extends z.ZodType, U extends z.ZodType>(app: Router, spec: ResourceRoutes<C, U>) {
  const { resource } = spec;
  const present = spec.present ?? ((_ctx: Ctx, row: Row) => row);
  const base = `/api/${resource.name}`;
  const tags = [resource.name];
  listSpecs.set(base, spec.list);
  app.openapi(
    createRoute({
      method: 'get',
      path: base,
      tags,
      ...permit(resource.name, 'list'),
      summary: `List ${resource.name} (simple-rest: _start, _end, _sort, _order, q, field, field_ne/_gte/_lte/_like)`,
      responses: page(spec.row),
    }),
    async (c) => {
      const ctx = c.get('ctx');
      const query = await parseListQuery(new URL(c.req.url).searchParams, spec.list, ctx.db);
      const page = await listRows(ctx, resource, query);
      return listAnswer(c, spec.present ? { ...page, rows: page.rows.map((r) => present(ctx, r)) } : page);
    },
  );
  // Before /{id}, which would take "export" for an id.
  if (spec.exportable) mountExport(app, { name: resource.name, permission: resource.name, list: spec.list, source: resourceSource(resource), row: spec.row });
  app.openapi(
    createRoute({ method: 'get', path: `${base}/{id}`, tags, ...permit(resource.name, 'show'), request: { params: IdParam }, responses: { 200: json(spec.row, 'The row') } }),
    async (c) => {
      const ctx = c.get('ctx');
      return c.json(present(ctx, await getRow(ctx, resource, c.req.valid('param').id)), 200);
    },
  );
  if (spec.create) {
    const create = spec.create;
    app.openapi(
      createRoute({
        method: 'post',
        path: base,
        tags,
        ...permit(resource.name, 'create'),
        request: { body: { content: { 'application/json': { schema: create.body } }, required: true } },
        responses: { 201: json(spec.row, 'Created') },
      }),
      async (c) => {
        const ctx = c.get('ctx');
        const input = c.req.valid('json' as never) as z.infer<C>;
        const row = create.run ? await create.run(ctx, input) : await createRow(ctx, resource, input as Row);
        return c.json(present(ctx, row), 201);
      },
    );
  }
  if (spec.update) {
    const update = spec.update;
    app.openapi(
      createRoute({
        method: 'patch',
        path: `${base}/{id}`,
        tags,
        ...permit(resource.name, 'edit'),
        request: { params: IdParam, body: { content: { 'application/json': { schema: update.body } }, required: true } },
        responses: { 200: json(spec.row, 'Updated') },
      }),
      async (c) => {
        const ctx = c.get('ctx');
        const id = (c.req.valid('param' as never) as { id: string }).id;
        const input = c.req.valid('json' as never) as z.infer<U>;
        const row = update.run ? await update.run(ctx, id, input) : await updateRow(ctx, resource, id, input as Row);
        return c.json(present(ctx, row), 200);
      },
    );
  }
  if (spec.remove) {
    const remove = spec.remove;
    app.openapi(
      createRoute({ method: 'delete', path: `${base}/{id}`, tags, ...permit(resource.name, 'delete'), request: { params: IdParam }, responses: { 200: json(spec.row, 'Deleted') } }),
      async (c) => {
        const ctx = c.get('ctx');
        const id = c.req.valid('param').id;
        const row = typeof remove === 'function' ? await remove(ctx, id) : await deleteRow(ctx, resource, id);
        return c.json(present(ctx, row), 200);
      },
    );
  }
}
