import pino from 'pino';
import { expect, test } from 'vitest';
import type { Db } from '../../db/client.js';
import { runEvery } from '../../api/lib/jobs.js';

// The background jobs' runner: a run at once and then every tick, never two of one job at once in a process, a
// failure logged and tried again, and nothing after stop.
const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('runs at once and on each tick; a slow run is not overlapped; a failure is logged and the next tick runs again; stop stops it', async () => {
  const lines: { level: number; msg: string; job?: string }[] = [];
  const logger = pino({ level: 'info' }, { write: (l: string) => void lines.push(JSON.parse(l)) });
  let running = 0;
  let most = 0;
  let runs = 0;
  const stop = runEvery({} as Db, logger, {
    name: 'test-job',
    everyMs: 20,
    run: async (ctx) => {
      expect(ctx).toMatchObject({ inTx: false, actor: null, requestId: 'test-job' });
      runs++;
      running++;
      most = Math.max(most, running);
      await wait(50);
      running--;
      if (runs === 2) throw new Error('the database went away');
    },
  });
  // Polled, not a fixed sleep: a loaded machine delays timers.
  for (let i = 0; i < 250 && runs < 4; i++) await wait(20);
  stop();
  const after = runs;
  await wait(150);
  expect(runs).toBeGreaterThanOrEqual(3);
  expect(most).toBe(1);
  expect(runs).toBe(after);
  expect(lines.filter((l) => l.level === 50)).toEqual([expect.objectContaining({ job: 'test-job', msg: 'test-job failed; it runs again at the next tick' })]);
});
