import type { DataSource } from 'typeorm';
import { DatasetOpenError, openDataset } from '../dataset/readers.ts';
import { t, type Locale } from '../i18n/index.ts';
import { cliActor } from '../services/accounts/audit.ts';
import { issueMessage, type ImportIssue, type ImportSummary } from '../services/import/importer.ts';
import { runImport } from '../services/import/importRuns.ts';
import { EXIT_OK, EXIT_REFUSED, type CliIo, type CommandContext } from './context.ts';

/** docs/cli.md#import: `sms106 import PATH`. */
export function run({ args, json, locale, io, db }: CommandContext): Promise<number> {
  return importCommand(db, args[0], json, locale, io);
}

/** Imports the dataset at `location`: a summary on success, every problem when refused. Also `seed`'s first step. */
export async function importCommand(
  db: () => Promise<DataSource>,
  location: string,
  json: boolean,
  locale: Locale,
  io: CliIo,
): Promise<number> {
  let dataset;
  try {
    dataset = await openDataset(location);
  } catch (error) {
    if (!(error instanceof DatasetOpenError)) throw error;
    const message = t(locale, `issue.${error.code}`, { ...error.params, subject: error.subject });
    io.stderr(
      json
        ? `${JSON.stringify({ status: 'refused', error: { code: error.code, message } })}\n`
        : `sms106: ${message}\n`,
    );
    return EXIT_REFUSED;
  }
  const outcome = await runImport(await db(), dataset, { source: location, actor: cliActor() });
  if (outcome.status === 'succeeded') {
    const { summary } = outcome;
    if (json) {
      io.stdout(
        `${JSON.stringify({ status: 'succeeded', ...summary, warnings: summary.warnings.map((w) => ({ ...w, message: issueMessage(w, locale) })) })}\n`,
      );
      return EXIT_OK;
    }
    // Rows kept with a cell that does not parse: listed as problems are, on stderr.
    for (const warning of summary.warnings) {
      io.stderr(`${t(locale, 'cli.import.warning', { issue: formatIssue(warning, locale) })}\n`);
    }
    const unlisted = summary.warningCount - summary.warnings.length;
    if (unlisted > 0) io.stderr(`${t(locale, 'cli.import.more_warnings', { count: unlisted })}\n`);
    io.stdout(formatSummary(summary, locale));
    return EXIT_OK;
  }
  const { issues, issueCount } = outcome.refused;
  if (json) {
    io.stdout(
      `${JSON.stringify({ status: 'refused', issueCount, issues: issues.map((i) => ({ ...i, message: issueMessage(i, locale) })) })}\n`,
    );
  } else {
    for (const issue of issues) io.stderr(`${formatIssue(issue, locale)}\n`);
    const unlisted = issueCount - issues.length;
    if (unlisted > 0) io.stderr(`${t(locale, 'cli.import.more_problems', { count: unlisted })}\n`);
    io.stderr(`${t(locale, 'cli.import.refused', { count: issueCount })}\n`);
  }
  return EXIT_REFUSED;
}

/** `allocations.csv:12: valid_to "2021-01-01": ends before it starts (2022-01-01)` */
export function formatIssue(issue: ImportIssue, locale: Locale): string {
  const where = issue.column ? ` ${issue.column}${issue.value !== null ? ` "${issue.value}"` : ''}:` : '';
  return `${issue.file}:${issue.line}:${where} ${issueMessage(issue, locale)}`;
}

function formatSummary(summary: ImportSummary, locale: Locale): string {
  const list = (items: string[]) => items.join(t(locale, 'cli.list'));
  const lines = summary.files.map((f) => {
    const unknown = f.unknownColumns.length
      ? t(locale, 'cli.import.unknown_columns', { columns: list(f.unknownColumns) })
      : '';
    return `  ${t(locale, 'cli.import.file', { file: f.file, rows: f.rows, added: f.added, unknown })}`;
  });
  const { warningCount, ignoredFiles } = summary;
  if (warningCount > 0) lines.push(`  ${t(locale, 'cli.import.warnings_kept', { count: warningCount })}`);
  if (ignoredFiles.length) lines.push(`  ${t(locale, 'cli.import.ignored_files', { files: list(ignoredFiles) })}`);
  return `${t(locale, 'cli.import.imported', { dataset: summary.dataset })}\n${lines.join('\n')}\n`;
}
