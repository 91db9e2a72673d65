/**
 * The real-world corpus (test/fixtures/realworld/, README there): SMS texts quoted verbatim from
 * published sources, labelled, and split into a part the detection was tuned on and a part left
 * untouched. This module reads it and scores the impersonation rules on it as the audit runs them:
 * every fraud text sent from a number registered to an ordinary company, every legitimate text
 * from a number registered to its own sender.
 */
import { readFileSync } from 'node:fs';
import { CsvParser, type CsvRecord } from '../../server/dataset/csvParser.ts';
import { USCC_ALPHABET, usccCheckCharacter } from '../../server/numbering/uscc.ts';
import {
  ClaimDetector,
  impersonation,
  lookalikeSignature,
  type ProtectedSenderRef,
  type RegisteredEntity,
} from '../../server/rules/claims/index.ts';
import { PretextReader } from '../../server/rules/pretext/reader.ts';
import { CORPUS_COLUMNS } from '../../server/services/audit/messageLabels.ts';

export { CORPUS_COLUMNS };
import { brandImpersonation, officialPretext } from '../../server/rules/pretext/verdicts.ts';

const FIXTURE = new URL('../fixtures/realworld/', import.meta.url);

export type CorpusLabel = 'gov' | 'brand' | 'legit';

export interface CorpusRow {
  id: string;
  split: 'tune' | 'holdout';
  label: CorpusLabel;
  kind: string;
  claims: string;
  sender: string;
  senderKind: '' | 'government' | 'institution' | 'enterprise';
  text: string;
  source: string;
  note: string;
}

/** Reads a corpus CSV (the fixture's, or a labels export); throws naming the line of a bad row. */
export function parseCorpus(csv: string, file = 'corpus.csv'): CorpusRow[] {
  const records: CsvRecord[] = [];
  new CsvParser().end(csv.replace(/^\uFEFF/, ''), csv.length, records);
  const [header, ...body] = records;
  const columns = header.cells;
  for (const column of CORPUS_COLUMNS)
    if (!columns.includes(column)) throw new Error(`${file}: missing column ${column}`);
  const at = (record: CsvRecord, column: (typeof CORPUS_COLUMNS)[number]) =>
    record.cells[columns.indexOf(column)] ?? '';
  return body
    .filter((record) => record.cells.some((cell) => cell !== ''))
    .map((record) => {
      const row: CorpusRow = {
        id: at(record, 'id'),
        split: at(record, 'split') as CorpusRow['split'],
        label: at(record, 'label') as CorpusLabel,
        kind: at(record, 'kind'),
        claims: at(record, 'claims'),
        sender: at(record, 'sender'),
        senderKind: at(record, 'sender_kind') as CorpusRow['senderKind'],
        text: at(record, 'text'),
        source: at(record, 'source'),
        note: at(record, 'note'),
      };
      const where = `${file}:${record.line}`;
      if (!['tune', 'holdout'].includes(row.split))
        throw new Error(`${where}: split "${row.split}" is not tune or holdout`);
      if (!['gov', 'brand', 'legit'].includes(row.label))
        throw new Error(`${where}: label "${row.label}" is not gov, brand or legit`);
      if (row.text.trim() === '') throw new Error(`${where}: text is empty`);
      if (!/^(https?:\/\/|github:[^/]+\/[^/]+\/|sms106:message\/)/.test(row.source))
        throw new Error(
          `${where}: source "${row.source}" is neither a URL, github:OWNER/REPO/PATH nor a labelled message (sms106:message/REF)`,
        );
      return row;
    });
}

export function loadCorpus(): CorpusRow[] {
  return parseCorpus(readFileSync(new URL('corpus.csv', FIXTURE), 'utf8'));
}

export const realWorldSenders: ProtectedSenderRef[] = JSON.parse(
  readFileSync(new URL('protected_senders.json', FIXTURE), 'utf8'),
);

