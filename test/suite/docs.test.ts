import { expect } from 'chai';
import { RULE_CODES } from '../../server/rules/types.ts';
import {
  brokenReferences,
  headingAnchors,
  headingSlug,
  outsideCitations,
  readProjectFile,
  referencesIn,
  scannedFiles,
  type Problem,
} from '../support/docReferences.ts';

// Fake citations are assembled from pieces so that this file does not itself cite them.
const DOCS = 'docs/';
const SPEC = (name: string) => `${name}.md`;

const listed = (problems: readonly Problem[]) => problems.map((p) => `${p.file}:${p.line}: ${p.text} (${p.why})`);

describe('citations stay inside the repository', () => {
  describe('the checks themselves', () => {
    it('flags each outside specification and the directory beside the repository, with its line', () => {
      const text = [
        `// see ${SPEC('DOMAIN')}`,
        `/* ${SPEC('FORMATS')} */`,
        ` * ${SPEC('CONVENTIONS')}`,
        `read ${'..'}/shared/x`,
        `(${'shared'}/seed/source-article.md)`,
        'docs/domain.md is fine',
      ].join('\n');
      const problems = outsideCitations('x.ts', text);
      expect(problems.map((p) => [p.line, p.text])).to.deep.equal([
        [1, SPEC('DOMAIN')],
        [2, SPEC('FORMATS')],
        [3, SPEC('CONVENTIONS')],
        [4, `${'..'}/shared`],
        [5, `${'shared'}/seed/`],
      ]);
    });

    it('gives headings the anchors GitHub gives them, ignoring fenced code and numbering repeats', () => {
      expect(headingSlug('Rectification notices (整改通知书)')).to.equal('rectification-notices-整改通知书');
      expect(headingSlug('OFFICIAL_PRETEXT (high)')).to.equal('official_pretext-high');
      expect(headingSlug('One transaction, every problem reported')).to.equal('one-transaction-every-problem-reported');
      const markdown = ['# Title', '## 106 numbers', '```sh', '# not a heading', '```', '## Notes', '### Notes'].join(
        '\n',
      );
      expect([...headingAnchors(markdown)]).to.deep.equal(['title', '106-numbers', 'notes', 'notes-1']);
    });

    it('reports a reference to a missing file or a missing heading, and passes one that exists', () => {
      const files: Record<string, string> = { [`${DOCS}a.md`]: '# A\n## Known part\n' };
      const text = [
        `${DOCS}a.md#known-part`,
        `${DOCS}a.md`,
        `${DOCS}a.md#unknown-part`,
        `${DOCS}missing.md#x`,
        `/${DOCS}a-route-not-a-file`,
      ].join('\n');
      const problems = brokenReferences(referencesIn('x.ts', text), (target) => files[target] ?? null);
      expect(listed(problems)).to.deep.equal([
        `x.ts:3: ${DOCS}a.md#unknown-part (no heading with that anchor)`,
        `x.ts:4: ${DOCS}missing.md#x (no such file)`,
      ]);
    });

    it('resolves relative Markdown links from the file that holds them', () => {
      const text = `[a](b.md#c) [r](../README.md#run-it) [web](https://example.com/x.md) [top](#here)`;
      const references = referencesIn(`${DOCS}guide.md`, text).map((r) => `${r.target}#${r.anchor}`);
      expect(references).to.deep.equal([`${DOCS}b.md#c`, 'README.md#run-it']);
    });
  });

  describe('this repository', () => {
    const files = scannedFiles();
    const texts = new Map(files.map((file) => [file, readProjectFile(file)!]));

    it('scans the code, tests, templates, seeds and docs', () => {
      const expected = [
        'server/cli.ts',
        'test/suite/docs.test.ts',
        'views/error.hbs',
        'bin/sms106.js',
        'seeds/check.ts',
        'ormconfig.ts',
        'README.md',
        'docs/domain.md',
      ];
      expect(files).to.include.members(expected);
    });

    it('no file cites a specification or directory outside the repository', () => {
      const problems = [...texts].flatMap(([file, text]) => outsideCitations(file, text));
      expect(listed(problems)).to.deep.equal([]);
    });

    it('every docs/ file and section referenced anywhere exists', () => {
      const references = [...texts].flatMap(([file, text]) => referencesIn(file, text));
      expect(references.length).to.be.greaterThan(50);
      expect(listed(brokenReferences(references, (target) => readProjectFile(target)))).to.deep.equal([]);
    });

    it('docs/domain.md has a section for every rule code the audit stores', () => {
      const anchors = headingAnchors(readProjectFile('docs/domain.md')!);
      expect(RULE_CODES.filter((code) => !anchors.has(code.toLowerCase()))).to.deep.equal([]);
    });

    it('README links the architecture and the specifications in docs/', () => {
      const readme = texts.get('README.md')!;
      for (const doc of ['architecture', 'domain', 'conventions', 'cli', 'dataset-format']) {
        expect(readme).to.include(`](${DOCS}${doc}.md`);
      }
    });
  });
});
