import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { copyLines, crlfLines, inlined } from '../../api/lib/copy-out.js';
import type { Db } from '../../db/client.js';
import { rowsOf } from '../../api/lib/sql.js';
import { freshDatabase } from '../helpers/app.js';

// A CSV export on PostgreSQL reads its lines through COPY (api/lib/copy-out.ts): the query's parameters written in as
// literals, the binary stream cut into CRLF lines. The byte-for-byte comparison with JavaScript's CSV is in
// export-csv-sql.test.ts; here the pieces that could go wrong on their own.

let database: Awaited<ReturnType<typeof freshDatabase>>;
beforeAll(async () => {
  database = await freshDatabase();
});
afterAll(() => database?.drop());

async function collect(pieces: AsyncIterable<{ bytes: Uint8Array; lines: number }>): Promise<{ text: string; lines: number; pieces: number }> {
  const parts: Buffer[] = [];
  let lines = 0;
  let count = 0;
  for await (const p of pieces) {
    parts.push(Buffer.from(p.bytes));
    lines += p.lines;
    count++;
  }
  return { text: Buffer.concat(parts).toString('utf8'), lines, pieces: count };
}

/** Real COPY binary bytes: the header, one text field per tuple (a NULL among them), the trailer. */
function copyBinary(values: (string | null)[]): Buffer {
  const parts = [Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1'), Buffer.alloc(8)];
  for (const v of values) {
    const head = Buffer.alloc(6);
    head.writeInt16BE(1, 0);
    const body = v === null ? Buffer.alloc(0) : Buffer.from(v, 'utf8');
    head.writeInt32BE(v === null ? -1 : body.length, 2);
    parts.push(head, body);
  }
  const end = Buffer.alloc(2);
  end.writeInt16BE(-1, 0);
  parts.push(end);
  return Buffer.concat(parts);
}

async function* chunked(bytes: Buffer, size: (i: number) => number): AsyncGenerator<Uint8Array> {
  for (let at = 0, i = 0; at < bytes.length; i++) {
    const n = Math.max(1, size(i));
    yield new Uint8Array(bytes.subarray(at, at + n));
    at += n;
  }
}

describe('COPY binary to CRLF lines', () => {
  const values = ['id,name', 'a1,"Ravi ""Kumar"""', null, 'b2,"two\r\nlines"', 'c3,ಕನ್ನಡ ಹಾಲು', 'd4,हिन्दी'];
  const expected = `${values.map((v) => v ?? '').join('\r\n')}\r\n`;

  test('the same lines whatever the chunks: one byte at a time, odd sizes, all at once', async () => {
    const bytes = copyBinary(values);
    for (const size of [() => 1, (i: number) => 1 + ((i * 7) % 13), () => bytes.length]) {
      const got = await collect(crlfLines(chunked(bytes, size)));
      expect(got.text).toBe(expected);
      expect(got.lines).toBe(values.length);
    }
  });

  test('pieces hold at most pieceLines lines; a stream cut before its trailer is an error, not a short file', async () => {
    const got = await collect(crlfLines(chunked(copyBinary(values), () => 5), 4));
    expect([got.lines, got.pieces, got.text]).toEqual([6, 2, expected]);
    const cut = copyBinary(values).subarray(0, -2);
    await expect(collect(crlfLines(chunked(cut, () => 9)))).rejects.toThrow(/before its trailer/);
  });
});

describe('parameters written in as literals', () => {
  test('text with quotes and backslashes, numbers, booleans and nulls read back as the parameters would', async () => {
    const text = "O'Brien \\ 'quoted' \\' end";
    const query = sql`select ${text}::text as t, ${42}::int + 1 as n, ${true}::boolean as b, ${null}::text as z, ${'5'} = '5' as u, ${'2026-11-05'} < current_date as d`;
    const literal = inlined(query);
    expect(literal).not.toBeNull();
    expect(literal).not.toMatch(/\$\d/);
    const [viaParams] = rowsOf(await database.db.execute(query));
    const [viaText] = rowsOf(await database.db.execute(sql.raw(literal!)));
    expect(viaText).toEqual(viaParams);
    expect(viaText).toMatchObject({ t: text, b: true, z: null, u: true, d: true });
    expect(Number(viaText.n)).toBe(43);
  });

  test('a date is written as its instant; a value with no literal (NaN, an invalid date) leaves the query to the cursor', () => {
    expect(inlined(sql`select ${new Date('2026-11-05T02:00:00Z')} as a`)).toBe(`select '2026-11-05T02:00:00.000Z'::timestamptz as a`);
    expect(inlined(sql`select ${Number.NaN} as a`)).toBeNull();
    expect(inlined(sql`select ${new Date('nope')} as a`)).toBeNull();
  });
});

test('a handle without postgres.js (PGlite) gets no COPY: the export keeps its cursor', async () => {
  expect(await copyLines({ session: { client: {} } } as unknown as Db, sql`select 'x'`, { timeoutMs: 1000, pieceLines: 10 })).toBeNull();
});

describe.skipIf(!process.env.TEST_DATABASE_URL)('COPY on PostgreSQL', () => {
  test('a reader slower than COPY gets every line, and the transaction goes on after it (the socket flows again)', async () => {
    await database.db.transaction(async (tx) => {
      const db = tx as unknown as Db;
      const copied = await copyLines(db, sql`select 'line ' || g || repeat('x', ${100}::int) from generate_series(1, ${30_000}::int) g order by g`, { timeoutMs: 60_000, pieceLines: 1000 });
      expect(copied).not.toBeNull();
      let lines = 0;
      let last = '';
      for await (const p of copied!) {
        lines += p.lines;
        last = Buffer.from(p.bytes).toString('utf8');
        // Slower than the database: its stream fills, and postgres.js pauses the socket.
        if (lines % 5000 === 0) await new Promise((r) => setTimeout(r, 20));
      }
      expect(lines).toBe(30_000);
      expect(last.endsWith(`line 30000${'x'.repeat(100)}\r\n`)).toBe(true);
      const [after] = rowsOf<{ ok: number }>(await db.execute(sql`select 1 as ok`));
      expect(after.ok).toBe(1);
    });
  });

});
