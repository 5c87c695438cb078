import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { HTTPException } from 'hono/http-exception';
import { getCookie } from 'hono/cookie';
import type { Logger } from 'pino';
import type { Database } from '../db/client.js';
import type { Ctx } from './lib/context.js';
import { mountAdminWhenBuilt } from './lib/admin.js';
import { docsAssetPaths, mountDocs } from './lib/docs.js';
import { corsFor, DEFAULT_BODY_LIMIT, limitBody, refuseNul, requireJsonWrites, securityHeaders } from './lib/edge.js';
import { problem, toAppError } from './lib/errors.js';
import { newRouter } from './lib/http.js';
import { mountAccess } from './modules/access/access.routes.js';
import { mountAudit } from './modules/audit/audit.routes.js';
import { mountAuth, SESSION_COOKIE } from './modules/auth/auth.routes.js';
import { actorForToken } from './modules/auth/auth.service.js';
import { mountTotp } from './modules/auth/totp.routes.js';
import { mountSessions } from './modules/sessions/sessions.routes.js';
import { DEMO_APP_SECRET, DEMO_WEBHOOK_SECRET, DEMO_WHATSAPP_APP_SECRET, DEMO_WHATSAPP_VERIFY_TOKEN } from './lib/env.js';
import { mountGateway, WEBHOOK_BODY_LIMIT, WEBHOOK_PATH } from './modules/gateway/gateway.routes.js';
import { mountSettlements, SETTLEMENT_UPLOAD_PATH } from './modules/settlements/settlements.routes.js';
import { SETTLEMENT_BODY_LIMIT } from './modules/settlements/settlements.schemas.js';
import { deriveSecrets } from './lib/secrets.js';
import { mountCreditNotes } from './modules/credit-notes/credit-notes.routes.js';
import { fakeRefundProvider, type RefundProvider } from './modules/refunds/provider.js';
import { mountRefunds } from './modules/refunds/refunds.routes.js';
import { mountDisputes } from './modules/disputes/disputes.routes.js';
import { mountNotifications, WHATSAPP_BODY_LIMIT, WHATSAPP_WEBHOOK_PATH } from './modules/notifications/notifications.routes.js';
import { applyRefundResult } from './modules/refunds/refunds.service.js';
import { mountCatalog } from './modules/catalog/catalog.routes.js';
import { mountCustomers } from './modules/customers/customers.routes.js';
import { mountDashboard } from './modules/dashboard/dashboard.routes.js';
import { mountReports } from './modules/reports/reports.routes.js';
import { mountAnalytics } from './modules/analytics/analytics.routes.js';
import { mountExportJobs } from './modules/exports/exports.routes.js';
import { mountImports } from './modules/imports/imports.routes.js';
import { mountStaff } from './modules/staff/staff.routes.js';
import { mountEarnings } from './modules/earnings/earnings.routes.js';
import { mountSubscriptions } from './modules/subscriptions/subscriptions.routes.js';
import { mountOrders } from './modules/orders/orders.routes.js';
import { mountDataHealth } from './modules/health/health.routes.js';
import { mountInvoices } from './modules/invoices/invoices.routes.js';
import { mountDeliveries } from './modules/deliveries/deliveries.routes.js';
import { mountBilling } from './modules/billing/billing.routes.js';
import { mountZones } from './modules/zones/zones.routes.js';
import { mountDepots } from './modules/depots/depots.routes.js';
import { mountInventory } from './modules/inventory/inventory.routes.js';
import { mountSettings } from './modules/settings/settings.routes.js';
import { mountPayments } from './modules/payments/payments.routes.js';
import { mountWallets } from './modules/wallets/wallets.routes.js';
import { mountStatements } from './modules/statements/statements.routes.js';
import { mountReceivables } from './modules/receivables/receivables.routes.js';
import { mountField } from './modules/field/field.routes.js';
import { EventHub } from './lib/pubsub.js';
import { mountMetrics, observeRequests } from './modules/metrics/metrics.routes.js';
import { mountAlerts } from './modules/alerts/alerts.routes.js';

