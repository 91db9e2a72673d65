import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

/**
 * Citations in code, tests and docs must resolve inside this repository
 * (docs/conventions.md#comments-and-names): no file outside it, and every
 * `docs/<file>.md#<section>` names a file and a heading that exist.
 */

export const projectRoot = path.resolve(import.meta.dirname, '..', '..');

/** What the scan reads: the product's code, tests, templates, seeds, scripts and docs. */
export const SCANNED = [
  'server',
  'test',
  'views',
  'bench',
  'seeds',
  'bin',
  'scripts',
  'docs',
  'README.md',
  'ormconfig.ts',
];
const TEXT_FILE = /\.(ts|js|hbs|md|json|csv|txt|css)$/;

/** Specifications that used to live beside the repository, and that directory itself. */
const OUTSIDE = [
  { pattern: /\b(?:DOMAIN|FORMATS|CONVENTIONS)\.md\b/g, why: 'cites a specification outside the repository' },
  { pattern: /\.\.\/shared\b/g, why: 'cites a directory outside the repository' },
  { pattern: /\bshared\/seed\//g, why: 'cites a directory outside the repository' },
];

/** `docs/<file>.md` with an optional `#section`, anywhere in any scanned file. */
const DOCS_REFERENCE = /(?<![\w/.-])docs\/([\w-]+(?:\/[\w-]+)*)\.md(?:#([\p{L}\p{N}_-]+))?/gu;
/** A relative Markdown link to a `.md` file (`[x](domain.md#uscc)`, `[x](../README.md#run-it)`). */
const MARKDOWN_LINK = /\]\((?!https?:|\/|#)([^)\s#]+\.md)(?:#([^)\s]+))?\)/g;

export interface Problem {
  file: string;
  line: number;
  text: string;
  why: string;
}

export interface Reference {
  file: string;
  line: number;
  /** The referenced file, relative to the project root. */
  target: string;
  anchor: string | null;
}

/** Every text file under the scanned paths, relative to `root`. */
export function scannedFiles(root: string = projectRoot): string[] {
  const files: string[] = [];
  const visit = (relative: string) => {
    const full = path.join(root, relative);
    if (statSync(full).isDirectory()) {
      for (const name of readdirSync(full).sort()) visit(path.join(relative, name));
    } else if (TEXT_FILE.test(relative)) {
      files.push(relative.split(path.sep).join('/'));
    }
  };
  for (const entry of SCANNED) visit(entry);
  return files;
}

function lineOf(text: string, index: number): number {
  let line = 1;
  for (let i = 0; i < index; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

/** Citations of files outside the repository in one file's text. */
export function outsideCitations(file: string, text: string): Problem[] {
  const problems: Problem[] = [];
  for (const { pattern, why } of OUTSIDE) {
    for (const match of text.matchAll(pattern)) {
      problems.push({ file, line: lineOf(text, match.index), text: match[0], why });
    }
  }
  return problems;
}

/** The doc references in one file: `docs/…` anywhere, and relative `.md` links in Markdown. */
export function referencesIn(file: string, text: string): Reference[] {
  const references: Reference[] = [];
  for (const match of text.matchAll(DOCS_REFERENCE)) {
    references.push({ file, line: lineOf(text, match.index), target: `docs/${match[1]}.md`, anchor: match[2] ?? null });
  }
  if (file.endsWith('.md')) {
    for (const match of text.matchAll(MARKDOWN_LINK)) {
      const target = path.posix.normalize(path.posix.join(path.posix.dirname(file), match[1]));
      references.push({ file, line: lineOf(text, match.index), target, anchor: match[2] ?? null });
    }
  }
  return references;
}

/** The anchor GitHub gives a heading: lower case, punctuation dropped, spaces to hyphens. */
export function headingSlug(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '')
    .replace(/ /g, '-');
}

/** The anchors of a Markdown file's headings (fenced code left out; repeats get -1, -2 …). */
export function headingAnchors(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  let fence: string | null = null;
  for (const line of markdown.split('\n')) {
    const fenceMark = /^\s*(```+|~~~+)/.exec(line)?.[1];
    if (fenceMark) {
      if (fence === null) fence = fenceMark[0];
      else if (fenceMark[0] === fence) fence = null;
      continue;
    }
    if (fence !== null) continue;
    const heading = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (!heading) continue;
    const slug = headingSlug(heading[1]);
    const count = seen.get(slug) ?? 0;
    seen.set(slug, count + 1);
    anchors.add(count === 0 ? slug : `${slug}-${count}`);
  }
  return anchors;
}

/**
 * References whose file is missing or whose section has no heading. `read` returns a file's text,
 * or null when there is no such file.
 */
export function brokenReferences(references: readonly Reference[], read: (target: string) => string | null): Problem[] {
  const anchors = new Map<string, Set<string> | null>();
  const anchorsOf = (target: string) => {
    if (!anchors.has(target)) {
      const text = read(target);
      anchors.set(target, text === null ? null : headingAnchors(text));
    }
    return anchors.get(target)!;
  };
  const problems: Problem[] = [];
  for (const reference of references) {
    const found = anchorsOf(reference.target);
    const text = `${reference.target}${reference.anchor ? `#${reference.anchor}` : ''}`;
    if (found === null) {
      problems.push({ file: reference.file, line: reference.line, text, why: 'no such file' });
    } else if (reference.anchor !== null && !found.has(decodeURIComponent(reference.anchor))) {
      problems.push({ file: reference.file, line: reference.line, text, why: 'no heading with that anchor' });
    }
  }
  return problems;
}

/** Reads a file of the project, null when it does not exist. */
export function readProjectFile(target: string, root: string = projectRoot): string | null {
  try {
    return readFileSync(path.join(root, target), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}
