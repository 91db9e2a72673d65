import type { Request, Response } from 'express';
import type { AppContext } from '../context.ts';
import { HttpError } from '../errors.ts';
import { AuditRun } from '../entities/index.ts';
import { t } from '../i18n/index.ts';
import { carrierTotalsIn, scopeOf, seesEveryCarrier } from '../services/accounts/scope.ts';
import { beijingTime } from '../presenters/time.ts';
import { idParam } from './shared.ts';

/**
 * A run as the user may see it. A carrier's staff see their own carrier's findings counted, and
 * progress as a share only: the store-wide counts of traffic and findings are other carriers' too.
 */
function runView(run: AuditRun, req: Request) {
  const locale = req.locale;
  const scope = scopeOf(req.principal);
  const percent =
    run.itemsTotal > 0 ? Math.floor((run.itemsDone / run.itemsTotal) * 100) : run.status === 'running' ? 0 : 100;
  const own = carrierTotalsIn(scope, run.carrierTotals);
  return {
    id: run.id,
    url: `/audits/${run.id}`,
    status: run.status,
    statusText: t(locale, `audits.status.${run.status}`),
    actor: run.actor,
    startedAt: beijingTime(run.startedAt),
    finishedAt: run.finishedAt ? beijingTime(run.finishedAt) : null,
    percent,
    progress: seesEveryCarrier(scope) ? `${run.itemsDone} / ${run.itemsTotal}` : `${percent}%`,
    progressText: seesEveryCarrier(scope)
      ? t(locale, 'audits.progress_text', { done: run.itemsDone, total: run.itemsTotal })
      : t(locale, 'audits.progress_percent', { percent }),
    findings: String((own === null ? run.findingsTotal : own?.[0]) ?? '—'),
    doneText:
      run.status !== 'succeeded'
        ? null
        : own === null
          ? t(locale, 'audits.done', { items: run.itemsDone, total: run.findingsTotal ?? 0, new: run.findingsNew ?? 0 })
          : own === undefined
            ? t(locale, 'audits.done_unscoped')
            : t(locale, 'audits.done_scoped', { total: own[0], new: own[1] }),
    failure: run.failure,
  };
}

/** GET /audits — start an audit; the runs so far. Every signed-in role may run it: findings stay scoped. */
export async function getAudits(req: Request, res: Response, context: AppContext): Promise<void> {
  const runs = await context.dataSource.getRepository(AuditRun).find({ order: { id: 'DESC' }, take: 20 });
  res.page('audits/index', {
    title: t(req.locale, 'audits.title'),
    section: 'audits',
    runs: runs.map((r) => runView(r, req)),
    runningUrl: context.audits.runningId ? `/audits/${context.audits.runningId}` : null,
  });
}

/**
 * POST /audits — start one in the background and show its progress; a second start while one runs is refused politely.
 */
export async function postAudit(req: Request, res: Response, context: AppContext): Promise<void> {
  // Too many starts (429, Retry-After) and one already running (409) are the error handler's to answer.
  const runId = await context.audits.start(context.dataSource, req.principal!.name);
  res.redirect(303, `/audits/${runId}`);
}

async function runOf(req: Request, context: AppContext): Promise<AuditRun> {
  const id = idParam.safeParse(req.params.id);
  const run = id.success ? await context.dataSource.getRepository(AuditRun).findOneBy({ id: id.data }) : null;
  if (!run) throw new HttpError(404, 'error.not_found');
  return run;
}

/** GET /audits/:id — progress while it runs (the page refreshes itself), then what it found. */
export async function getAuditRun(req: Request, res: Response, context: AppContext): Promise<void> {
  const run = await runOf(req, context);
  const running = run.status === 'running';
  const view = runView(run, req);
  res.page('audits/show', {
    title: t(req.locale, 'audits.run_title', { id: run.id }),
    section: 'audits',
    run: view,
    running,
    cancellable: running && context.audits.runningId === run.id && canCancel(req, run),
    refreshSeconds: running ? 1 : null,
  });
}

/** Who may stop a run: an administrator, or the user who started it (every role may start one). */
function canCancel(req: Request, run: AuditRun): boolean {
  return req.principal?.role === 'admin' || req.principal?.name === run.actor;
}

/**
 * POST /audits/:id/cancel — stops the run at its next page of traffic; nothing it found is
 * written. Only an administrator or the run's own starter may: another user's audit is theirs.
 */
export async function postCancelAudit(req: Request, res: Response, context: AppContext): Promise<void> {
  const run = await runOf(req, context);
  if (!canCancel(req, run)) throw new HttpError(403, 'auth.forbidden');
  if (!context.audits.cancel(run.id)) throw new HttpError(409, 'audits.not_running');
  res.redirect(303, `/audits/${run.id}`);
}
