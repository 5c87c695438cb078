import { parseInstant } from '../../lib/dates.js';

// The gateway's settlement file: CSV with a header row naming (in any order, any case) settlement_id, utr,
// payment_id, amount, fee, tax, settled_at; more columns are ignored. Amounts are rupees as Razorpay's reports write
// them (1250.50; whole paise, no more than two decimals); settled_at an ISO date-time, IST when it has no offset, or
// Unix seconds.

export const SETTLEMENT_COLUMNS = ['settlement_id', 'utr', 'payment_id', 'amount', 'fee', 'tax', 'settled_at'] as const;
/** More lines than this in one file is not a settlement of this business: split it. */
export const MAX_SETTLEMENT_LINES = 50_000;

export interface SettlementCsvLine {
  line_no: number;
  settlement_id: string;
  utr: string;
  payment_ref: string;
  amount_paise: number;
  fee_paise: number;
  tax_paise: number;
  settled_at: Date;
}

export interface CsvProblem {
  line_no: number;
  message: string;
}

/** RFC 4180 rows: quoted fields (with "" for a quote, commas and newlines inside), CRLF or LF. */
export function csvRows(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else field += ch;
    } else if (ch === '"' && field === '') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += ch;
  }
  if (field !== '' || row.length) {
    row.push(field);
    rows.push(row);
  }
  return rows.filter((r) => r.some((f) => f.trim() !== ''));
}

/** Rupees as written in the file (1250, 1250.5, 1250.50, "1,250.50") to paise, or null. */
export function rupeesToPaise(raw: string): number | null {
  const s = raw.trim().replace(/,/g, '');
  const m = /^(\d{1,8})(?:\.(\d{1,2}))?$/.exec(s);
  if (!m) return null;
  return Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
}

function instant(raw: string): Date | null {
  const s = raw.trim();
  if (/^\d{9,11}$/.test(s)) return new Date(Number(s) * 1000);
  const zoned = /(Z|[+-]\d{2}:?\d{2})$/i.test(s) || !/\d{2}:\d{2}/.test(s) ? s : `${s}+05:30`;
  const parsed = parseInstant(/\d{2}:\d{2}/.test(zoned) ? zoned : `${zoned}T00:00:00+05:30`);
  return 'at' in parsed ? parsed.at : null;
}

/** The lines of a settlement file, and what is wrong with the ones that cannot be read (by line number, 1 = header). */
export function parseSettlementCsv(text: string): { lines: SettlementCsvLine[]; problems: CsvProblem[] } {
  const rows = csvRows(text.replace(/^\uFEFF/, ''));
  const problems: CsvProblem[] = [];
  if (!rows.length) return { lines: [], problems: [{ line_no: 1, message: 'The file is empty: it needs a header row and lines.' }] };
  const header = rows[0].map((h) => h.trim().toLowerCase());
  const at = Object.fromEntries(SETTLEMENT_COLUMNS.map((c) => [c, header.indexOf(c)])) as Record<(typeof SETTLEMENT_COLUMNS)[number], number>;
  const missing = SETTLEMENT_COLUMNS.filter((c) => at[c] < 0);
  if (missing.length) return { lines: [], problems: [{ line_no: 1, message: `The header row lacks ${missing.join(', ')} (it needs ${SETTLEMENT_COLUMNS.join(', ')}).` }] };
  if (rows.length - 1 > MAX_SETTLEMENT_LINES) {
    return { lines: [], problems: [{ line_no: 1, message: `The file has ${rows.length - 1} lines; at most ${MAX_SETTLEMENT_LINES} are taken at once: split it.` }] };
  }
  const lines: SettlementCsvLine[] = [];
  const seen = new Map<string, number>();
  rows.slice(1).forEach((row, i) => {
    const line_no = i + 2;
    const get = (c: (typeof SETTLEMENT_COLUMNS)[number]) => (row[at[c]] ?? '').trim();
    const wrong: string[] = [];
    const settlement_id = get('settlement_id');
    const utr = get('utr');
    const payment_ref = get('payment_id');
    if (!settlement_id || settlement_id.length > 100) wrong.push('settlement_id is missing or longer than 100 characters');
    if (!utr || utr.length > 50) wrong.push('utr is missing or longer than 50 characters');
    if (!payment_ref || payment_ref.length > 100) wrong.push('payment_id is missing or longer than 100 characters');
    const amount = rupeesToPaise(get('amount'));
    const fee = get('fee') === '' ? 0 : rupeesToPaise(get('fee'));
    const tax = get('tax') === '' ? 0 : rupeesToPaise(get('tax'));
    if (amount === null || amount <= 0 || amount > 1_000_000_000) wrong.push(`amount "${get('amount').slice(0, 20)}" is not rupees above 0 (like 1250.50)`);
    if (fee === null) wrong.push(`fee "${get('fee').slice(0, 20)}" is not rupees (like 12.50)`);
    if (tax === null) wrong.push(`tax "${get('tax').slice(0, 20)}" is not rupees (like 2.25)`);
    if (amount !== null && fee !== null && tax !== null && fee + tax > amount) wrong.push('fee and tax come to more than the amount');
    const settled_at = instant(get('settled_at'));
    if (!settled_at) wrong.push(`settled_at "${get('settled_at').slice(0, 30)}" is not a date and time (like 2026-12-05 10:30:00)`);
    if (/[\u0000-\u001f]/.test(settlement_id + utr + payment_ref)) wrong.push('a value holds a control character');
    if (payment_ref && seen.has(payment_ref)) wrong.push(`payment ${payment_ref.slice(0, 100)} is on line ${seen.get(payment_ref)} already`);
    if (wrong.length) {
      problems.push({ line_no, message: wrong.join('; ') });
      return;
    }
    seen.set(payment_ref, line_no);
    lines.push({ line_no, settlement_id, utr, payment_ref, amount_paise: amount!, fee_paise: fee!, tax_paise: tax!, settled_at: settled_at! });
  });
  if (!lines.length && !problems.length) problems.push({ line_no: 2, message: 'The file has a header row but no lines.' });
  return { lines, problems };
}
