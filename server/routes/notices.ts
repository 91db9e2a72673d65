import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { isIPv4, isIPv6 } from 'node:net';
import type { Request, Response } from 'express';
import QRCode from 'qrcode';
import type { Page } from 'playwright-core';
import { z } from 'zod';
import { projectRoot } from '../../ormconfig.ts';
import type { AppContext } from '../context.ts';
import { HttpError } from '../errors.ts';
import { Agent, Carrier, LegalInstrument, Notice } from '../entities/index.ts';
import { t, type Locale } from '../i18n/index.ts';
import { chromiumPath } from '../services/notices/pdf.ts';
import { RenderUnavailable } from '../services/notices/rendering.ts';
import {
  acknowledgeNotice,
  contentAsIssued,
  defaultDeadline,
  draftNotice,
  findingsOfNotice,
  getNotice,
  isOverdue,
  issueNotice,
  issuersFor,
  listNotices,
  noticeCandidates,
  noticeContent,
  NoticeError,
  rectifyNotice,
  verifyNotice,
  type NoticeActor,
  type NoticeContent,
  type NoticeRequest,
} from '../services/notices/notices.ts';
import { findAgent } from '../services/lookup/browse.ts';
import { agentFindingCounts, findingNames, getFinding } from '../services/audit/findings.ts';
import { usersNamed } from '../services/accounts/accounts.ts';
import { actorText, commandLineUser } from '../presenters/actors.ts';
import { coversCarrier, scopeOf, seesEveryCarrier } from '../services/accounts/scope.ts';
import { shanghaiDate } from '../numbering/time.ts';
import { PER_PAGE, pagerView, pageUrlBuilder } from '../presenters/paging.ts';
import { findingRowView } from '../presenters/findings.ts';
import { beijingTime } from '../presenters/time.ts';
import { idParam, usccParam } from './shared.ts';
import { badParameter, param, readQuery } from './query.ts';

const DIGITS = '零一二三四五六七八九';

/** 1 → 一, 12 → 十二, 23 → 二十三: how official documents number their points. */
export function chineseNumeral(n: number): string {
  if (n < 10) return DIGITS[n];
  const tens = Math.floor(n / 10);
  const ones = n % 10;
  return `${tens === 1 ? '' : DIGITS[tens]}十${ones === 0 ? '' : DIGITS[ones]}`;
}

function actorOf(req: Request): NoticeActor {
  const principal = req.principal!;
  return { name: principal.name, scope: scopeOf(principal), role: principal.role };
}

/** Where the public verification page is: PUBLIC_URL when set (behind a proxy), else this request's origin. */
function verifyUrl(req: Request, context: AppContext, code: string): string {
  const base = context.config.publicUrl ?? `${req.protocol}://${req.get('host')}`;
  return `${base}/verify/${code}`;
}

/** Whether a URL's host is this machine: localhost, 127.0.0.0/8, ::1 or 0.0.0.0, which nobody else can reach. */
function isLoopbackUrl(url: string): boolean {
  const host = new URL(url).hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  if (isIPv4(host)) return host.startsWith('127.') || host === '0.0.0.0';
  return isIPv6(host) && /^(::1?|::ffff:(127\.[\d.]+|7f[0-9a-f]{2}:[0-9a-f]{1,4}))$/.test(host);
}

/**
 * The verification link a printed notice carries. In production (NODE_ENV=production) a link to
 * this machine is refused: the agent holding the paper could never open it, and the fix is PUBLIC_URL.
 */
function printableVerifyUrl(req: Request, context: AppContext, code: string): string {
  const url = verifyUrl(req, context, code);
  if (context.config.production && isLoopbackUrl(url)) throw new HttpError(503, 'notices.local_verify_url', { url });
  return url;
}

/** The QR code as an SVG data URI (the CSP allows data: images; no markup goes into the page). */
async function qrDataUri(text: string): Promise<string> {
  const svg = await QRCode.toString(text, { type: 'svg', margin: 0, errorCorrectionLevel: 'M' });
  return `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`;
}

