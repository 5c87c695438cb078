import { z } from '@hono/zod-openapi';
import { inboundMessages, notifications } from '../../../db/schema/index.js';
import { tableRow } from '../../lib/schemas.js';

export const notificationStatuses = ['pending', 'sending', 'sent', 'dead'] as const;
export const notificationChannels = ['email', 'whatsapp', 'sms'] as const;
export const inboundStatuses = ['matched', 'unmatched', 'assigned'] as const;

export const Notification = tableRow(notifications)
  .extend({
    customer_name: z.string().nullable(),
    user_name: z.string().nullable(),
    template_label: z.string().nullable().openapi({ description: 'What the event is (the template\'s label)' }),
  })
  .openapi('Notification');

export const NotificationDetail = Notification.extend({
  rendered: z
    .object({ subject: z.string().optional(), body: z.string() })
    .nullable()
    .openapi({ description: 'The message as the worker would send it now (null when it cannot render: see render_error)' }),
  render_error: z.string().nullable(),
}).openapi('NotificationDetail');

export const InboundMessage = tableRow(inboundMessages)
  .extend({
    customer_name: z.string().nullable(),
    dispute_number: z.number().int().nullable(),
    assigned_by_name: z.string().nullable(),
  })
  .openapi('InboundMessage');

export const InboundAssign = z
  .object({ customer_id: z.uuid({ message: 'customer_id must be a customer id (UUID).' }) })
  .strict()
  .openapi('InboundMessageAssign');

// The WhatsApp Cloud API's webhook: only what is read is described; everything else it sends is let through.
const WaMessage = z.looseObject({
  from: z.string().regex(/^\+?[1-9][0-9]{6,14}$/, 'from is a phone number in international form'),
  id: z.string().min(1).max(200),
  timestamp: z.string().regex(/^[0-9]{1,12}$/, 'timestamp is seconds since 1970'),
  type: z.string().max(40).optional(),
  text: z.looseObject({ body: z.string().max(4096) }).optional(),
});
export const WhatsappWebhookBody = z.looseObject({
  object: z.string().optional(),
  entry: z
    .array(
      z.looseObject({
        changes: z
          .array(
            z.looseObject({
              value: z.looseObject({
                contacts: z.array(z.looseObject({ wa_id: z.string().optional(), profile: z.looseObject({ name: z.string().max(200).optional() }).optional() })).max(100).optional(),
                messages: z.array(WaMessage).max(100).optional(),
              }),
            }),
          )
          .max(100),
      }),
    )
    .max(100),
});
export type WhatsappWebhookBody = z.infer<typeof WhatsappWebhookBody>;

export const WhatsappWebhookAnswer = z
  .object({
    received: z.number().int(),
    messages: z.array(
      z.object({
        id: z.string(),
        outcome: z.enum(['matched', 'unmatched', 'duplicate']),
        dispute_id: z.string().nullable(),
      }),
    ),
  })
  .openapi('WhatsappWebhookAnswer');

export type Notification = z.infer<typeof Notification>;
export type NotificationDetail = z.infer<typeof NotificationDetail>;
export type InboundMessage = z.infer<typeof InboundMessage>;
