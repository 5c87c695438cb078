import { expect } from 'vitest';
import { describeConstraint } from '../../api/lib/constraints.js';
import { pgErrorOf } from '../../api/lib/errors.js';

/** What refused a write: the constraint's name (or the name a trigger raised) and the SQLSTATE; fails the test when it succeeded. */
export async function refusal(promise: Promise<unknown>): Promise<{ constraint: string | undefined; code: string | undefined }> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e ?? new Error('rejected with nothing'),
  );
  expect(err, 'the write should have been refused').toBeDefined();
  const pg = pgErrorOf(err);
  expect(pg, `not a PostgreSQL error: ${String(err)}`).toBeDefined();
  return { constraint: pg!.constraint ?? pg!.constraint_name, code: pg!.code };
}

/**
 * The name of the constraint (or the name a trigger raised) that refused a write, asserting that it was refused by
 * PostgreSQL: the raw-SQL tests assert rules by name, and constraint-coverage.test.ts reads those names.
 */
export async function refusedBy(promise: Promise<unknown>): Promise<string | undefined> {
  return (await refusal(promise)).constraint;
}

/** refusedBy, and the API has a message for that name (api/lib/constraints.ts): a person is told what went wrong. */
export async function refusedWithMessage(promise: Promise<unknown>): Promise<string | undefined> {
  const name = await refusedBy(promise);
  expect(describeConstraint(name!), `no API message for ${name}`).toBeDefined();
  return name;
}
