import path from 'node:path';
import { t } from '../i18n/index.ts';
import { exportDataset, ExportError } from '../services/import/exporter.ts';
import { EXIT_OK, EXIT_REFUSED, type CommandContext } from './context.ts';

/** docs/cli.md#export: `export DIR [--force] [--safe-for-excel]`. */
export async function run({ args, values, json, locale, io, db }: CommandContext): Promise<number> {
  const [directory] = args;
  let summary;
  try {
    summary = await exportDataset(await db(), directory, {
      force: values.force ?? false,
      safeForExcel: values['safe-for-excel'] ?? false,
    });
  } catch (error) {
    if (!(error instanceof ExportError)) throw error;
    const message = t(locale, error.code, error.params);
    io.stderr(
      json
        ? `${JSON.stringify({ status: 'refused', error: { code: error.code, message } })}\n`
        : `sms106: ${message}\n`,
    );
    return EXIT_REFUSED;
  }
  io.stdout(
    json
      ? `${JSON.stringify(summary)}\n`
      : summary.files.map((f) => `${path.join(directory, f.file)}: ${f.rows}\n`).join(''),
  );
  return EXIT_OK;
}
