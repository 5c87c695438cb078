/** A server-sent event as parsed from the stream. */
export interface SseEvent {
  event: string;
  data: string;
  retry?: number;
}

/**
 * Reads a text/event-stream body as it arrives: `next(name)` waits for the next event of that name (or any) and
 * `closed` resolves when the server ends the stream. Comments (heartbeats) are counted, not returned.
 */
export function readSse(res: Response) {
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  const events: SseEvent[] = [];
  const waiters: (() => void)[] = [];
  let buffer = '';
  let heartbeats = 0;
  let done = false;
  const wake = () => waiters.splice(0).forEach((w) => w());
  const closed = (async () => {
    try {
      for (;;) {
        const { value, done: end } = await reader.read();
        if (end) break;
        buffer += decoder.decode(value, { stream: true });
        let cut: number;
        while ((cut = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, cut);
          buffer = buffer.slice(cut + 2);
          const e: SseEvent = { event: 'message', data: '' };
          let comment = true;
          for (const line of block.split('\n')) {
            if (line.startsWith(':')) continue;
            comment = false;
            const [field, ...rest] = line.split(':');
            const value = rest.join(':').replace(/^ /, '');
            if (field === 'event') e.event = value;
            else if (field === 'data') e.data = e.data ? `${e.data}\n${value}` : value;
            else if (field === 'retry') e.retry = Number(value);
          }
          if (comment) heartbeats++;
          else events.push(e);
          wake();
        }
      }
    } catch {
      // Cancelled by the test.
    } finally {
      done = true;
      wake();
    }
  })();
  let read = 0;
  return {
    events,
    closed,
    get heartbeats() {
      return heartbeats;
    },
    get done() {
      return done;
    },
    /** The next event (of that name) not yet returned; rejects after `ms`. */
    async next(name?: string, ms = 5000): Promise<SseEvent> {
      const deadline = Date.now() + ms;
      for (;;) {
        while (read < events.length) {
          const e = events[read++];
          if (!name || e.event === name) return e;
        }
        if (done) throw new Error(`the stream ended before a "${name ?? 'any'}" event`);
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`no "${name ?? 'any'}" event within ${ms} ms (got: ${events.map((e) => e.event).join(', ')})`);
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, left);
          waiters.push(() => {
            clearTimeout(timer);
            resolve();
          });
        });
      }
    },
    cancel: () => reader.cancel().catch(() => {}),
  };
}
