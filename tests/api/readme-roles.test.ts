import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { expectJson } from './support.js';

// The README's "Who may do what" table is the seeded grants exactly: this reads the table and compares it with
// GET /api/roles, so a grant added in a migration without the README (or the reverse) fails here.

interface Role {
  name: string;
  description: string;
  permissions: { resource: string; action: string; conditions: { own?: boolean } | null }[];
}

const readme = readFileSync(join(import.meta.dirname, '../../README.md'), 'utf8');

/** The rows of the table whose header is `| role | may change | may read |`: role -> [may change, may read]. */
function readmeTable(): Map<string, [string, string]> {
  const lines = readme.split('\n');
  const start = lines.findIndex((l) => /^\|\s*role\s*\|\s*may change\s*\|\s*may read\s*\|\s*$/.test(l));
  expect(start, 'README has a "| role | may change | may read |" table').toBeGreaterThan(-1);
  const rows = new Map<string, [string, string]>();
  for (const line of lines.slice(start + 2)) {
    if (!line.startsWith('|')) break;
    const [role, change, read] = line.split('|').slice(1, -1).map((c) => c.trim());
    rows.set(role, [change, read]);
  }
  return rows;
}

/**
 * One cell as grants "resource action [own]": `billing records` (every action under may change, list and show under
 * may read), `orders (create)` (those actions, plus list and show), `own deliveries (confirm, fail)`, `everything`.
 */
function grantsOf(cell: string, column: 'change' | 'read'): string[] {
  if (cell === 'everything') return ['* *'];
  const out: string[] = [];
  for (const m of cell.matchAll(/\s*(own )?([a-z ]+?)\s*(?:\(([a-z, ]+)\))?\s*(?:,|$)/g)) {
    const [, own, name, actions] = m;
    if (!name.trim()) continue;
    const resource = name.trim().replace(/ /g, '-');
    const listed = actions?.split(',').map((a) => a.trim());
    const all = listed ? (column === 'change' ? ['list', 'show', ...listed] : listed) : column === 'change' ? ['*'] : ['list', 'show'];
    for (const action of all) out.push(`${resource} ${action}${own ? ' own' : ''}`);
  }
  return out;
}

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t?.close());

describe("the README's role table", () => {
  test('the cell parser reads every form the table uses', () => {
    expect(grantsOf('billing records, data health (list)', 'read')).toEqual(['billing-records list', 'billing-records show', 'data-health list']);
    expect(grantsOf('orders (create), zones', 'change')).toEqual(['orders list', 'orders show', 'orders create', 'zones *']);
    expect(grantsOf('own deliveries (confirm, fail)', 'change')).toEqual(['deliveries list own', 'deliveries show own', 'deliveries confirm own', 'deliveries fail own']);
  });

  test('says exactly what GET /api/roles grants, role by role', async () => {
    const roles = await expectJson<Role[]>(await t.call('admin', 'GET', '/api/roles?_start=0&_end=100'), 200);
    const table = readmeTable();
    expect([...table.keys()].sort()).toEqual(roles.map((r) => r.name).sort());
    for (const role of roles) {
      const [change, read] = table.get(role.name)!;
      const documented = [...new Set([...grantsOf(change, 'change'), ...grantsOf(read, 'read')])].sort();
      const granted = role.permissions.map((p) => `${p.resource} ${p.action}${p.conditions?.own ? ' own' : ''}`).sort();
      expect(documented, `README row of ${role.name}`).toEqual(granted);
    }
    // The role's own description (the Roles page) says the same.
    expect(roles.find((r) => r.name === 'support')).toMatchObject({ description: expect.stringMatching(/subscriptions, one-time orders/) });
  });
});
