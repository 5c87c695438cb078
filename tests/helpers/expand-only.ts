import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * A lint for "expand only": the statements of a migration that would break the previous release's code, judged
 * against that release's schema (drizzle's snapshot of its last migration). drizzle names every column of its TS
 * schema in a select and an insert's returning, so a column in the old snapshot is a column the old code reads.
 * It sees shapes only (a new CHECK or unique index the old writes break is behaviour: the rolling deploy check,
 * scripts/rolling-deploy-check.sh, runs the old API tests on the new schema for that).
 */

export interface OldSchema {
  /** table name -> its column names */
  tables: Map<string, Set<string>>;
  enums: Set<string>;
  views: Set<string>;
}

export const migrationsDir = join(import.meta.dirname, '../../db/migrations');

/** The tables, columns, enums and views of the schema as it was after `tag` (meta/NNNN_snapshot.json). */
export function schemaAfter(tag: string, dir = migrationsDir): OldSchema {
  const snapshot = JSON.parse(readFileSync(join(dir, 'meta', `${tag.slice(0, 4)}_snapshot.json`), 'utf8')) as {
    tables: Record<string, { name: string; columns: Record<string, unknown> }>;
    enums?: Record<string, { name: string }>;
    views?: Record<string, { name: string }>;
  };
  return {
    tables: new Map(Object.values(snapshot.tables).map((t) => [t.name, new Set(Object.keys(t.columns))])),
    enums: new Set(Object.values(snapshot.enums ?? {}).map((e) => e.name)),
    views: new Set(Object.values(snapshot.views ?? {}).map((v) => v.name)),
  };
}

/** The journal's migration tags, oldest first. */
export function journalTags(dir = migrationsDir): string[] {
  const journal = JSON.parse(readFileSync(join(dir, 'meta', '_journal.json'), 'utf8')) as { entries: { tag: string }[] };
  return journal.entries.map((e) => e.tag);
}

// An identifier, quoted or not, optionally schema-qualified: captures the bare name.
const ID = String.raw`(?:"?public"?\.)?"?([A-Za-z_][\w$]*)"?`;

/** Statements without comments, string literals or dollar-quoted bodies (function text is not DDL run here). */
function statements(sql: string): string[] {
  const bare = sql
    .replace(/\$([A-Za-z_]*)\$[\s\S]*?\$\1\$/g, "''")
    .replace(/'(?:[^']|'')*'/g, "''")
    .replace(/\/\*[\s\S]*?\*\//g, ' ')
    .replace(/--[^\n]*/g, ' ');
  return bare
    .split(';')
    .map((s) => s.replace(/\s+/g, ' ').trim())
    .filter(Boolean);
}

/** Splits on commas outside parentheses (the actions of one ALTER TABLE). */
function topLevel(list: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < list.length; i++) {
    if (list[i] === '(') depth++;
    else if (list[i] === ')') depth--;
    else if (list[i] === ',' && depth === 0) {
      parts.push(list.slice(start, i).trim());
      start = i + 1;
    }
  }
  parts.push(list.slice(start).trim());
  return parts;
}

/**
 * The contract steps in one migration's SQL, each as "<what> <table>[.<column>]": dropping or renaming a table,
 * view or enum of the old schema; dropping, renaming or retyping an old column, or making it NOT NULL; adding a NOT
 * NULL column without a default to an old table (the old code's inserts do not name it).
 */
export function contractSteps(sql: string, old: OldSchema): string[] {
  const found: string[] = [];
  for (const statement of statements(sql)) {
    let m: RegExpMatchArray | null;
    if ((m = statement.match(/^DROP (TABLE|VIEW|MATERIALIZED VIEW|TYPE) (?:IF EXISTS )?(.+?)(?: CASCADE| RESTRICT)?$/i))) {
      const kind = m[1].toLowerCase();
      const known = kind === 'table' ? old.tables : kind === 'type' ? old.enums : old.views;
      for (const item of m[2].split(',')) {
        const name = item.trim().match(new RegExp(`^${ID}$`))?.[1];
        if (name && known.has(name)) found.push(`drop ${kind === 'materialized view' ? 'view' : kind} ${name}`);
      }
      continue;
    }
    if ((m = statement.match(new RegExp(`^ALTER (?:TABLE|VIEW|MATERIALIZED VIEW) (?:IF EXISTS )?(?:ONLY )?${ID} RENAME TO `, 'i')))) {
      if (old.tables.has(m[1]) || old.views.has(m[1])) found.push(`rename table ${m[1]}`);
      continue;
    }
    if ((m = statement.match(new RegExp(`^ALTER TYPE ${ID} (RENAME|DROP)`, 'i')))) {
      if (old.enums.has(m[1])) found.push(`${m[2].toLowerCase()} enum ${m[1]}`);
      continue;
    }
    if ((m = statement.match(new RegExp(`^ALTER TABLE (?:IF EXISTS )?(?:ONLY )?${ID} (.+)$`, 'i')))) {
      const table = m[1];
      const columns = old.tables.get(table);
      if (!columns) continue; // a table the old release did not have: its code never touches it
      const rename = m[2].match(new RegExp(`^RENAME (?:COLUMN )?${ID} TO `, 'i'));
      if (rename && !/^RENAME CONSTRAINT /i.test(m[2])) {
        if (columns.has(rename[1])) found.push(`rename column ${table}.${rename[1]}`);
        continue;
      }
      for (const action of topLevel(m[2])) {
        let a: RegExpMatchArray | null;
        if ((a = action.match(new RegExp(`^DROP (?:COLUMN )?(?:IF EXISTS )?${ID}`, 'i'))) && !/^DROP (CONSTRAINT|DEFAULT)\b/i.test(action)) {
          if (columns.has(a[1])) found.push(`drop column ${table}.${a[1]}`);
        } else if ((a = action.match(new RegExp(`^ALTER (?:COLUMN )?${ID} (?:SET DATA )?TYPE `, 'i')))) {
          if (columns.has(a[1])) found.push(`change type ${table}.${a[1]}`);
        } else if ((a = action.match(new RegExp(`^ALTER (?:COLUMN )?${ID} SET NOT NULL`, 'i')))) {
          if (columns.has(a[1])) found.push(`set not null ${table}.${a[1]}`);
        } else if (
          (a = action.match(new RegExp(`^ADD (?:COLUMN )?(?:IF NOT EXISTS )?${ID} (.+)$`, 'i'))) &&
          !/^ADD (CONSTRAINT|PRIMARY KEY|UNIQUE|CHECK|FOREIGN KEY|EXCLUDE)\b/i.test(action)
        ) {
          if (/\bNOT NULL\b/i.test(a[2]) && !/\b(DEFAULT|GENERATED)\b/i.test(a[2])) found.push(`add not null column without default ${table}.${a[1]}`);
        }
      }
    }
  }
  return found;
}
