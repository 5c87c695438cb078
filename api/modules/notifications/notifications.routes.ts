import { createRoute, z } from '@hono/zod-openapi';
import { sql } from 'drizzle-orm';
import { customers, inboundMessages, notifications } from '../../../db/schema/index.js';
import { listRows } from '../../lib/crud.js';
import { AppError } from '../../lib/errors.js';
import { IdParam, jsonBody, listAnswer, listSpecs, ok, page, permit, type Router } from '../../lib/http.js';
import { parseListQuery, type ListSpec } from '../../lib/rest.js';
import { byCustomer as searchCustomer } from '../../lib/search.js';
import { verifySignature } from '../gateway/signature.js';
import { assignInbound, inboundColumns, inboundResource, receiveWhatsapp } from './inbound.service.js';
import {
  InboundAssign,
  InboundMessage,
  inboundStatuses,
  Notification,
  NotificationDetail,
  notificationChannels,
  notificationStatuses,
  WhatsappWebhookAnswer,
  WhatsappWebhookBody,
} from './notifications.schemas.js';
import { getNotification, notificationColumns, notificationResource, replayNotification } from './notifications.service.js';
import { getRow } from '../../lib/crud.js';

export const WHATSAPP_WEBHOOK_PATH = '/api/webhooks/whatsapp';
/** A WhatsApp delivery is a few KB; far larger is not one. */
export const WHATSAPP_BODY_LIMIT = 256 * 1024;

export const notificationListSpec: ListSpec = {
  fields: {
    id: { column: notifications.id, type: 'uuid' },
    status: { column: notifications.status, type: 'enum', values: notificationStatuses },
    channel: { column: notifications.channel, type: 'enum', values: notificationChannels },
    template: { column: notifications.template, type: 'text' },
    recipient: { column: notifications.recipient, type: 'text' },
    customer_id: { column: notifications.customer_id, type: 'uuid' },
    user_id: { column: notifications.user_id, type: 'uuid' },
    customer_name: {
      column: notificationColumns.customer_name,
      type: 'text',
      via: { column: customers.name, where: (cond) => sql`${notifications.customer_id} in (select ${customers.id} from ${customers} where ${cond})` },
    },
    attempts: { column: notifications.attempts, type: 'int' },
    created_at: { column: notifications.created_at, type: 'timestamp', sortable: true },
    next_attempt_at: { column: notifications.next_attempt_at, type: 'timestamp' },
    sent_at: { column: notifications.sent_at, type: 'timestamp' },
  },
  // The recipient exactly as stored (a phone or an email), or the customer.
  search: [searchCustomer(notifications.customer_id), (w) => sql`${notifications.recipient} = ${w.text}`],
  defaultSort: { field: 'created_at', order: 'desc' },
};

export const inboundListSpec: ListSpec = {
  fields: {
    id: { column: inboundMessages.id, type: 'uuid' },
    status: { column: inboundMessages.status, type: 'enum', values: inboundStatuses },
    customer_id: { column: inboundMessages.customer_id, type: 'uuid' },
    dispute_id: { column: inboundMessages.dispute_id, type: 'uuid' },
    from_phone: { column: inboundMessages.from_phone, type: 'text' },
    customer_name: { column: inboundColumns.customer_name, type: 'text' },
    created_at: { column: inboundMessages.created_at, type: 'timestamp', sortable: true },
    sent_at: { column: inboundMessages.sent_at, type: 'timestamp' },
  },
  search: [searchCustomer(inboundMessages.customer_id), (w) => sql`${inboundMessages.from_phone} = ${w.text}`],
  defaultSort: { field: 'created_at', order: 'desc' },
};

export interface NotificationRoutesDeps {
  /** The WhatsApp app's secret (X-Hub-Signature-256); none: every delivery is refused (production without one). */
  whatsappAppSecret?: string;
  /** The token the verification GET must echo (set on the webhook in Meta's dashboard). */
  whatsappVerifyToken?: string;
}

/** The outbox worker of this process (api/server.ts sets kick): a replayed message goes out without waiting for the poll. */
export const notificationWorker: { kick?: () => void } = {};

