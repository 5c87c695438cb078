import type { Channel, Language, Rendered } from './templates.js';

// Where the outbox's messages go. A provider sends one rendered message and answers the provider's id for it, or
// throws: a SendError marked permanent (the recipient can never get it: a bad number, a refused template) dead-letters
// the message at once; anything else is retried with backoff.

export interface OutgoingMessage extends Rendered {
  id: string;
  channel: Channel;
  recipient: string;
  template: string;
  language: Language;
}

export interface NotificationProvider {
  readonly name: string;
  send(message: OutgoingMessage): Promise<{ providerMessageId: string }>;
}

/** One provider per channel; a channel without one fails its messages (retried, then dead: visible in the admin). */
export type Providers = Partial<Record<Channel, NotificationProvider>>;

export class SendError extends Error {
  constructor(
    message: string,
    readonly permanent: boolean,
  ) {
    super(message);
  }
}

/** How long one send may take before it counts as failed (well under the worker's lease on the row). */
export const SEND_TIMEOUT_MS = 10_000;

/**
 * The WhatsApp Business Cloud API's shape: POST {url}/messages with a bearer token and
 * `{messaging_product: 'whatsapp', to, type: 'text', text: {body}}`, answered `{messages: [{id: 'wamid...'}]}`.
 * `url` is the phone number's endpoint (https://graph.facebook.com/v20.0/<phone-number-id>). A 4xx other than 408/429
 * is the request's fault (bad number, bad token): permanent; 408, 429, 5xx and network errors are retried.
 */
export function whatsappHttpProvider(opts: { url: string; token: string; fetch?: typeof fetch; timeoutMs?: number }): NotificationProvider {
  const doFetch = opts.fetch ?? fetch;
  return {
    name: 'whatsapp-cloud',
    async send(m) {
      let res: Response;
      try {
        res = await doFetch(`${opts.url.replace(/\/$/, '')}/messages`, {
          method: 'POST',
          headers: { authorization: `Bearer ${opts.token}`, 'content-type': 'application/json' },
          // The API wants the number without its plus.
          body: JSON.stringify({ messaging_product: 'whatsapp', recipient_type: 'individual', to: m.recipient.replace(/^\+/, ''), type: 'text', text: { preview_url: false, body: m.body } }),
          signal: AbortSignal.timeout(opts.timeoutMs ?? SEND_TIMEOUT_MS),
        });
      } catch (err) {
        throw new SendError(`WhatsApp API unreachable: ${(err as Error).message}`, false);
      }
      const text = await res.text();
      if (!res.ok) {
        let detail = text.slice(0, 300);
        try {
          const e = JSON.parse(text) as { error?: { message?: string; code?: number } };
          if (e.error?.message) detail = `${e.error.message}${e.error.code ? ` (${e.error.code})` : ''}`;
        } catch {
          // Not JSON: the raw start of the answer says enough.
        }
        const permanent = res.status >= 400 && res.status < 500 && res.status !== 408 && res.status !== 429;
        throw new SendError(`WhatsApp API ${res.status}: ${detail}`, permanent);
      }
      const id = (JSON.parse(text) as { messages?: { id?: string }[] }).messages?.[0]?.id;
      if (!id) throw new SendError('WhatsApp API answered without a message id', false);
      return { providerMessageId: id };
    },
  };
}

/** A channel nobody configured: every message fails (retried, then dead), so the gap shows in the admin. */
export const unconfiguredProvider = (channel: Channel, hint: string): NotificationProvider => ({
  name: `unconfigured-${channel}`,
  async send() {
    throw new SendError(`no ${channel} provider is configured (${hint})`, false);
  },
});

export interface FakeProvider extends NotificationProvider {
  /** What it was given, in order. */
  readonly sent: OutgoingMessage[];
}

/**
 * The local fake (tests and the demo): keeps what it sends in memory. `fail` decides, per message and its attempt
 * at this provider, whether to throw instead (a SendError marks it permanent or not).
 */
export function fakeProvider(opts: { name?: string; fail?: (m: OutgoingMessage, attempt: number) => SendError | undefined; delayMs?: number } = {}): FakeProvider {
  const sent: OutgoingMessage[] = [];
  const attempts = new Map<string, number>();
  let seq = 0;
  return {
    name: opts.name ?? 'fake',
    sent,
    async send(m) {
      const attempt = (attempts.get(m.id) ?? 0) + 1;
      attempts.set(m.id, attempt);
      if (opts.delayMs) await new Promise((r) => setTimeout(r, opts.delayMs));
      const failure = opts.fail?.(m, attempt);
      if (failure) throw failure;
      sent.push(m);
      seq += 1;
      return { providerMessageId: `fake.${m.channel}.${seq}.${m.id.slice(0, 8)}` };
    },
  };
}

/** The demo's and tests' providers: a fake on every channel. */
export const fakeProviders = (fake: NotificationProvider = fakeProvider()): Providers => ({ email: fake, whatsapp: fake, sms: fake });

export type { Channel, Language };