export interface AppDeps {
  database: Database;
  logger: Logger;
  /** Folder of the built admin to serve next to the API; omitted in API tests. */
  adminDir?: string;
  secureCookie?: boolean;
  /** Other origins allowed to send credentials; the admin served by this app is same-origin and needs none. */
  corsOrigins?: string[];
  /** Largest request body in bytes (default 1 MB). */
  maxBodyBytes?: number;
  /** APP_SECRET, the key material of secrets at rest (TOTP); a fixed demo value when omitted (not in production: env.ts). */
  appSecret?: string;
  /**
   * Where approved gateway refunds go (api/modules/refunds/provider.ts). Omitted: the fake gateway, which reports each
   * refund processed two seconds later (the demo); production passes the one that refuses (no gateway client yet).
   */
  refundProvider?: RefundProvider;
  /**
   * The Razorpay webhook's secrets: RAZORPAY_WEBHOOK_SECRET, then RAZORPAY_WEBHOOK_SECRET_PREVIOUS during a rotation.
   * Omitted: the demo secret (env.ts refuses to start production without one).
   */
  webhookSecrets?: string[];
  /** The live map's tile source (MAP_TILE_URL, MAP_TILE_ATTRIBUTION); omitted: OpenStreetMap's. */
  mapTiles?: { url: string; attribution: string };
  /** METRICS_TOKEN: lets a caller other than the machine itself read GET /metrics (Bearer). */
  metricsToken?: string;
  /** WHATSAPP_APP_SECRET (signs the inbound webhook); omitted: the demo secret. Production without one refuses every delivery. */
  whatsappAppSecret?: string | null;
  /** WHATSAPP_VERIFY_TOKEN, echoed by the webhook's verification GET; omitted: the demo token. */
  whatsappVerifyToken?: string | null;
}

/** OpenStreetMap's standard tiles, with the attribution its tile usage policy asks for. */
export const DEFAULT_MAP_TILES = { url: 'https://tile.openstreetmap.org/{z}/{x}/{y}.png', attribution: '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors' };

/** Paths answered without a session; outside the OpenAPI document, except login and logout. */
export const publicPaths = new Set(['/api/health', '/api/auth/login', '/api/auth/logout', '/api/auth/set-password', '/api/openapi.json', '/api/docs', ...docsAssetPaths, WEBHOOK_PATH, WHATSAPP_WEBHOOK_PATH]);
/** All a user may do while a role requires a second factor they have not confirmed yet. */
export const enrolmentPaths = new Set(['/api/auth/totp/enroll', '/api/auth/totp/confirm', '/api/auth/me', '/api/auth/logout']);

/**
 * The request's logger: a pino child bound to the request id, made only when something logs through it (an error, a
 * warning): most requests never do, and making a child serialises its bindings, redaction included.
 */
