import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { FINDING_STATUSES, SEVERITIES } from '../../server/entities/Finding.ts';
import { LOCALES, messageKeys } from '../../server/i18n/index.ts';
import { codesOf } from '../../server/i18n/phrase.ts';
import { RULE_CODES } from '../../server/rules/types.ts';
import { findingsOf, findingTextCases } from '../support/findingTextCases.ts';

/**
 * Every key the code asks the catalogue for is in both catalogues. Read from the source, not
 * from a run: t(locale, '…') and zh('…') in server/, {{t "…"}} and (t "…") in views/, the
 * message codes user-facing errors carry (new SomeError(…, 'area.code')), and the phrase codes
 * the rules store. A key built at run time (t(locale, `rule.${code}`)) is checked by its
 * static prefix, and where the values are a known list (rule codes, severities, statuses),
 * for each of them.
 */
const root = path.resolve(import.meta.dirname, '../..');

function filesUnder(folder: string, extension: string): string[] {
  return readdirSync(path.join(root, folder), { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith(extension))
    .map((file) => path.join(folder, file));
}

const sources = [...filesUnder('server', '.ts'), ...filesUnder('views', '.hbs')].map((file) => ({
  file,
  text: readFileSync(path.join(root, file), 'utf8'),
}));

/** A message key: dotted lower-case words, as every key of the catalogue is written. */
const KEY = /^[a-z][\w-]*(\.[\w-]+)+$/;

const STATIC_PATTERNS = [
  /\bt\(\s*[^,()`'"]+,\s*'([^']+)'/g, // t(locale, 'key'), t(req.locale, 'key')
  /\bt\(\s*'(?:zh-CN|en)',\s*'([^']+)'/g, // t('zh-CN', 'key')
  /\bzh\(\s*'([^']+)'/g, // notices.ts: zh = (key) => t('zh-CN', key)
  /\{\{~?\s*t\s+"([^"]+)"/g, // {{t "key"}}
  /\(t\s+"([^"]+)"/g, // (t "key") inside another helper
  // new HttpError(400, 'key'), new NoticeError('key'); not the dataset's errors (ISSUE_PATTERNS)
  /new (?!Dataset|Workbook)[A-Z]\w*(?:Error|Refused)\(\s*(?:\d+\s*,\s*)?'([^']+)'/g,
  /\bphrase\(\s*'([^']+)'/g, // the rules' phrase('finding.…')
];

/**
 * The dataset's errors are import issues: their codes are read as `issue.${code}` (services/import/importer.ts,
 * cli.ts).
 */
const ISSUE_PATTERNS = [/new (?:Dataset|Workbook)\w*\(\s*(?:\d+\s*,\s*)?'([^']+)'/g];

const DYNAMIC_PATTERNS = [
  /\bt\(\s*[^,()`'"]+,\s*`([^`$]*)\$\{/g, // t(locale, `prefix.${…}`)
  /\bt\(\s*'(?:zh-CN|en)',\s*`([^`$]*)\$\{/g, // t('zh-CN', `prefix.${…}`)
  /\bzh\(\s*`([^`$]*)\$\{/g,
  /\bphrase\(\s*`([^`$]*)\$\{/g, // phrase(`finding.X.${…}`)
];

function matches(patterns: RegExp[], prefix = '', found = new Map<string, string[]>()): Map<string, string[]> {
  for (const { file, text } of sources) {
    for (const pattern of patterns) {
      for (const match of text.matchAll(pattern)) {
        if (!KEY.test(match[1]) && !match[1].endsWith('.')) continue;
        const key = prefix + match[1];
        found.set(key, [...new Set([...(found.get(key) ?? []), file])]);
      }
    }
  }
  return found;
}

/** Run-time keys over lists the code enumerates: each value must have its text. */
const ENUMERATED: Record<string, readonly string[]> = {
  'rule.': RULE_CODES,
  'notices.action.': RULE_CODES,
  'severity.': SEVERITIES,
  'findings.status.': FINDING_STATUSES,
};

describe('the catalogue keys the code uses', () => {
  const catalogues = Object.fromEntries(LOCALES.map((locale) => [locale, new Set(messageKeys(locale))]));
  const staticKeys = matches(ISSUE_PATTERNS, 'issue.', matches(STATIC_PATTERNS));
  const prefixes = matches(DYNAMIC_PATTERNS);

  const missingFrom = (keys: Iterable<string>) =>
    LOCALES.flatMap((locale) =>
      [...keys].filter((key) => !catalogues[locale].has(key)).map((key) => `${locale}: ${key}`),
    );
  const where = (key: string) => `${key} (${staticKeys.get(key)!.join(', ')})`;

  it('finds the keys where the code uses them (the scan itself works)', () => {
    expect(staticKeys.get('findings.title')).to.include('server/routes/findings.ts');
    expect(staticKeys.get('nav.findings'), 'a {{t "…"}} in a layout').to.have.length.greaterThan(0);
    expect(staticKeys.get('notices.no_legal_basis'), 'an error code').to.include('server/services/notices/notices.ts');
    expect(staticKeys.get('issue.dataset.not_found'), 'a dataset error').to.include('server/dataset/readers.ts');
    expect(prefixes.get('notices.action.'), "t('zh-CN', `…${…}`)").to.include('server/services/notices/notices.ts');
    expect(staticKeys.get('finding.SEGMENT_UNFILED'), 'a phrase code').to.include('server/rules/segmentUnfiled.ts');
    expect(prefixes.get('rule.')).to.include('server/routes/findings.ts');
    expect(staticKeys.size).to.be.greaterThan(300);
  });

  it('has every static key in zh-CN and en', () => {
    expect(missingFrom(staticKeys.keys()).map((entry) => where(entry.split(': ')[1]))).to.deep.equal([]);
  });

  it('has keys under every prefix a run-time key is built on, the same in zh-CN and en', () => {
    const empty: string[] = [];
    for (const prefix of prefixes.keys()) {
      const under = LOCALES.map((locale) => [...catalogues[locale]].filter((key) => key.startsWith(prefix)).sort());
      if (under[0].length === 0) empty.push(`${prefix} (${prefixes.get(prefix)!.join(', ')})`);
      expect(under[1], prefix).to.deep.equal(under[0]);
    }
    expect(empty).to.deep.equal([]);
  });

  it('has a text for each value of the lists run-time keys are built from', () => {
    const keys = Object.entries(ENUMERATED).flatMap(([prefix, values]) => values.map((value) => `${prefix}${value}`));
    expect(missingFrom(keys)).to.deep.equal([]);
  });

  it("has every code the rules' findings use, parameters' phrases and list separators included", () => {
    const findings = findingTextCases().flatMap(findingsOf);
    const codes = new Set(findings.flatMap((finding) => codesOf(finding.text)));
    expect(codes.size).to.be.greaterThan(40);
    expect(missingFrom(codes)).to.deep.equal([]);
  });

  it('reports the catalogue keys no source names (information: some are named in ways the scan does not read)', () => {
    const quoted = new Set<string>();
    const literal = /['"`]([a-z][\w-]*(?:\.[\w-]+)+)['"`]/g;
    for (const { text } of sources) for (const match of text.matchAll(literal)) quoted.add(match[1]);
    const unused = [...catalogues['zh-CN']]
      .filter((key) => !quoted.has(key) && ![...prefixes.keys()].some((prefix) => key.startsWith(prefix)))
      .sort();
    const total = catalogues['zh-CN'].size;
    const colon = unused.length ? ':' : '.';
    console.log(`      ${unused.length} of ${total} keys named nowhere in server/ or views/${colon}`);
    for (const key of unused) console.log(`        ${key}`);
  });
});
