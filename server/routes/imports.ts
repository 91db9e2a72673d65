import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import busboy from 'busboy';
import type { Request, Response } from 'express';
import type { DataSource } from 'typeorm';
import { z } from 'zod';
import type { AppContext } from '../context.ts';
import { HttpError, UserError, type MessageParams } from '../errors.ts';
import { csrfFieldMatches } from '../auth.ts';
import { datasetFileOf } from '../dataset/tables.ts';
import { ImportRun, ImportRunError } from '../entities/index.ts';
import { t } from '../i18n/index.ts';
import type { Principal } from '../services/accounts/accounts.ts';
import { endInterruptedRuns, isStoreBusy } from '../services/import/importOwners.ts';
import { issueMessage, type ImportSummary } from '../services/import/importer.ts';
import { latestImports } from '../services/lookup/dashboard.ts';
import { scopedWhere, scopeOf } from '../services/accounts/scope.ts';
import { importRunView } from '../presenters/imports.ts';
import { param, readQuery } from './query.ts';

/** Per uploaded file; a 1,000,000-row allocations.csv is about 80 MB. */
const MAX_FILE_BYTES = 1024 * 1024 * 1024;
const MAX_FILES = 9;
const ERRORS_PER_PAGE = 100;
/** The longest file name ext4 and XFS store, in bytes: a longer one cannot be written to the upload directory. */
const MAX_NAME_BYTES = 255;

/**
 * Who may look at imports and who may start one: administrators import anything; a carrier's
 * staff load their own carrier's data (confined to it, importer.ts) and see only their own
 * carrier's runs; regulators read every run but load nothing.
 */
export function canImport(principal: Principal | null): boolean {
  return principal?.role === 'admin' || principal?.role === 'carrier';
}

/** GET /imports — the upload form and the latest imports. */
export async function getImports(req: Request, res: Response, context: AppContext): Promise<void> {
  const runs = await latestImports(context.dataSource, 20, scopeOf(req.principal));
  res.page('imports/index', {
    title: t(req.locale, 'imports.title'),
    section: 'imports',
    runs: runs.map((run) => importRunView(run, req.locale)),
    busy: context.imports.running !== null,
    canImport: canImport(req.principal),
    confinedTo: req.principal?.role === 'carrier' ? req.principal.carrierCode : null,
    maxFileMb: MAX_FILE_BYTES / 1024 / 1024,
  });
}

/** The upload is not a dataset: the rest of it is not read, so the connection is closed after the answer. */
class UploadRefused extends UserError {
  constructor(messageKey: string, params: MessageParams = {}, status = 400) {
    super(status, messageKey, params, { headers: { Connection: 'close' } });
  }
}

/** Why an uploaded file's name cannot be stored as it is, or null. */
function nameProblem(name: string): UploadRefused | null {
  if (/\p{Cc}/u.test(name)) return new UploadRefused('imports.upload.name_control');
  if (Buffer.byteLength(name) > MAX_NAME_BYTES)
    return new UploadRefused('imports.upload.name_too_long', { max: MAX_NAME_BYTES });
  return null;
}

/** Streams the uploaded files to a fresh temporary directory, refusing what is not a dataset file. */
async function receiveUpload(req: Request): Promise<{ directory: string; names: string[] }> {
  const type = req.headers['content-type'] ?? '';
  if (!type.startsWith('multipart/form-data')) throw new UploadRefused('imports.upload.not_multipart');
  const directory = await mkdtemp(path.join(os.tmpdir(), 'sms106-upload-'));
  const names: string[] = [];
  try {
    await new Promise<void>((resolve, reject) => {
      const writes: Array<Promise<void>> = [];
      let failed = false;
      const fail = (error: Error) => {
        if (!failed) {
          failed = true;
          reject(error);
        }
      };
      // The form sends its CSRF token as its first field (auth.ts, checkCsrf): no file is taken before it.
      let tokenChecked = !req.csrfInMultipartBody;
      const csrfFailed = () => new UploadRefused('auth.csrf_failed', {}, 403);
      const parser = busboy({
        headers: req.headers,
        limits: { fileSize: MAX_FILE_BYTES, files: MAX_FILES, fields: 10 },
      });
      parser.on('field', (field, value) => {
        if (field !== '_csrf' || tokenChecked) return;
        if (csrfFieldMatches(req, value)) tokenChecked = true;
        else fail(csrfFailed());
      });
      parser.on('file', (_field, stream, info) => {
        if (!tokenChecked) {
          stream.resume();
          fail(csrfFailed());
          return;
        }
        const name = path.basename(info.filename || '');
        const problem = nameProblem(name);
        if (problem) {
          stream.resume();
          fail(problem);
          return;
        }
        if (name === '') {
          stream.resume();
          return;
        }
        const isWorkbook = name.toLowerCase().endsWith('.xlsx');
        if (!isWorkbook && !datasetFileOf(name)) {
          stream.resume();
          fail(new UploadRefused('imports.upload.bad_name', { name }));
          return;
        }
        if (names.includes(name)) {
          stream.resume();
          fail(new UploadRefused('imports.upload.duplicate', { name }));
          return;
        }
        names.push(name);
        stream.on('limit', () =>
          fail(new UploadRefused('imports.upload.too_large', { name, max: MAX_FILE_BYTES / 1024 / 1024 })),
        );
        writes.push(pipeline(stream, createWriteStream(path.join(directory, name))));
      });
      parser.on('filesLimit', () => fail(new UploadRefused('imports.upload.too_many', { max: MAX_FILES })));
      // busboy's errors are all about the body it was sent (a malformed part, a form cut short).
      parser.on('error', () => fail(new UploadRefused('imports.upload.malformed')));
      parser.on('close', () => {
        if (!tokenChecked) fail(csrfFailed());
        Promise.all(writes).then(() => {
          if (!failed) resolve();
        }, fail);
      });
      req.pipe(parser);
    });
    if (names.length === 0) throw new UploadRefused('imports.upload.none');
    const workbooks = names.filter((n) => n.toLowerCase().endsWith('.xlsx'));
    if (workbooks.length > 0 && names.length > 1) throw new UploadRefused('imports.upload.mixed');
    return { directory, names };
  } catch (error) {
    await rm(directory, { recursive: true, force: true });
    throw error;
  }
}

