// The exports' CSV read back strictly: a record ends in CRLF, a bare line break or an unterminated record is an error.

/** A small RFC 4180 reader: quoted fields with doubled quotes, commas and line breaks inside, CRLF records. */
export function parseCsv(text: string): string[][] {
  const out: string[][] = [];
  let row: string[] = [];
  let field = '';
  let i = 0;
  let quoted = false;
  while (i < text.length) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') (field += '"'), (i += 2);
      else if (ch === '"') (quoted = false), i++;
      else (field += ch), i++;
    } else if (ch === '"' && field === '') (quoted = true), i++;
    else if (ch === ',') row.push(field), (field = ''), i++;
    else if (ch === '\r' && text[i + 1] === '\n') row.push(field), out.push(row), (row = []), (field = ''), (i += 2);
    else if (ch === '\n' || ch === '\r') throw new Error(`bare line break at ${i}: records end in CRLF`);
    else (field += ch), i++;
  }
  if (field !== '' || row.length) throw new Error('the last record does not end in CRLF');
  return out;
}