type NoticePoint = NoticeContent['findings'][number];

/** The brackets after a point's rule name; notices issued before `subject` was stored name the prefix or number. */
function pointSubject(point: NoticePoint): string | null {
  if (point.subject !== undefined) return point.subject;
  if (point.prefix) return `号段 ${point.prefix}`;
  return point.number ? `号码 ${point.number}` : null;
}

/** The bracketed note closing a point: when it happened, which attachments to read. */
function pointNote(point: NoticePoint): string | null {
  const zh = (key: string, params: Record<string, string | number>) => t('zh-CN', key, params);
  const chains = point.chains ?? (point.attachment === null ? [] : [point.attachment]);
  const parts = [
    point.occurred === null ? null : zh('notices.doc.occurred', { when: point.occurred }),
    chains.length ? zh('notices.doc.see_attachment', { index: chains.join('、') }) : null,
  ].filter((part) => part !== null);
  return parts.length ? parts.join('；') : null;
}

/** What views/partials/notice-document.hbs draws. */
async function documentView(req: Request, context: AppContext, content: NoticeContent, preview: boolean) {
  const url = preview ? '' : printableVerifyUrl(req, context, content.verificationCode);
  return {
    doc: {
      ...content,
      preview,
      findings: content.findings.map((f) => ({
        chineseIndex: chineseNumeral(f.index),
        ruleText: f.ruleText,
        subject: pointSubject(f),
        // The point ends with its note and one full stop, however its finding's text ended.
        detail: f.detail.replace(/[。；，\s]+$/, ''),
        note: pointNote(f),
      })),
      actions: content.actions.map((text, i) => ({ index: i + 1, text })),
      attachments: content.attachments.map((a) => ({ index: a.index, title: a.title })),
      attachmentPages: content.attachments.map((a) => ({
        label: t('zh-CN', 'notices.doc.attachment_title', { index: a.index }),
        title: a.title,
        links: 'chain' in a ? a.chain : null,
        rows: 'list' in a ? a.list.map((row, i) => ({ ...row, index: i + 1 })) : null,
      })),
    },
    verifyUrl: url,
    // A line may break after a slash of the link, never inside a part (nor at the code's hyphens).
    verifyUrlParts: url.match(/[^/]*\/*/g)!.filter(Boolean),
    qr: preview ? null : await qrDataUri(url),
  };
}

const noticeForm = z.object({
  issuer: z.coerce.number().int().positive().optional(),
  deadline: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  findings: z
    .union([z.string(), z.array(z.string())])
    .optional()
    .transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]).map(Number)),
  instruments: z
    .union([z.string(), z.array(z.string())])
    .optional()
    .transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]).map(Number)),
  supersedes: z.coerce.number().int().positive().optional(),
});

async function agentOf(req: Request, context: AppContext): Promise<Agent> {
  const uscc = usccParam(String(req.params.uscc));
  // A carrier's staff may only address agents in their carrier's tree.
  const inScope = uscc ? await findAgent(context.dataSource, uscc, scopeOf(req.principal)) : null;
  const agent = inScope ? await context.dataSource.getRepository(Agent).findOneBy({ uscc: inScope.uscc }) : null;
  if (!agent) throw new HttpError(404, 'error.not_found');
  return agent;
}

/** The issuing form, filled from `values` (defaults: every open finding, every instrument, 15 days). */
async function renderForm(
  req: Request,
  res: Response,
  context: AppContext,
  agent: Agent,
  values: { issuer?: number; deadline?: string; findings?: number[]; instruments?: number[]; supersedes?: number },
  error: string | null,
  status = 200,
): Promise<void> {
  const actor = actorOf(req);
  const issuers = await issuersFor(context.dataSource, actor);
  const supersedes =
    values.supersedes !== undefined ? await getNotice(context.dataSource, actor.scope, values.supersedes) : null;
  const candidates = await noticeCandidates(context.dataSource, agent.uscc, actor.scope, supersedes);
  const instruments = await context.dataSource
    .getRepository(LegalInstrument)
    .find({ order: { position: 'ASC', id: 'ASC' } });
  let problem = error;
  // Nothing to notify: say what there is instead, counted as the risk ranking counts (Finding.ts).
  const counts = candidates.length === 0 ? await agentFindingCounts(context.dataSource, actor.scope, agent.uscc) : null;
  if (counts) problem ??= t(req.locale, 'notices.no_findings', { name: agent.name });
  if (issuers.length === 0) problem ??= t(req.locale, 'notices.no_issuer');
  const chosen = (list: number[] | undefined, id: number) => (list && list.length ? list.includes(id) : true);
  const today = shanghaiDate(new Date());
  res.page(
    'notices/new',
    {
      title: t(req.locale, 'notices.new_title', { name: agent.name }),
      section: 'notices',
      agent: { name: agent.name, uscc: agent.uscc, url: `/agents/${agent.uscc}` },
      issuers: issuers.map((i) => ({
        id: i.id,
        label: `${i.code} · ${i.name}`,
        selected: values.issuer ? values.issuer === i.id : false,
      })),
      findings: candidates.map((f) => ({ ...findingRowView(f, req.locale), checked: chosen(values.findings, f.id) })),
      instruments: instruments.map((i) => ({ id: i.id, title: i.title, checked: chosen(values.instruments, i.id) })),
      deadline: values.deadline ?? defaultDeadline(today),
      minDeadline: today,
      supersedes: values.supersedes ?? null,
      notified:
        counts && counts.notified > 0
          ? {
              text: t(req.locale, 'notices.already_notified', { count: counts.notified }),
              findingsUrl: `/findings?agent=${agent.uscc}&status=notified`,
              noticesUrl: `/notices?agent=${agent.uscc}`,
            }
          : null,
      canIssue: candidates.length > 0 && issuers.length > 0,
      error: problem,
    },
    status,
  );
}

/** `?supersedes=ID`: the notice a correction replaces; `?finding=ID`: the finding the form was opened from. */
const newNoticeQuery = z.object({ supersedes: param.id(), finding: param.id() });

/**
 * GET /agents/:uscc/notices/new — pick findings, deadline, legal basis (and issuer), then preview.
 * Opened from a finding (`finding`), only that finding is ticked; the agent's other open findings
 * are there to add.
 */
export async function getNewNotice(req: Request, res: Response, context: AppContext): Promise<void> {
  const agent = await agentOf(req, context);
  const query = readQuery(req, newNoticeQuery);
  let problem: string | null = null;
  if (query.finding !== undefined) {
    const finding = await getFinding(context.dataSource, scopeOf(req.principal), query.finding);
    if (!finding || finding.agentUscc !== agent.uscc)
      throw badParameter(req.locale, 'finding', 'agent_finding', { name: agent.name });
    if (finding.status !== 'open')
      problem = t(req.locale, 'notices.finding_not_open', {
        id: finding.id,
        status: t(req.locale, `findings.status.${finding.status}`),
      });
  }
  const findings = query.finding !== undefined && problem === null ? [query.finding] : undefined;
  await renderForm(req, res, context, agent, { supersedes: query.supersedes, findings }, problem);
}

function requestFrom(agent: Agent, form: z.infer<typeof noticeForm>): NoticeRequest {
  return {
    agentUscc: agent.uscc,
    issuerId: form.issuer,
    deadline: form.deadline,
    findingIds: form.findings,
    legalInstrumentIds: form.instruments,
    supersedesId: form.supersedes,
  };
}

/** POST /agents/:uscc/notices/preview — the notice as it would print, with the button that issues it. */
export async function postNoticePreview(req: Request, res: Response, context: AppContext): Promise<void> {
  const agent = await agentOf(req, context);
  const form = noticeForm.safeParse(req.body ?? {});
  if (!form.success)
    return renderForm(
      req,
      res,
      context,
      agent,
      {},
      t(req.locale, 'notices.bad_deadline', { today: shanghaiDate(new Date()) }),
      400,
    );
  const request = requestFrom(agent, form.data);
  let draft;
  try {
    draft = await draftNotice(context.dataSource, request, actorOf(req));
  } catch (error) {
    if (!(error instanceof NoticeError)) throw error;
    return renderForm(req, res, context, agent, form.data, t(req.locale, error.code, error.params), 400);
  }
  const year = shanghaiDate(new Date()).slice(0, 4);
  const content = noticeContent(draft, `${draft.issuer.code}〔${year}〕　号`, '——', shanghaiDate(new Date()));
  res.page('notices/preview', {
    title: t(req.locale, 'notices.preview'),
    section: 'notices',
    agentUrl: `/agents/${agent.uscc}`,
    action: `/agents/${agent.uscc}/notices`,
    hidden: [
      ...(form.data.issuer ? [{ name: 'issuer', value: form.data.issuer }] : []),
      { name: 'deadline', value: form.data.deadline },
      ...draft.findings.map((f) => ({ name: 'findings', value: f.id })),
      ...draft.instruments.map((i) => ({ name: 'instruments', value: i.id })),
      ...(form.data.supersedes ? [{ name: 'supersedes', value: form.data.supersedes }] : []),
    ],
    ...(await documentView(req, context, content, true)),
  });
}

/** POST /agents/:uscc/notices — issue it: numbered, frozen, findings marked notified. */
export async function postNotice(req: Request, res: Response, context: AppContext): Promise<void> {
  const agent = await agentOf(req, context);
  const form = noticeForm.safeParse(req.body ?? {});
  if (!form.success)
    return renderForm(
      req,
      res,
      context,
      agent,
      {},
      t(req.locale, 'notices.bad_deadline', { today: shanghaiDate(new Date()) }),
      400,
    );
  try {
    const notice = await issueNotice(context.dataSource, requestFrom(agent, form.data), actorOf(req));
    res.redirect(303, `/notices/${notice.id}`);
  } catch (error) {
    if (!(error instanceof NoticeError)) throw error;
    return renderForm(req, res, context, agent, form.data, t(req.locale, error.code, error.params), 409);
  }
}

function statusView(notice: Notice, locale: Locale) {
  const overdue = isOverdue(notice);
  const key = notice.supersededById !== null ? 'superseded' : notice.status;
  return { status: key, statusText: t(locale, `notices.status.${key}`), overdue };
}

const noticesQuery = z.object({
  status: param.choice(['issued', 'acknowledged', 'rectified', 'overdue', 'superseded']),
  issuer: param.text(20),
  carrier: param.text(16),
  agent: param.uscc(),
  from: param.day(),
  to: param.day(),
  page: param.page(),
});

/** GET /notices — filtered by status (overdue in red), issuer, carrier, agent and date. */
export async function getNotices(req: Request, res: Response, context: AppContext): Promise<void> {
  const q = readQuery(req, noticesQuery);
  const scope = scopeOf(req.principal);
  const issuers = (await issuersFor(context.dataSource, { name: '', scope, role: 'admin' })).filter((i) =>
    coversCarrier(scope, i.carrierId),
  );
  const carriers = seesEveryCarrier(scope)
    ? await context.dataSource.getRepository(Carrier).find({ order: { code: 'ASC' } })
    : [];
  const issuer = q.issuer ? issuers.find((i) => i.code === q.issuer) : undefined;
  const carrier = q.carrier ? carriers.find((c) => c.code === q.carrier) : undefined;
  if (q.issuer && !issuer) throw badParameter(req.locale, 'issuer', 'issuer');
  if (q.carrier && !carrier) throw badParameter(req.locale, 'carrier', 'carrier');
  const page = q.page ?? 1;
  const result = await listNotices(
    context.dataSource,
    scope,
    {
      status: q.status,
      issuerId: issuer?.id,
      carrierId: carrier?.id,
      agent: q.agent,
      from: q.from,
      to: q.to,
    },
    page,
    PER_PAGE,
  );
  const option = (value: string, label: string, selected: unknown) => ({ value, label, selected: value === selected });
  res.page('notices/index', {
    title: t(req.locale, 'notices.title'),
    section: 'notices',
    filter: { agent: q.agent ?? '', from: q.from ?? '', to: q.to ?? '' },
    statuses: ['issued', 'acknowledged', 'rectified', 'overdue', 'superseded'].map((s) =>
      option(s, t(req.locale, `notices.status.${s}`), q.status),
    ),
    issuers: issuers.map((i) => option(i.code, `${i.code} · ${i.name}`, q.issuer)),
    carriers: carriers.length ? carriers.map((c) => option(c.code, c.name, q.carrier)) : null,
    notices: result.rows.map((n) => ({
      id: n.id,
      url: `/notices/${n.id}`,
      number: n.documentNumber,
      agent: n.agentName,
      agentUrl: `/agents/${n.agentUscc}`,
      issuedAt: beijingTime(n.issuedAt).slice(0, 10),
      deadline: n.deadline,
      ...statusView(n, req.locale),
    })),
    total: result.total,
    pager: pagerView(page, result.total, PER_PAGE, pageUrlBuilder('/notices', req.query)),
  });
}

/** The content to print; an altered notice is not printed as if it were the one issued. */
function printableContent(notice: Notice): NoticeContent {
  const content = contentAsIssued(notice);
  if (!content) throw new HttpError(409, 'notices.altered_print');
  return content;
}

async function noticeOf(req: Request, context: AppContext): Promise<Notice> {
  const id = idParam.safeParse(req.params.id);
  const notice = id.success ? await getNotice(context.dataSource, scopeOf(req.principal), id.data) : null;
  if (!notice) throw new HttpError(404, 'error.not_found');
  return notice;
}

async function renderNotice(
  req: Request,
  res: Response,
  context: AppContext,
  notice: Notice,
  error: string | null,
  status = 200,
): Promise<void> {
  const locale = req.locale;
  const related = async (id: number | null) =>
    id === null ? null : getNotice(context.dataSource, scopeOf(req.principal), id);
  const [supersedes, supersededBy] = [await related(notice.supersedesId), await related(notice.supersededById)];
  const current = notice.supersededById === null;
  const content = contentAsIssued(notice);
  const scope = scopeOf(req.principal);
  const findings = await findingsOfNotice(context.dataSource, scope, notice.id);
  const names = await findingNames(context.dataSource, scope, findings);
  const people = await usersNamed(
    context.dataSource,
    [notice.issuedBy, notice.acknowledgedBy, notice.rectifiedBy].filter((name) => name !== null),
  );
  const cliUser = commandLineUser(notice.issuedBy);
  // Issued from the command line, the notice is the issuing office's: no person signed in.
  const issuedBy =
    cliUser !== null && content
      ? t(locale, 'notices.issued_via_cli', { office: content.issuer.signatory, user: cliUser })
      : actorText(notice.issuedBy, locale, people);
  // An altered row is shown by its columns under a warning, so that staff can still find and report it.
  const shown = content
    ? {
        number: content.documentNumber,
        agent: content.addressee.name,
        agentUscc: content.addressee.uscc,
        issuer: content.issuer.name,
        deadline: content.deadline,
      }
    : {
        number: notice.documentNumber,
        agent: notice.agentName,
        agentUscc: notice.agentUscc,
        issuer: '—',
        deadline: notice.deadline,
      };
  res.page(
    'notices/show',
    {
      title: shown.number,
      section: 'notices',
      notice: {
        id: notice.id,
        ...shown,
        agentUrl: `/agents/${shown.agentUscc}`,
        altered: content === null,
        issuedAt: beijingTime(notice.issuedAt),
        issuedBy,
        code: notice.verificationCode,
        fingerprint: notice.fingerprint,
        verifyUrl: verifyUrl(req, context, notice.verificationCode),
        ...statusView(notice, locale),
        acknowledged: notice.acknowledgedAt
          ? t(locale, 'notices.acknowledged_text', {
              at: beijingTime(notice.acknowledgedAt),
              by: notice.acknowledgedBy ? actorText(notice.acknowledgedBy, locale, people) : '',
              note: notice.acknowledgement ?? '',
            })
          : null,
        rectified: notice.rectifiedAt
          ? t(locale, 'notices.rectified_text', {
              at: beijingTime(notice.rectifiedAt),
              by: notice.rectifiedBy ? actorText(notice.rectifiedBy, locale, people) : '',
              note: notice.rectification ?? '',
            })
          : null,
        supersedes: supersedes ? { number: supersedes.documentNumber, url: `/notices/${supersedes.id}` } : null,
        supersededBy: supersededBy ? { number: supersededBy.documentNumber, url: `/notices/${supersededBy.id}` } : null,
        canAcknowledge: current && notice.status === 'issued' && mayFollowUp(req, notice),
        canRectify: current && notice.status !== 'rectified' && mayFollowUp(req, notice),
        canCorrect: current,
        pdfAvailable: chromiumPath() !== null,
      },
      findings: findings.map((f) => findingRowView(f, locale, names)),
      error,
    },
    status,
  );
}

/** GET /notices/:id — the notice's record: status, lifecycle, verification, print and PDF. */
export async function getNoticePage(req: Request, res: Response, context: AppContext): Promise<void> {
  const notice = await noticeOf(req, context);
  await renderNotice(req, res, context, notice, null);
  warmPdf(req, context, notice);
}

/** The notice as the PDF prints it: the print page, its stylesheet inlined (Chromium is given no URL). */
async function pdfHtml(req: Request, context: AppContext, notice: Notice): Promise<string> {
  const content = printableContent(notice);
  const html = context.views.render(
    'notices/print',
    { title: content.documentNumber, ...(await documentView(req, context, content, false)) },
    'print',
  );
  const css = await readFile(path.join(projectRoot, 'public', 'notice.css'), 'utf8');
  return html.replace('<link rel="stylesheet" href="/static/notice.css">', () => `<style>${css}</style>`);
}

/**
 * Prints `html` on `page`. The whole document is replaced and nothing else is set but the print
 * media, so the page may be one an earlier PDF used (services/notices/rendering.ts).
 */
async function printPdf(page: Page, html: string): Promise<Buffer> {
  await page.setContent(html, { waitUntil: 'load' });
  await page.emulateMedia({ media: 'print' });
  return page.pdf({ format: 'A4', preferCSSPageSize: true, printBackground: true });
}

/** What a notice's PDF is kept under when it is printed ahead: its HTML's digest, so only the same document matches. */
const pdfKey = (html: string) => `notice-pdf:${createHash('sha256').update(html).digest('hex')}`;

/**
 * A notice's PDF is one click from its pages: unless a page is kept ready, Chromium starts now,
 * in the background, and prints this notice ahead on the new page (a page's first PDF also
 * loads the fonts); the first click then gets that PDF, its HTML being the same
 * (docs/performance.md).
 */
function warmPdf(req: Request, context: AppContext, notice: Notice): void {
  void context.renderer.warm({}, async () => {
    const html = await pdfHtml(req, context, notice);
    return { key: pdfKey(html), job: (page: Page) => printPdf(page, html) };
  });
}

/** GET /notices/:id/print — the printable page exactly as issued (print CSS, no UI chrome). */
export async function getNoticePrint(req: Request, res: Response, context: AppContext): Promise<void> {
  const notice = await noticeOf(req, context);
  const content = printableContent(notice);
  res.page('notices/print', {
    layout: 'print',
    title: content.documentNumber,
    backUrl: `/notices/${notice.id}`,
    pdfUrl: `/notices/${notice.id}/pdf`,
    ...(await documentView(req, context, content, false)),
  });
  warmPdf(req, context, notice);
}

/**
 * GET /notices/:id/pdf — the same page rendered to PDF by Debian's Chromium (A4, the CSS page
 * margins and page numbers), so what is downloaded is what prints.
 */
export async function getNoticePdf(req: Request, res: Response, context: AppContext): Promise<void> {
  const notice = await noticeOf(req, context);
  if (chromiumPath() === null) throw new HttpError(503, 'notices.pdf_unavailable');
  const html = await pdfHtml(req, context, notice);
  let pdf: Buffer;
  try {
    pdf = await context.renderer.page({}, (page) => printPdf(page, html), { reuse: true, key: pdfKey(html) });
  } catch (error) {
    if (error instanceof RenderUnavailable) throw new HttpError(503, 'notices.pdf_unavailable');
    throw error;
  }
  res.type('application/pdf').set('Content-Disposition', `attachment; filename="notice-${notice.id}.pdf"`).send(pdf);
}

const noteForm = z.object({ note: z.string().trim().min(2).max(5000) });

/**
 * Who records an agent's answer to a notice: the issuing carrier's staff (scope keeps others
 * out) and administrators; a regulator only for a regulator office's own notices, never in a
 * carrier's follow-up.
 */
function mayFollowUp(req: Request, notice: Notice): boolean {
  return req.principal?.role !== 'regulator' || notice.carrierId === null;
}

async function lifecycle(
  req: Request,
  res: Response,
  context: AppContext,
  change: typeof acknowledgeNotice,
): Promise<void> {
  const notice = await noticeOf(req, context);
  if (!mayFollowUp(req, notice)) throw new HttpError(403, 'auth.forbidden');
  const form = noteForm.safeParse(req.body ?? {});
  if (!form.success) return renderNotice(req, res, context, notice, t(req.locale, 'notices.note_required'), 400);
  try {
    await change(context.dataSource, scopeOf(req.principal), notice.id, form.data.note, req.principal!.name);
  } catch (error) {
    if (!(error instanceof NoticeError)) throw error;
    return renderNotice(req, res, context, await noticeOf(req, context), t(req.locale, error.code, error.params), 409);
  }
  res.redirect(303, `/notices/${notice.id}`);
}

/** POST /notices/:id/acknowledge — the agent's receipt recorded. */
export async function postAcknowledge(req: Request, res: Response, context: AppContext): Promise<void> {
  await lifecycle(req, res, context, acknowledgeNotice);
}

/** POST /notices/:id/rectify — rectified, with the evidence of the fix. */
export async function postRectify(req: Request, res: Response, context: AppContext): Promise<void> {
  await lifecycle(req, res, context, rectifyNotice);
}

/** `/verify?code=…`: the verification form's GET. */
const verifyQuery = z.object({ code: param.text(40) });

/** GET /verify and /verify/:code — public: is a notice genuine, and where does it stand? */
export async function getVerify(req: Request, res: Response, context: AppContext): Promise<void> {
  const raw = typeof req.params.code === 'string' ? req.params.code : (readQuery(req, verifyQuery).code ?? null);
  if (raw === null) {
    res.page('notices/verify', { title: t(req.locale, 'verify.title'), code: '', result: null });
    return;
  }
  const notice = raw.length <= 40 ? await verifyNotice(context.dataSource, raw) : null;
  if (!notice) {
    res.page('notices/verify', { title: t(req.locale, 'verify.title'), code: raw.slice(0, 40), unknown: true }, 404);
    return;
  }
  const content = contentAsIssued(notice);
  if (!content) {
    res.page('notices/verify', { title: t(req.locale, 'verify.title'), code: notice.verificationCode, altered: true });
    return;
  }
  const replacement =
    notice.supersededById !== null
      ? await context.dataSource.getRepository(Notice).findOneBy({ id: notice.supersededById })
      : null;
  res.page('notices/verify', {
    title: t(req.locale, 'verify.title'),
    code: notice.verificationCode,
    result: {
      issuer: content.issuer.name,
      number: content.documentNumber,
      date: content.issuedDateText,
      addressee: content.addressee.name,
      deadline: content.deadline,
      ...statusView(notice, req.locale),
      supersededBy: replacement?.documentNumber ?? null,
      fingerprint: notice.fingerprint,
    },
  });
}