/** POST /imports — receive the files and start importing them in the background. */
export async function postImport(req: Request, res: Response, context: AppContext): Promise<void> {
  const upload = await receiveUpload(req);
  const location =
    upload.names.length === 1 && upload.names[0].toLowerCase().endsWith('.xlsx')
      ? path.join(upload.directory, upload.names[0])
      : upload.directory;
  // Another import running (409) and a dataset that cannot be opened (400) are the error handler's to answer.
  const principal = req.principal!;
  const carrier = principal.role === 'carrier' ? { id: principal.carrierId!, code: principal.carrierCode! } : null;
  const runId = await context.imports.start(
    context.dataSource,
    context.databaseUrl,
    { location, source: upload.names.join(', '), actor: principal.name, carrier },
    upload.directory,
  );
  res.redirect(303, `/imports/${runId}`);
}

const runParams = z.object({ id: z.coerce.number().int().positive() });
const reportQuery = z.object({ page: param.page() });

/**
 * Ends another process's run if that process stopped. Where another process is writing to an
 * SQLite store, the page shows the run as it is and its next refresh asks again.
 */
async function endedAsStopped(dataSource: DataSource, run: ImportRun): Promise<boolean> {
  try {
    return (await endInterruptedRuns(dataSource, { atStart: false, runs: [run] })) > 0;
  } catch (error) {
    if (isStoreBusy(error)) return false;
    throw error;
  }
}

/** GET /imports/:id — progress while it runs, then the summary or the full error report. */
export async function getImport(req: Request, res: Response, context: AppContext): Promise<void> {
  const params = runParams.safeParse(req.params);
  if (!params.success) throw new HttpError(404, 'error.not_found');
  const runs = context.dataSource.getRepository(ImportRun);
  let run = await runs.findOneBy({ id: params.data.id, ...scopedWhere.importRuns(scopeOf(req.principal)) });
  if (!run) throw new HttpError(404, 'error.not_found');
  const job = context.imports.state(run.id);
  // Run by another process: if that process stopped, the run never ends by itself.
  if (run.status === 'running' && job === null && (await endedAsStopped(context.dataSource, run)))
    run = (await runs.findOneBy({ id: run.id }))!;
  // A run this server does not know is being imported by another process (the command line).
  // One of this server's own is not over until its job has settled (its upload removed), even
  // when its row already says how it ended: whoever sees it over can start the next at once.
  const running = job !== null ? !job.done : run.status === 'running';
  const model: Record<string, unknown> = {
    title: t(req.locale, 'imports.run_title', { id: run.id }),
    section: 'imports',
    run: importRunView(run, req.locale),
    running,
    refreshSeconds: running ? 2 : null,
  };
  if (running && job === null) model.elsewhere = true;
  if (running && job?.progress) {
    const { rowsRead, bytesRead, bytesTotal } = job.progress;
    model.progress = {
      rowsRead,
      bytesRead,
      bytesTotal,
      percent: bytesTotal ? Math.min(100, Math.round((100 * bytesRead) / bytesTotal)) : null,
    };
  }
  if (run.status === 'succeeded') {
    model.summary = run.summary;
    // Runs recorded before warnings were kept have none.
    const { warnings = [], warningCount = 0 } = (run.summary ?? {}) as Partial<ImportSummary>;
    model.warnings = warnings.map((w) => ({
      file: w.file,
      line: w.line,
      column: w.column,
      value: w.value,
      reason: issueMessage(w, req.locale),
    }));
    model.warningCount = warningCount;
    model.warningsUnlisted = warningCount - warnings.length;
  }
  if (run.status === 'refused') {
    const page = readQuery(req, reportQuery).page ?? 1;
    const [errors, stored] = await context.dataSource.getRepository(ImportRunError).findAndCount({
      where: { runId: run.id },
      order: { id: 'ASC' },
      skip: (page - 1) * ERRORS_PER_PAGE,
      take: ERRORS_PER_PAGE,
    });
    model.errors = errors.map((e) => {
      const { code, params } = JSON.parse(e.reason) as { code: string; params: Record<string, string | number> };
      return {
        file: e.file,
        line: e.line,
        column: e.column,
        value: e.value,
        reason: issueMessage({ code, params }, req.locale),
      };
    });
    model.unlisted = run.errorCount - stored;
    const pages = Math.max(1, Math.ceil(stored / ERRORS_PER_PAGE));
    model.pager =
      pages > 1
        ? {
            page,
            pages,
            total: stored,
            previousUrl: page > 1 ? `/imports/${run.id}?page=${page - 1}` : null,
            nextUrl: page < pages ? `/imports/${run.id}?page=${page + 1}` : null,
          }
        : null;
  }
  res.page('imports/show', model);
}
