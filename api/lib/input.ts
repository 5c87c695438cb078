import { z } from '@hono/zod-openapi';
import { dayProblem, monthProblem, parseInstant } from './dates.js';

// The shared zod pieces for dates in bodies and query strings: each applies the one rule of api/lib/dates.ts,
// the same one the list filters of api/lib/rest.ts apply.

/** A business day 'YYYY-MM-DD' that exists, between 2000-01-01 and 2100-12-31. */
export const DateString = z
  .string()
  .superRefine((s, ctx) => {
    const problem = dayProblem(s);
    if (problem) ctx.addIssue({ code: 'custom', message: `${shown(s)} ${problem}.` });
  })
  .openapi({ type: 'string', format: 'date', example: '2026-07-15' });

/** A month 'YYYY-MM' within the accepted dates. */
export const MonthString = z
  .string()
  .superRefine((s, ctx) => {
    const problem = monthProblem(s);
    if (problem) ctx.addIssue({ code: 'custom', message: `${shown(s)} ${problem}.` });
  })
  .openapi({ type: 'string', pattern: '^\\d{4}-\\d{2}$', example: '2026-07' });

/** An ISO date-time with Z or an offset, within the accepted dates, as a Date. */
export const Instant = z
  .string()
  .superRefine((s, ctx) => {
    if (!/(Z|[+-]\d{2}:?\d{2})$/i.test(s) || !s.includes('T')) {
      ctx.addIssue({ code: 'custom', message: 'Give the time as an ISO date-time with its offset, e.g. 2026-11-25T06:40:00+05:30.' });
      return;
    }
    const parsed = parseInstant(s);
    if ('problem' in parsed) ctx.addIssue({ code: 'custom', message: `${shown(s)} ${parsed.problem}.` });
  })
  .transform((s) => new Date(Date.parse(s)))
  .openapi({ type: 'string', format: 'date-time', example: '2026-11-25T06:40:00+05:30' });

/** A value quoted for a message, cut short so a huge input does not come back whole. */
export const shown = (s: string) => JSON.stringify(s.length > 40 ? `${s.slice(0, 40)}…` : s);
