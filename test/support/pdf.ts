import { execFileSync } from 'node:child_process';

/** The text of one page of a PDF file, as pdftotext reads it, whitespace removed. */
export function pdfPageText(file: string, page: number): string {
  return execFileSync('pdftotext', ['-f', String(page), '-l', String(page), file, '-'], { encoding: 'utf8' }).replace(
    /\s+/g,
    '',
  );
}

/** How many pages a PDF file has (pdfinfo). */
export function pdfPageCount(file: string): number {
  return Number(/^Pages:\s+(\d+)/m.exec(execFileSync('pdfinfo', [file], { encoding: 'utf8' }))![1]);
}

/**
 * The faces a PDF's text is set in, each with the number of distinct glyphs drawn in it, the most
 * used first. pdffonts names the TrueType fonts Chromium embeds; an OpenType font with CFF
 * outlines (FandolFang, Noto CJK) Chromium embeds as Type 3 fonts, which pdffonts lists as
 * "[none]", so their names are read from the font descriptors Chromium writes for them.
 */
export function pdfFaces(file: string, pdf: Buffer): Array<{ face: string; glyphs: number }> {
  const counts = new Map<string, number>();
  const add = (face: string, glyphs: number) => counts.set(face, (counts.get(face) ?? 0) + glyphs);
  const listed = execFileSync('pdffonts', [file], { encoding: 'utf8' }).split('\n').slice(2);
  for (const line of listed) {
    const name = line.split(/\s+/)[0];
    if (name && name !== '[none]') add(name.replace(/^[A-Z]{6}\+/, ''), 0);
  }
  const objects = new Map<string, string>();
  for (const match of pdf.toString('latin1').matchAll(/(?:^|\n)(\d+) 0 obj\s*([^]*?)endobj/g)) {
    objects.set(match[1], match[2]);
  }
  for (const body of objects.values()) {
    if (!body.includes('/Subtype /Type3')) continue;
    const descriptor = objects.get(/\/FontDescriptor (\d+) 0 R/.exec(body)?.[1] ?? '') ?? '';
    const face = /\/FontName \/(?:[A-Z]{6}\+)?([^\s/<>[\]()]+)/.exec(descriptor)?.[1] ?? '[none]';
    const glyphs = /\/CharProcs <<([^>]*)>>/.exec(body)?.[1].match(/\/g(?!0\b)\d+/g)?.length ?? 0;
    add(face, glyphs);
  }
  return [...counts].map(([face, glyphs]) => ({ face, glyphs })).sort((a, b) => b.glyphs - a.glyphs);
}
