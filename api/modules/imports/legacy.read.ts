import { createReadStream, existsSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

export type LegacyDoc = Record<string, unknown>;

export type LegacyLine = { line: number; doc: LegacyDoc; error?: undefined } | { line: number; doc?: undefined; error: string; oid: string | null };

export const collectionFile = (dir: string, collection: string) => join(dir, `${collection}.json`);
export const hasCollection = (dir: string, collection: string) => existsSync(collectionFile(dir, collection));

const oidInText = /"_id"\s*:\s*\{\s*"\$oid"\s*:\s*"([0-9a-fA-F]{24})"/;

/**
 * The documents of one mongoexport file, one line at a time (node:readline over a stream: memory stays flat
 * whatever the file's size). A line that is not a JSON object comes back as an error with whatever `_id` can be seen.
 */
export async function* readCollection(dir: string, collection: string): AsyncGenerator<LegacyLine> {
  const file = collectionFile(dir, collection);
  if (!existsSync(file)) return;
  const rl = createInterface({ input: createReadStream(file, { encoding: 'utf8' }), crlfDelay: Infinity });
  let line = 0;
  for await (const text of rl) {
    line++;
    const trimmed = text.trim();
    if (!trimmed) continue;
    let doc: unknown;
    try {
      doc = JSON.parse(trimmed);
    } catch (err) {
      yield { line, error: `line ${line} is not valid JSON (${(err as Error).message})`, oid: oidInText.exec(trimmed)?.[1]?.toLowerCase() ?? null };
      continue;
    }
    if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) {
      yield { line, error: `line ${line} is not a JSON object`, oid: null };
      continue;
    }
    yield { line, doc: doc as LegacyDoc };
  }
}
