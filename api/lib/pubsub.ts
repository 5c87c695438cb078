import type { Logger } from 'pino';
import type { Database } from '../../db/client.js';

/** The one channel live events travel on: a writer NOTIFYs it in its transaction, every API process LISTENs. */
export const EVENTS_CHANNEL = 'milkrun_events';

/** A live event as NOTIFY carries it: its SSE event name in `type`, the rest is the event's data. */
export interface LiveEvent {
  type: string;
  [key: string]: unknown;
}

/**
 * Fans the events of the database's channel out to this process's subscribers (the SSE streams). One LISTEN per
 * process, opened at the first subscription and kept: several API processes each hold their own, so an event written
 * through any of them reaches every stream. Nothing is kept in memory but the subscribers.
 */
export class EventHub {
  private readonly subscribers = new Set<(event: LiveEvent) => void>();
  private listening: Promise<void> | null = null;

  constructor(
    private readonly database: Pick<Database, 'listen'>,
    private readonly log: Logger,
  ) {}

  /** Whether this database can carry live events (PostgreSQL and PGlite both can). */
  get available(): boolean {
    return typeof this.database.listen === 'function';
  }

  /** Calls `fn` with every event from now on; resolves (once listening) to the function that unsubscribes. */
  async subscribe(fn: (event: LiveEvent) => void): Promise<() => void> {
    this.subscribers.add(fn);
    try {
      await this.start();
    } catch (err) {
      this.subscribers.delete(fn);
      throw err;
    }
    return () => void this.subscribers.delete(fn);
  }

  get subscriberCount(): number {
    return this.subscribers.size;
  }

  private start(): Promise<void> {
    if (!this.database.listen) return Promise.resolve();
    this.listening ??= this.database
      .listen(EVENTS_CHANNEL, (payload) => this.dispatch(payload))
      .then(() => undefined)
      .catch((err: unknown) => {
        // The next subscriber tries again.
        this.listening = null;
        throw err;
      });
    return this.listening;
  }

  private dispatch(payload: string) {
    let event: LiveEvent;
    try {
      event = JSON.parse(payload) as LiveEvent;
    } catch {
      this.log.warn({ payload: payload.slice(0, 200) }, 'a live event that is not JSON was dropped');
      return;
    }
    if (typeof event?.type !== 'string') return;
    for (const fn of this.subscribers) {
      try {
        fn(event);
      } catch (err) {
        this.log.error({ err }, 'a live event subscriber failed');
      }
    }
  }
}