/** A valid USCC of the given registration category, the same for the same name. */
function usccFor(category: '11' | '12' | '91', name: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) hash = Math.imul(hash ^ name.charCodeAt(i), 0x01000193) >>> 0;
  let body = '';
  for (let i = 0; i < 9; i++) {
    body += USCC_ALPHABET[hash % 31];
    hash = (Math.imul(hash, 0x01000193) + i) >>> 0;
  }
  const first17 = `${category}110000${body}`;
  return first17 + usccCheckCharacter(first17);
}

/** The company the field report's fraud sender was registered to: every fraud text is sent from its number. */
export const ORDINARY_COMPANY: RegisteredEntity = {
  uscc: usccFor('91', '深圳市腾跃鑫商贸有限公司'),
  name: '深圳市腾跃鑫商贸有限公司',
};

/** Who the number of a row was registered to. */
export function registeredFor(row: CorpusRow): RegisteredEntity {
  if (row.label !== 'legit') return ORDINARY_COMPANY;
  const name = row.sender || '北京某某信息技术有限公司';
  const category = row.senderKind === 'government' ? '11' : row.senderKind === 'institution' ? '12' : '91';
  return { uscc: usccFor(category, name), name };
}

/** What the impersonation rules say of one row, as the audit's rules decide it. */
export interface RowVerdict {
  gov: boolean;
  brand: boolean;
  rules: string[];
}

export class CorpusJudge {
  readonly detector: ClaimDetector;
  readonly reader: PretextReader;

  constructor(senders: readonly ProtectedSenderRef[] = realWorldSenders) {
    this.detector = new ClaimDetector(senders);
    this.reader = new PretextReader(senders, this.detector);
  }

  judge(row: CorpusRow): RowVerdict {
    const registered = registeredFor(row);
    const rules: string[] = [];
    if (impersonation(this.detector, row.text, registered) !== null) rules.push('GOV_IMPERSONATION');
    const lookalike = lookalikeSignature(this.detector, row.text, registered);
    if (lookalike !== null) rules.push(lookalike.claim.brand ? 'LOOKALIKE_SIGNATURE(brand)' : 'LOOKALIKE_SIGNATURE');
    if (officialPretext(this.reader, this.detector, row.text, registered) !== null) rules.push('OFFICIAL_PRETEXT');
    if (brandImpersonation(this.reader, this.detector, row.text, registered) !== null)
      rules.push('BRAND_IMPERSONATION');
    const gov = rules.some(
      (rule) => rule === 'GOV_IMPERSONATION' || rule === 'LOOKALIKE_SIGNATURE' || rule === 'OFFICIAL_PRETEXT',
    );
    const brand = rules.some((rule) => rule === 'BRAND_IMPERSONATION' || rule === 'LOOKALIKE_SIGNATURE(brand)');
    return { gov, brand, rules };
  }
}

export interface Score {
  precision: number;
  recall: number;
  truePositives: number;
  falsePositives: number;
  falseNegatives: number;
  positives: number;
  wrong: string[];
}

/**
 * Precision and recall of one family of rules on `rows`: positives are the rows labelled
 * `label`; a false alarm is a legitimate row the family fires on. Fraud rows of the other label
 * count for neither (a brand text flagged by a government rule is not a false alarm).
 */
export function score(rows: readonly CorpusRow[], judge: CorpusJudge, label: 'gov' | 'brand'): Score {
  let truePositives = 0;
  let falsePositives = 0;
  let falseNegatives = 0;
  const wrong: string[] = [];
  for (const row of rows) {
    const verdict = judge.judge(row);
    const fired = label === 'gov' ? verdict.gov : verdict.brand;
    if (row.label === label) {
      if (fired) truePositives++;
      else {
        falseNegatives++;
        wrong.push(`FN ${row.id} ${row.text}`);
      }
    } else if (row.label === 'legit' && fired) {
      falsePositives++;
      wrong.push(`FP ${row.id} ${verdict.rules.join('+')} ${row.text}`);
    }
  }
  const flagged = truePositives + falsePositives;
  return {
    precision: flagged === 0 ? 1 : truePositives / flagged,
    recall: truePositives / (truePositives + falseNegatives),
    truePositives,
    falsePositives,
    falseNegatives,
    positives: truePositives + falseNegatives,
    wrong,
  };
}
