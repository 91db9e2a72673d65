import type { EntityManager } from 'typeorm';
import type { DatasetTable } from '../../dataset/readers.ts';
import { Issuer } from '../../entities/index.ts';
import type { ImportIssue } from './job/report.ts';

/**
 * `issuers.csv` (docs/dataset-format.md#issuers): the offices that sign notices, so that a store
 * built only from datasets and the command line can issue them. Its own module beside the
 * importer, which hands it what it needs of the import under way (IssuerImportJob). The same
 * checks serve `sms106 issuer add` (server/cli/issuer.ts).
 */

/** 发文机关代字, printed before 〔YYYY〕: Chinese characters, letters and digits, no brackets or spaces. */
export const ISSUER_CODE = /^[\p{Script=Han}A-Za-z0-9]+$/u;

/** The columns' longest values, as the issuers table holds them (server/entities/Issuer.ts). */
export const ISSUER_MAX_LENGTH = {
  code: 20,
  name: 200,
  carrier: 16,
  signatory: 200,
  copy_to: 500,
  printed_by: 200,
} as const;

export type IssuerColumn = keyof typeof ISSUER_MAX_LENGTH;

const REQUIRED: readonly IssuerColumn[] = ['code', 'name', 'signatory', 'printed_by'];

/** One issuer as the dataset and `sms106 issuer add` give it: a carrier by its code. */
export interface IssuerFields {
  code: string;
  name: string;
  carrier: string | null;
  signatory: string;
  copyTo: string | null;
  printedBy: string;
}

/** A problem with one field; `code` is an import issue code (the catalogue's `issue.*`). */
export interface IssuerProblem {
  column: IssuerColumn;
  value: string | null;
  code: string;
  params?: Record<string, string | number>;
}

/**
 * Checks one issuer's cells (trimmed; '' for an empty one) against the carriers known; returns
 * its fields, or the problems found, every one of them.
 */
export function checkIssuer(
  cells: Record<IssuerColumn, string>,
  knownCarrier: (code: string) => boolean,
): { fields: IssuerFields; problems: [] } | { fields: null; problems: IssuerProblem[] } {
  const problems: IssuerProblem[] = [];
  for (const column of Object.keys(ISSUER_MAX_LENGTH) as IssuerColumn[]) {
    const value = cells[column];
    if (value === '') {
      if (REQUIRED.includes(column)) problems.push({ column, value: null, code: 'cell.required' });
    } else if (value.includes('\uFFFD')) problems.push({ column, value, code: 'cell.not_utf8' });
    else if ([...value].length > ISSUER_MAX_LENGTH[column])
      problems.push({ column, value, code: 'cell.too_long', params: { max: ISSUER_MAX_LENGTH[column] } });
  }
  const { code, carrier } = cells;
  if (code !== '' && [...code].length <= ISSUER_MAX_LENGTH.code && !ISSUER_CODE.test(code))
    problems.push({ column: 'code', value: code, code: 'issuer.bad_code' });
  if (carrier !== '' && !problems.some((p) => p.column === 'carrier') && !knownCarrier(carrier))
    problems.push({ column: 'carrier', value: carrier, code: 'issuer.carrier_unknown' });
  if (problems.length > 0) return { fields: null, problems };
  return {
    fields: {
      code,
      name: cells.name,
      carrier: carrier === '' ? null : carrier,
      signatory: cells.signatory,
      copyTo: cells.copy_to === '' ? null : cells.copy_to,
      printedBy: cells.printed_by,
    },
    problems: [],
  };
}

/** The part of the importer's row reader this file uses. */
interface IssuerRow {
  readonly line: number;
  raw(column: string): string;
  issue(column: string | null, value: string | null, code: string, params?: Record<string, string | number>): null;
}

/** What the importer lends this file of the import under way (services/import/importer.ts). */
export interface IssuerImportJob {
  manager: EntityManager;
  /** Reads the file's header and calls `onRow` for each row, reporting what is wrong with either. */
  eachRow(table: DatasetTable, onRow: (row: IssuerRow) => Promise<void> | void): Promise<unknown>;
  /** False, with the problem reported, when `key` came before in this file. */
  unique(row: IssuerRow, key: string, column: string, value: string): boolean;
  /** Carrier codes, stored or in this dataset, with their ids (null: not written). */
  carriers: ReadonlyMap<string, number | null>;
  /** Set for a carrier user's import, which reference data is not part of. */
  carrierScope: { code: string } | null;
  report(issue: ImportIssue): void;
  /** Whether the import still writes: no problem found so far. */
  writing(): boolean;
}

/**
 * Reads issuers.csv and, when the whole dataset is accepted, adds each issuer or updates the one
 * of the same code. An issuer is reference data an administrator also edits in the browser under
 * optimistic locking: a change bumps its version (a form opened before the import is then
 * refused), an unchanged row keeps it.
 */
export async function importIssuers(table: DatasetTable, job: IssuerImportJob): Promise<void> {
  if (job.carrierScope) {
    job.report({ file: table.label, line: 1, column: null, value: null, code: 'scope.reference_data' });
    return;
  }
  const accepted: IssuerFields[] = [];
  await job.eachRow(table, (row) => {
    const cells = Object.fromEntries(
      (Object.keys(ISSUER_MAX_LENGTH) as IssuerColumn[]).map((column) => [column, row.raw(column)]),
    ) as Record<IssuerColumn, string>;
    const checked = checkIssuer(cells, (carrier) => job.carriers.has(carrier));
    for (const problem of checked.problems) row.issue(problem.column, problem.value, problem.code, problem.params);
    if (checked.fields && job.unique(row, checked.fields.code, 'code', checked.fields.code))
      accepted.push(checked.fields);
  });
  if (!job.writing()) return;
  const repository = job.manager.getRepository(Issuer);
  for (const fields of accepted) {
    const values = {
      name: fields.name,
      carrierId: fields.carrier === null ? null : job.carriers.get(fields.carrier)!,
      signatory: fields.signatory,
      copyTo: fields.copyTo,
      printedBy: fields.printedBy,
    };
    const stored = await repository.findOneBy({ code: fields.code });
    if (!stored) await repository.insert({ code: fields.code, ...values });
    else if (Object.entries(values).some(([key, value]) => stored[key as keyof typeof values] !== value))
      await repository.update({ id: stored.id }, { ...values, version: () => 'version + 1' });
  }
}
