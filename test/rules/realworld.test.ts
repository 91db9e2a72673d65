import { expect } from 'chai';
import { CORPUS_COLUMNS, CorpusJudge, loadCorpus, parseCorpus, score, type CorpusRow } from '../support/realworld.ts';

/**
 * The impersonation rules on real texts nobody on this project wrote (test/fixtures/realworld/).
 * The detection was tuned on the rows marked `tune`; the `holdout` rows were not looked at one by
 * one while tuning, and the thresholds below hold on them.
 */
describe('the real-world corpus', () => {
  const rows = loadCorpus();
  const judge = new CorpusJudge();

  it('holds quoted texts with a source each, split into a tuning and an untouched part', () => {
    const count = (label: string, split?: string) =>
      rows.filter((row) => row.label === label && (split === undefined || row.split === split)).length;
    console.log(
      `      corpus: ${count('gov')} government claims, ${count('brand')} brand impersonations, ${count('legit')} legitimate; holdout ${count('gov', 'holdout')} / ${count('brand', 'holdout')} / ${count('legit', 'holdout')}`,
    );
    expect(count('gov')).to.be.at.least(100);
    expect(count('brand')).to.be.at.least(50);
    expect(count('legit')).to.be.at.least(370);
    for (const label of ['gov', 'brand', 'legit']) expect(count(label, 'holdout'), label).to.be.at.least(25);
    expect(new Set(rows.map((row) => row.id)).size).to.equal(rows.length);
    expect(new Set(rows.map((row) => row.text)).size).to.equal(rows.length);
  });

  it('refuses a row without a citable source, naming its line', () => {
    const header = CORPUS_COLUMNS.join(',');
    expect(() => parseCorpus(`${header}\nx1,holdout,gov,other,,,,某短信,find_string id 123,\n`, 'labels.csv')).to.throw(
      'labels.csv:2: source',
    );
    expect(() =>
      parseCorpus(`${header}\nx1,later,gov,other,,,,某短信,https://example.org/a,\n`, 'labels.csv'),
    ).to.throw('labels.csv:2: split');
  });

  function report(part: readonly CorpusRow[], name: string) {
    const gov = score(part, judge, 'gov');
    const brand = score(part, judge, 'brand');
    for (const [label, result] of [
      ['government claims', gov],
      ['brands', brand],
    ] as const) {
      console.log(
        `      ${name} ${label}: precision ${result.precision.toFixed(4)}, recall ${result.recall.toFixed(4)} (TP ${result.truePositives}, FP ${result.falsePositives}, FN ${result.falseNegatives} of ${result.positives})`,
      );
    }
    return { gov, brand };
  }

  it('reports the tuning part', () => {
    report(
      rows.filter((row) => row.split === 'tune'),
      'tuning part,',
    );
  });

  /**
   * The targets (recall 0.90 / precision 0.97 for government claims, 0.80 / 0.95 for
   * brands) are not met on the untouched part yet. These floors are what it measured on 7 Dec 2026
   * (560 rows: government 0.7895 / 0.9091, brands 0.7667 / 1.0000), so a change that loses ground
   * fails. The rows missed are not printed: the part stays untouched only while nobody tunes on
   * them (test/fixtures/realworld/README.md says how often it was scored).
   */
  const FLOOR = { gov: { recall: 0.78, precision: 0.9 }, brand: { recall: 0.76, precision: 0.95 } };
  const TARGET = { gov: { recall: 0.9, precision: 0.97 }, brand: { recall: 0.8, precision: 0.95 } };

  it('holds its measured floor on the untouched part, and says how far the targets are', () => {
    const result = report(
      rows.filter((row) => row.split === 'holdout'),
      'untouched part,',
    );
    for (const family of ['gov', 'brand'] as const) {
      const { recall, precision } = result[family];
      const met = recall >= TARGET[family].recall && precision >= TARGET[family].precision;
      console.log(
        `      ${family}: target recall ${TARGET[family].recall} / precision ${TARGET[family].precision} ${met ? 'met' : 'not met yet'}`,
      );
      expect(recall, `${family} recall`).to.be.at.least(FLOOR[family].recall);
      expect(precision, `${family} precision`).to.be.at.least(FLOOR[family].precision);
    }
  });
});
