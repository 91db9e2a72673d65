import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { render } from '../../server/i18n/phrase.ts';
import { RULE_CODES } from '../../server/rules/types.ts';
import { findingId, findingsOf, findingTextCases } from '../support/findingTextCases.ts';

/**
 * The text of every rule's findings, in both languages, as the rules wrote it when they wrote
 * prose into each finding (captured then into finding-texts.expected.json: up to three findings
 * of each rule per shape of text). Rendered now from each finding's code and parameters through
 * the catalogue, it must read the same.
 */
type Texts = { 'zh-CN': string; en: string };
const expectation = new URL('finding-texts.expected.json', import.meta.url);
const expected: Record<string, Texts> = JSON.parse(readFileSync(expectation, 'utf8'));

describe("the text of every rule's findings", () => {
  const produced = new Map<string, Texts>();
  before(() => {
    for (const textCase of findingTextCases()) {
      for (const finding of findingsOf(textCase)) {
        const { text } = finding;
        produced.set(findingId(textCase, finding), { 'zh-CN': render('zh-CN', text), en: render('en', text) });
      }
    }
  });

  it('covers every rule', () => {
    const rules = new Set(Object.keys(expected).map((id) => id.split('|')[1]));
    expect([...rules].sort()).to.deep.equal([...RULE_CODES].sort());
  });

  it('renders from the catalogue as the rules wrote it before, in zh-CN and en', () => {
    const missing = Object.keys(expected).filter((id) => !produced.has(id));
    expect(missing, 'findings no longer produced').to.deep.equal([]);
    for (const [id, text] of Object.entries(expected)) expect(produced.get(id), id).to.deep.equal(text);
  });
});