function requestLogger(logger: Logger, id: string): Logger {
  let child: Logger | undefined;
  const real = () => (child ??= logger.child({ req: id }));
  return new Proxy({} as Logger, {
    get: (_, key) => {
      const target = real();
      const value: unknown = Reflect.get(target, key, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

export function createApp(deps: AppDeps) {
  const { database, logger } = deps;
  const secrets = deriveSecrets(deps.appSecret ?? DEMO_APP_SECRET);
  const app = newRouter();

  // Our own ids only (a client-sent X-Request-Id would end up in the audit log), announced in the response.
  app.use('*', async (c, next) => {
    const id = randomUUID();
    c.set('requestId', id);
    c.set('secrets', secrets);
    c.header('X-Request-Id', id);
    await next();
    // An answer made without c.* (a plain Response) does not carry headers set before it: it gets the id now.
    if (!c.res.headers.has('x-request-id')) c.res.headers.set('X-Request-Id', id);
  });
  // Metrics and the request's log line, around everything else (a 401 or a 413 is counted and logged too).
  app.use('*', observeRequests(logger));
  app.use('/api/*', corsFor(deps.corsOrigins ?? []));

  app.use('*', securityHeaders);
  // Every body is bounded (1 MB) but the settlement file's upload, which has its own larger bound (10 MB).
  const defaultLimit = limitBody(deps.maxBodyBytes ?? DEFAULT_BODY_LIMIT);
  const settlementLimit = limitBody(SETTLEMENT_BODY_LIMIT);
  app.use('/api/*', (c, next) => (c.req.path === SETTLEMENT_UPLOAD_PATH && c.req.method === 'POST' ? settlementLimit(c, next) : defaultLimit(c, next)));
  // The webhook: no session (it is signed instead), a few KB at most, and its raw bytes read before anything parses
  // them (the signature covers the bytes as sent).
  app.use(WEBHOOK_PATH, limitBody(WEBHOOK_BODY_LIMIT));
  app.use(WHATSAPP_WEBHOOK_PATH, limitBody(WHATSAPP_BODY_LIMIT));

  // Every API request gets a service context; all but the public paths need a live session.
  app.use('/api/*', async (c, next) => {
    const id = c.get('requestId');
    const log = requestLogger(logger, id);
    const token = getCookie(c, SESSION_COOKIE);
    const actor = token ? await actorForToken(database.db, token) : null;
    const ctx: Ctx = { db: database.db, inTx: false, actor, requestId: id, log };
    c.set('ctx', ctx);
    if (!actor && !publicPaths.has(c.req.path)) return problem(c, 401, 'unauthorized', 'Please log in.');
    if (actor?.totp_enrolment_required && !enrolmentPaths.has(c.req.path)) {
      return problem(c, 403, 'totp_enrolment_required', 'Your role requires two-factor sign-in: set it up on your profile page first.');
    }
    await next();
  });

  // After the session check (a request without one is a 401 whatever it sends), before any route reads the body:
  // its type (no cross-site forms), then no NUL in it.
  app.use('/api/*', requireJsonWrites);
  app.use(WEBHOOK_PATH, async (c, next) => {
    await c.req.arrayBuffer();
    await next();
  });
  app.use(WHATSAPP_WEBHOOK_PATH, async (c, next) => {
    if (c.req.method === 'POST') await c.req.arrayBuffer();
    await next();
  });
  // The webhook checks its signature first (a 401 whatever the body holds), then refuses NUL itself.
  app.use('/api/*', (c, next) => (c.req.path === WEBHOOK_PATH || c.req.path === WHATSAPP_WEBHOOK_PATH ? next() : refuseNul(c, next)));

  app.get('/api/health', async (c) => {
    await database.db.execute(sql`select 1`);
    return c.json({ status: 'ok', database: database.kind });
  });

  mountAuth(app, { secureCookie: deps.secureCookie ?? false });
  mountTotp(app);
  mountSessions(app);
  mountZones(app);
  mountSettings(app);
  mountCustomers(app);
  mountCatalog(app);
  mountImports(app);
  mountStaff(app);
  mountEarnings(app);
  mountSubscriptions(app);
  mountOrders(app);
  mountInvoices(app);
  mountDataHealth(app);
  mountDashboard(app);
  mountReports(app);
  mountAnalytics(app);
  mountExportJobs(app);
  mountDeliveries(app);
  mountBilling(app);
  mountPayments(app);
  mountWallets(app);
  mountStatements(app);
  mountReceivables(app);
  mountField(app, { hub: new EventHub(database, logger), tile: deps.mapTiles ?? DEFAULT_MAP_TILES });
  mountRefunds(app, {
    // The fake's results come in as the gateway's webhook would bring them: applyRefundResult, acting as nobody.
    provider:
      deps.refundProvider ??
      fakeRefundProvider({
        autoSettleMs: 2000,
        report: (result) => applyRefundResult({ db: database.db, inTx: false, actor: null, requestId: 'fake-gateway', log: logger }, result),
      }),
  });
  mountCreditNotes(app);
  mountSettlements(app);
  mountGateway(app, { webhookSecrets: deps.webhookSecrets?.length ? deps.webhookSecrets : [DEMO_WEBHOOK_SECRET] });
  mountDisputes(app);
  mountDepots(app);
  mountInventory(app);
  mountNotifications(app, {
    whatsappAppSecret: deps.whatsappAppSecret === undefined ? DEMO_WHATSAPP_APP_SECRET : (deps.whatsappAppSecret ?? undefined),
    whatsappVerifyToken: deps.whatsappVerifyToken === undefined ? DEMO_WHATSAPP_VERIFY_TOKEN : (deps.whatsappVerifyToken ?? undefined),
  });
  mountAudit(app);
  mountAccess(app);
  mountAlerts(app);

  app.doc31('/api/openapi.json', {
    openapi: '3.1.0',
    info: { title: 'Milkrun API', version: '0.1.0', description: 'Refine simple-rest resources plus workflow actions. Errors are application/problem+json.' },
  });
  mountDocs(app);
  mountMetrics(app, { database, metricsToken: deps.metricsToken });

  app.notFound((c) => problem(c, 404, 'not_found', `No route for ${c.req.method} ${c.req.path}.`));
  app.onError((err, c) => {
    const known = toAppError(err);
    if (known) return problem(c, known.status, known.code, known.message, known.extra);
    if (err instanceof HTTPException) return problem(c, err.status as 400, 'bad_request', err.message || 'Bad request.');
    logger.error({ err, req: c.get('requestId') }, 'unhandled error');
    return problem(c, 500, 'internal', `Something went wrong on our side (request ${c.get('requestId')}).`);
  });

  if (deps.adminDir) mountAdminWhenBuilt(app, deps.adminDir, (c) => problem(c, 404, 'not_found', `No route for ${c.req.method} ${c.req.path}.`));
  return app;
}

export type App = ReturnType<typeof createApp>;
