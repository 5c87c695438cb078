import { z } from '@hono/zod-openapi';
import { sessions } from '../../../db/schema/index.js';
import { tableRow } from '../../lib/schemas.js';

// A session as its owner sees it: where and when, never its token or the token's hash.
export const Session = tableRow(sessions)
  .pick({ id: true, user_agent: true, ip: true, created_at: true, last_seen_at: true, expires_at: true })
  .extend({ current: z.boolean().openapi({ description: 'The session of this request' }) })
  .openapi('Session');
export type Session = z.infer<typeof Session>;

export const EndedSessions = z.object({ ended: z.number().int().openapi({ description: 'How many sessions were ended' }) }).openapi('EndedSessions');
