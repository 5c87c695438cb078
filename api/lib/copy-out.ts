import { type SQL, sql } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import type { Db } from '../../db/client.js';

/**
 * One text column of a query, every row, as bytes straight from PostgreSQL's COPY: no row becomes a JavaScript object,
 * so a CSV export of 1.5 million lines streams in constant memory (a cursor's FETCH built 10,000 row objects and one
 * large string per batch, and the heap grew by 100 MB and more before a full collection). PostgreSQL only: PGlite has
 * no COPY TO STDOUT stream, and its callers keep their cursor.
 */

/** Writes each parameter as \x01<n>\x02, to be replaced by its literal: COPY takes no bind parameters. */
class MarkedParams extends PgDialect {
  override escapeParam(num: number): string {
    return `\u0001${num}\u0002`;
  }
}
const marked = new MarkedParams();

/**
 * A parameter as the literal PostgreSQL reads the same way postgres.js sends it: text and numbers untyped (type 0,
 * resolved by their place in the query; text quoted as drizzle's dialect quotes it, for standard_conforming_strings
 * on), booleans, bigints and dates typed. Null for a value with no such literal.
 */
export function sqlLiteral(v: unknown): string | null {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'string') return marked.escapeString(v);
  if (typeof v === 'number') return Number.isFinite(v) ? `'${v}'` : null;
  if (typeof v === 'boolean') return `'${v}'::boolean`;
  if (typeof v === 'bigint') return `'${v}'::int8`;
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? null : `'${v.toISOString()}'::timestamptz`;
  return null;
}

/** The query's text with its parameters written in as literals (standard_conforming_strings on), or null if one cannot be. */
export function inlined(query: SQL): string | null {
  const { sql: text, params } = marked.sqlToQuery(query);
  let used = 0;
  let ok = true;
  const out = text.replace(/\u0001(\d+)\u0002/g, (_, n: string) => {
    used++;
    const lit = Number(n) < params.length ? sqlLiteral(params[Number(n)]) : null;
    if (lit === null) ok = false;
    return lit ?? '';
  });
  // Every marker was a parameter, and nothing else in the text looks like one.
  if (!ok || used !== params.length || /[\u0001\u0002]/.test(out)) return null;
  return out;
}

type CopyClient = { unsafe(query: string): { readable(): Promise<AsyncIterable<Buffer>> } };

/** postgres.js's client under a drizzle transaction, or null on PGlite (drizzle keeps it on the session). */
function copyClient(db: Db): CopyClient | null {
  const client = (db as unknown as { session?: { client?: { unsafe?: unknown } } }).session?.client;
  return client && typeof client.unsafe === 'function' ? (client as CopyClient) : null;
}

/** Lines, each ended by CRLF, about 64 KB at a time, with how many lines each holds. */
export type CopiedLines = AsyncIterable<{ bytes: Uint8Array; lines: number }>;

/**
 * The rows of `query` (one text column) as CRLF lines read through COPY ... TO STDOUT, within the transaction `db` is:
 * null where that cannot be (PGlite, or a parameter with no literal). The COPY is one statement, so the transaction's
 * statement timeout becomes `timeoutMs`. Read it to its end: the connection serves nothing else until then.
 */
export async function copyLines(db: Db, query: SQL, opts: { timeoutMs: number; pieceLines: number }): Promise<CopiedLines | null> {
  const client = copyClient(db);
  if (!client) return null;
  const text = inlined(sql`copy (${query}) to stdout with (format binary)`);
  if (text === null) return null;
  await db.execute(sql`select set_config('statement_timeout', ${`${Math.trunc(opts.timeoutMs)}ms`}, true), set_config('standard_conforming_strings', 'on', true)`);
  return resumed(await client.unsafe(text).readable(), opts.pieceLines);
}

/**
 * The COPY stream, read to its end, then the connection's socket set flowing again: postgres.js 3.4 pauses the socket
 * when the stream's buffer is full, and when COPY's last rows and its end arrive in one chunk nothing resumes it, so the
 * transaction's next statement waits forever (porsager/postgres#499, fix proposed in #1016). The stream's read() is
 * what resumes the socket.
 */
async function* resumed(stream: AsyncIterable<Buffer>, pieceLines: number): AsyncGenerator<{ bytes: Uint8Array; lines: number }> {
  try {
    yield* crlfLines(stream, pieceLines);
  } finally {
    (stream as unknown as { _read?: (size: number) => void })._read?.(0);
  }
}

/** PGCOPY\n\377\r\n\0, then a 32-bit flags field and a 32-bit header extension length. */
const SIGNATURE = 11;
const CRLF = Buffer.from('\r\n');
const PIECE = 64 * 1024;

/**
 * COPY's binary format (one field per tuple: 16-bit field count, 32-bit length, bytes; a count of -1 ends it) as CRLF
 * lines, whatever the chunks' boundaries, in pieces of 64 KB or `pieceLines` lines. A NULL field is an empty line.
 */
export async function* crlfLines(chunks: AsyncIterable<Uint8Array>, pieceLines = Infinity): AsyncGenerator<{ bytes: Uint8Array; lines: number }> {
  let rest: Buffer | null = null;
  let started = false;
  let ended = false;
  let out: Buffer[] = [];
  let size = 0;
  let lines = 0;
  for await (const chunk of chunks) {
    const b: Buffer = rest ? Buffer.concat([rest, chunk]) : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    rest = null;
    let p = 0;
    if (!started) {
      if (b.length < SIGNATURE + 8 || b.length < SIGNATURE + 8 + b.readInt32BE(SIGNATURE + 4)) {
        rest = Buffer.from(b);
        continue;
      }
      if (b.toString('latin1', 0, 5) !== 'PGCOP') throw new Error('COPY: not the binary format');
      p = SIGNATURE + 8 + b.readInt32BE(SIGNATURE + 4);
      started = true;
    }
    while (!ended && b.length - p >= 2) {
      const fields = b.readInt16BE(p);
      if (fields === -1) {
        ended = true;
        p += 2;
        break;
      }
      if (fields !== 1) throw new Error(`COPY: a tuple of ${fields} fields, not one`);
      if (b.length - p < 6) break;
      const len = b.readInt32BE(p + 2);
      const whole = 6 + Math.max(len, 0);
      if (b.length - p < whole) break;
      if (len > 0) out.push(b.subarray(p + 6, p + whole));
      out.push(CRLF);
      size += Math.max(len, 0) + 2;
      lines++;
      p += whole;
      if (size >= PIECE || lines >= pieceLines) {
        yield { bytes: Buffer.concat(out, size), lines };
        out = [];
        size = 0;
        lines = 0;
      }
    }
    // A tuple cut by the chunk's end waits for the next (copied: the chunk itself is not kept).
    if (p < b.length && !ended) rest = Buffer.from(b.subarray(p));
  }
  if (started && !ended) throw new Error('COPY: the data ended before its trailer');
  if (size) yield { bytes: Buffer.concat(out, size), lines };
}
