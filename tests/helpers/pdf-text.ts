import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * The text of a PDF as pdftotext lays it out. pdftotext (Debian's poppler-utils, installed by .ci/run) is required:
 * a missing tool fails the test rather than skipping what the document says.
 */
export function pdfText(pdf: Buffer): string {
  const dir = mkdtempSync(join(tmpdir(), 'milkrun-pdf-'));
  const file = join(dir, 'document.pdf');
  writeFileSync(file, pdf);
  try {
    return execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new Error('pdftotext is missing: apt-get install poppler-utils (the PDF tests read what the document says)');
    throw err;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
