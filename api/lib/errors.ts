import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { ZodError } from 'zod';
import { describeConstraint } from './constraints.js';

/** A domain error: a status, a stable code, and a message a person understands. */
export class AppError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: string,
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

export const badRequest = (message: string, code = 'bad_request') => new AppError(400, code, message);
export const unauthorized = (message = 'Please log in.') => new AppError(401, 'unauthorized', message);
export const forbidden = (message = 'You do not have permission to do this.') => new AppError(403, 'forbidden', message);
export const notFound = (what: string) => new AppError(404, 'not_found', `${what} was not found.`);
export const conflict = (message: string, code = 'conflict') => new AppError(409, code, message);
export const unprocessable = (message: string, code = 'rule_violated') => new AppError(422, code, message);

const titles: Record<number, string> = {
  400: 'Bad request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not found',
  409: 'Conflict',
  410: 'Gone',
  413: 'Content too large',
  415: 'Unsupported media type',
  422: 'Unprocessable content',
  429: 'Too many requests',
  500: 'Internal server error',
  503: 'Service unavailable',
};

export function problem(c: Context, status: ContentfulStatusCode, code: string, message: string, extra: Record<string, unknown> = {}) {
  const body = {
    type: `/problems/${code}`,
    title: titles[status] ?? 'Error',
    status,
    detail: message,
    code,
    message,
    ...extra,
  };
  return c.body(JSON.stringify(body), status, { 'content-type': 'application/problem+json' });
}

export function zodMessage(error: ZodError): string {
  return error.issues
    .map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message))
    .join('; ');
}

interface PgLikeError {
  code?: string;
  constraint?: string;
  constraint_name?: string;
  message?: string;
}

/** Drivers wrap the PostgreSQL error (drizzle puts it on .cause); PGlite names the constraint `constraint`, postgres.js `constraint_name`. */
export function pgErrorOf(err: unknown): PgLikeError | undefined {
  let e: unknown = err;
  for (let depth = 0; e && depth < 4; depth++) {
    const candidate = e as PgLikeError & { cause?: unknown };
    if (typeof candidate.code === 'string' && /^[0-9A-Z]{5}$/.test(candidate.code)) return candidate;
    e = candidate.cause;
  }
  return undefined;
}

/** Turns any thrown value into the AppError a client should see, or undefined for a real bug. */
export function toAppError(err: unknown): AppError | undefined {
  if (err instanceof AppError) return err;
  if (err instanceof ZodError) return badRequest(zodMessage(err), 'validation_failed');
  const pg = pgErrorOf(err);
  if (!pg) return undefined;
  const name = pg.constraint ?? pg.constraint_name;
  // One foreign key fails both ways: writing a child that names no parent, or removing a parent that has children.
  const direction = pg.code === '23503' && /^insert or update/.test(pg.message ?? '') ? ':insert' : '';
  const known = name ? (describeConstraint(name + direction) ?? describeConstraint(name)) : undefined;
  if (known) return new AppError(known.status, known.code, known.message, { constraint: name });
  switch (pg.code) {
    case '23505':
      return conflict('A record with these values already exists.', 'duplicate');
    case '23503':
    case '23001': // restrict_violation: what PostgreSQL 18 (PGlite too) reports for ON DELETE RESTRICT
      return conflict('This record is linked to others and cannot be changed that way.', 'still_referenced');
    case '23514':
      return unprocessable('A value breaks a rule of the data.', 'check_failed');
    case '23502':
      return badRequest('A required value is missing.', 'missing_value');
    case '23P01':
      return conflict('This overlaps an existing record.', 'overlap');
    case '22P02':
    case '22007':
    case '22008':
    case '22003':
      return badRequest('A value has the wrong format.', 'bad_value');
    case '57014': // query_canceled: the statement timeout ended it (the connection is fine and goes back to the pool)
      return new AppError(
        503,
        'query_timeout',
        'This request took too long and was stopped, so it would not hold the database for everyone. Narrow it (a filter, a search, a shorter date range) or try again in a moment.',
      );
    case '40001':
    case '40P01':
      return conflict('Another change to the same records happened at the same time; try again.', 'concurrent_update');
    default:
      return undefined;
  }
}