export function mountNotifications(app: Router, deps: NotificationRoutesDeps) {
  const tags = ['notifications'];
  listSpecs.set('/api/notifications', notificationListSpec);
  app.openapi(
    createRoute({
      ...permit('notifications', 'list'),
      method: 'get',
      path: '/api/notifications',
      tags,
      summary: 'List the outbox (simple-rest): every message with its status (pending, sending, sent, dead), attempts and last error',
      responses: page(Notification),
    }),
    async (c) => listAnswer(c, await listRows(c.get('ctx'), notificationResource, await parseListQuery(new URL(c.req.url).searchParams, notificationListSpec, c.get('ctx').db))),
  );
  app.openapi(
    createRoute({
      ...permit('notifications', 'show'),
      method: 'get',
      path: '/api/notifications/{id}',
      tags,
      summary: 'A message of the outbox, with its words rendered from its template',
      request: { params: IdParam },
      responses: ok(NotificationDetail, 'The message'),
    }),
    async (c) => c.json(await getNotification(c.get('ctx'), c.req.valid('param').id), 200),
  );
  app.openapi(
    createRoute({
      ...permit('notifications', 'replay'),
      method: 'post',
      path: '/api/notifications/{id}/replay',
      tags,
      summary: 'Send a dead letter again: back to pending with its attempts reset (409 unless it is dead); audited',
      request: { params: IdParam },
      responses: ok(NotificationDetail, 'The message, pending again'),
    }),
    async (c) => {
      const row = await replayNotification(c.get('ctx'), c.req.valid('param').id);
      notificationWorker.kick?.();
      return c.json(row, 200);
    },
  );

  listSpecs.set('/api/inbound-messages', inboundListSpec);
  app.openapi(
    createRoute({
      ...permit('inbound-messages', 'list'),
      method: 'get',
      path: '/api/inbound-messages',
      tags,
      summary: "Customers' WhatsApp messages (simple-rest); status=unmatched is the inbox of senders no customer has the phone of",
      responses: page(InboundMessage),
    }),
    async (c) => listAnswer(c, await listRows(c.get('ctx'), inboundResource, await parseListQuery(new URL(c.req.url).searchParams, inboundListSpec, c.get('ctx').db))),
  );
  app.openapi(
    createRoute({
      ...permit('inbound-messages', 'show'),
      method: 'get',
      path: '/api/inbound-messages/{id}',
      tags,
      summary: 'An inbound message',
      request: { params: IdParam },
      responses: ok(InboundMessage, 'The message'),
    }),
    async (c) => c.json(await getRow(c.get('ctx'), inboundResource, c.req.valid('param').id), 200),
  );
  app.openapi(
    createRoute({
      ...permit('inbound-messages', 'assign'),
      method: 'post',
      path: '/api/inbound-messages/{id}/assign',
      tags,
      summary: "Assign an unmatched message to its customer: it goes to that customer's dispute thread (409 when already assigned)",
      request: { params: IdParam, ...jsonBody(InboundAssign) },
      responses: ok(InboundMessage, 'The message, assigned'),
    }),
    async (c) => c.json(await assignInbound(c.get('ctx'), c.req.valid('param').id, c.req.valid('json').customer_id), 200),
  );

  app.openapi(
    createRoute({
      // No session: the verify token is its credential (a wrong one is a 401, as a bad signature is).
      'x-permission': 'signature',
      method: 'get',
      path: WHATSAPP_WEBHOOK_PATH,
      tags,
      summary: "WhatsApp's verification: echoes hub.challenge when hub.mode is subscribe and hub.verify_token is ours (else 401)",
      responses: { 200: { description: 'The challenge', content: { 'text/plain': { schema: z.string() } } } },
    }),
    async (c) => {
      const mode = c.req.query('hub.mode');
      const token = c.req.query('hub.verify_token');
      const challenge = c.req.query('hub.challenge') ?? '';
      if (mode !== 'subscribe' || !deps.whatsappVerifyToken || token !== deps.whatsappVerifyToken || !/^[\w-]{1,200}$/.test(challenge)) {
        throw new AppError(401, 'bad_verify_token', 'hub.verify_token does not match this webhook (or hub.mode is not subscribe).');
      }
      return c.text(challenge, 200);
    },
  );
  app.openapi(
    createRoute({
      'x-permission': 'signature',
      method: 'post',
      path: WHATSAPP_WEBHOOK_PATH,
      tags,
      summary:
        "WhatsApp Cloud API webhook (entry[].changes[].value.messages[]). No session: X-Hub-Signature-256 (sha256= hex HMAC-SHA256 of the raw body with the app secret) or 401; each message id received once; the sender's phone finds the customer and their dispute, an unknown one waits unmatched",
      responses: ok(WhatsappWebhookAnswer, 'The messages received, matched, unmatched or seen before'),
    }),
    async (c) => {
      const raw = new Uint8Array(await c.req.arrayBuffer());
      const header = c.req.header('x-hub-signature-256') ?? '';
      const signature = header.startsWith('sha256=') ? header.slice(7) : undefined;
      if (!deps.whatsappAppSecret || !verifySignature(raw, signature, [deps.whatsappAppSecret])) {
        throw new AppError(401, 'bad_signature', 'The X-Hub-Signature-256 header does not sign this body with the WhatsApp app secret.');
      }
      const text = new TextDecoder().decode(raw);
      if (text.includes('\u0000')) throw new AppError(400, 'bad_text', 'The body holds a NUL character.');
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        throw new AppError(400, 'bad_json', 'The body is not JSON.');
      }
      const parsed = WhatsappWebhookBody.safeParse(json);
      if (!parsed.success) throw new AppError(400, 'bad_webhook', `Not a WhatsApp webhook: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
      return c.json(await receiveWhatsapp(c.get('ctx'), parsed.data), 200);
    },
  );
}
