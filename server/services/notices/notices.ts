import { createHash, randomBytes } from 'node:crypto';
import { In, type DataSource, type EntityManager } from 'typeorm';
import { Agent, Finding, Issuer, LegalInstrument, Notice, NoticeCounter, NoticeFinding } from '../../entities/index.ts';
import { NOTIFIABLE_STATUSES, type FindingEvidence } from '../../entities/Finding.ts';
import type { NoticeStatus } from '../../entities/Notice.ts';
import { t } from '../../i18n/index.ts';
import { findingText } from '../../i18n/phrase.ts';
import { IMMUTABLE_NOTICE_MESSAGE } from '../../migrations/1764110000000-Notices.ts';
import { formatShanghai, shanghaiDate, shanghaiDayRange } from '../../numbering/time.ts';
import type { RuleCode } from '../../rules/types.ts';
import { recordAudit, type Actor } from '../accounts/audit.ts';
import { pushTo } from '../../util/pushTo.ts';
import { confinedTo, coversCarrier, scoped, scopedWhere, type Scope } from '../accounts/scope.ts';
import { UserError, type MessageParams } from '../../errors.ts';

export const DEFAULT_DEADLINE_DAYS = 15;

/** The allocation chain a finding cites, root to leaf. */
export type NoticeChain = NonNullable<FindingEvidence['chain']>;

/**
 * An attachment (附件): the chain of one or more points, or the list of every finding a point
 * stands for (a rule with more than LISTED_AFTER findings). Notices issued before lists existed
 * have chain attachments only.
 */
export type NoticeAttachment =
  | { index: number; title: string; chain: NoticeChain }
  | { index: number; title: string; list: Array<{ occurred: string | null; subject: string | null; detail: string }> };

/** Everything a notice prints, frozen when it is issued (stored as JSON, fingerprinted). */
export interface NoticeContent {
  issuer: { code: string; name: string; signatory: string; copyTo: string | null; printedBy: string };
  documentNumber: string;
  title: string;
  addressee: { name: string; uscc: string };
  opening: string;
  /**
   * Numbered points: a rule with more than LISTED_AFTER findings is one point with their count and
   * an attachment listing them; otherwise the findings of one rule about one prefix or number are
   * one point with their count.
   */
  findings: Array<{
    index: number;
    ids: number[];
    rule: string;
    ruleText: string;
    severityText: string;
    prefix: string | null;
    number: string | null;
    /**
     * What the brackets after the rule name say ("号段 …", "号码 …"); null: no brackets. Absent in
     * notices issued before it was stored, which print `prefix`/`number` instead.
     */
    subject?: string | null;
    detail: string;
    occurred: string | null;
    /** The first chain attachment the point cites (as every notice has stored it). */
    attachment: number | null;
    /** Every chain attachment the point cites; absent in older notices (then `attachment` alone). */
    chains?: number[];
    /** The attachment that lists the point's findings one by one; absent or null when there is none. */
    list?: number | null;
  }>;
  actions: string[];
  deadline: string;
  deadlineText: string;
  closing: string;
  legalBasis: Array<{ title: string; articles: string | null }>;
  /** 附件1, 附件2, … numbered in the order the points first cite them. */
  attachments: NoticeAttachment[];
  issuedDateText: string;
  verificationCode: string;
  supersedes: string | null;
}

/**
 * A rule with more findings than this is one point of the notice with their count, and an
 * attachment lists them: pages of near-identical points help no one (docs/domain.md#the-notice).
 */
export const LISTED_AFTER = 3;

/** Why a notice could not be issued or changed; `code` is an i18n key under `notices.`. */
export class NoticeError extends UserError {
  constructor(
    readonly code: string,
    params: MessageParams = {},
  ) {
    super(409, code, params);
  }
}

/** Who is issuing: their scope decides which agents, findings and issuers they may use. */
export interface NoticeActor {
  name: Actor;
  scope: Scope;
  /**
   * 'carrier' users issue under their carrier's issuer; others under any regulator office (admins and the CLI: any).
   */
  role: 'admin' | 'carrier' | 'regulator' | 'cli';
}

export interface NoticeRequest {
  agentUscc: string;
  /** Default: every open finding of the agent in the actor's scope. */
  findingIds?: number[];
  /** YYYY-MM-DD; default: DEFAULT_DEADLINE_DAYS after today (Beijing). */
  deadline?: string;
  /** Default: every legal instrument, in their order. */
  legalInstrumentIds?: number[];
  /** Issuer id; default: the only issuer the actor may use. */
  issuerId?: number;
  /** A correction: the notice this one supersedes (its findings may be included again). */
  supersedesId?: number;
  now?: Date;
}

/** The issuers an actor may issue under. */
export async function issuersFor(dataSource: DataSource | EntityManager, actor: NoticeActor): Promise<Issuer[]> {
  const issuers = await dataSource.getRepository(Issuer).find({ order: { code: 'ASC' } });
  if (actor.role === 'carrier') return issuers.filter((i) => confinedTo(actor.scope, i.carrierId));
  if (actor.role === 'regulator') return issuers.filter((i) => i.carrierId === null);
  return issuers;
}

/** Chinese calendar form: 2026年11月25日. */
export function chineseDate(date: string): string {
  const [y, m, d] = date.split('-').map(Number);
  return `${y}年${m}月${d}日`;
}

/** The deadline a notice gets unless one is chosen: DEFAULT_DEADLINE_DAYS after `today` (YYYY-MM-DD). */
export function defaultDeadline(today: string): string {
  return new Date(Date.parse(`${today}T00:00:00Z`) + DEFAULT_DEADLINE_DAYS * 86_400_000).toISOString().slice(0, 10);
}

/** What the notice would say, from the current data: for the preview and for issuing. */
export interface NoticeDraft {
  issuer: Issuer;
  agent: Agent;
  findings: Finding[];
  instruments: LegalInstrument[];
  deadline: string;
  supersedes: Notice | null;
}

/** Checks a request against the data and the actor's scope; what issuing would use. */
export async function draftNotice(
  db: DataSource | EntityManager,
  request: NoticeRequest,
  actor: NoticeActor,
): Promise<NoticeDraft> {
  const now = request.now ?? new Date();
  const issuers = await issuersFor(db, actor);
  const issuer =
    request.issuerId !== undefined
      ? issuers.find((i) => i.id === request.issuerId)
      : issuers.length === 1
        ? issuers[0]
        : undefined;
  if (!issuer)
    throw new NoticeError(issuers.length === 0 ? 'notices.no_issuer' : 'notices.choose_issuer', {
      codes: issuers.map((i) => i.code).join('、'),
    });
  const agent = await db.getRepository(Agent).findOneBy({ uscc: request.agentUscc });
  if (!agent) throw new NoticeError('notices.unknown_agent', { uscc: request.agentUscc });
  const supersedes =
    request.supersedesId !== undefined ? await db.getRepository(Notice).findOneBy({ id: request.supersedesId }) : null;
  if (request.supersedesId !== undefined) {
    if (!supersedes || supersedes.agentUscc !== agent.uscc || !inScope(supersedes, actor))
      throw new NoticeError('notices.bad_supersedes');
    if (supersedes.supersededById !== null)
      throw new NoticeError('notices.already_superseded', { number: supersedes.documentNumber });
  }
  const candidates = await noticeCandidates(db, agent.uscc, actor.scope, supersedes);
  let findings = candidates;
  if (request.findingIds) {
    const wanted = new Set(request.findingIds);
    findings = candidates.filter((f) => wanted.has(f.id));
    if (findings.length !== wanted.size) throw new NoticeError('notices.bad_findings');
  }
  if (findings.length === 0) throw new NoticeError('notices.no_findings', { name: agent.name });
  const allInstruments = await db.getRepository(LegalInstrument).find({ order: { position: 'ASC', id: 'ASC' } });
  const instruments = request.legalInstrumentIds
    ? allInstruments.filter((i) => request.legalInstrumentIds!.includes(i.id))
    : allInstruments;
  if (
    instruments.length === 0 ||
    (request.legalInstrumentIds && instruments.length !== new Set(request.legalInstrumentIds).size)
  )
    throw new NoticeError('notices.no_legal_basis');
  const today = shanghaiDate(now);
  const deadline = request.deadline ?? defaultDeadline(today);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(deadline) || deadline <= today || Number.isNaN(Date.parse(deadline)))
    throw new NoticeError('notices.bad_deadline', { today });
  return { issuer, agent, findings, instruments, deadline, supersedes };
}

/**
 * The findings a notice to this agent may include: its open findings in the scope
 * (NOTIFIABLE_STATUSES), and for a correction also those of the notice it supersedes (they are
 * already notified).
 */
export async function noticeCandidates(
  db: DataSource | EntityManager,
  agentUscc: string,
  scope: Scope,
  supersedes: Notice | null,
): Promise<Finding[]> {
  const carried = supersedes
    ? (await db.getRepository(NoticeFinding).findBy({ noticeId: supersedes.id })).map((nf) => nf.findingId)
    : [];
  const query = db
    .getRepository(Finding)
    .createQueryBuilder('f')
    .where('f.agent_uscc = :agent', { agent: agentUscc })
    .andWhere(
      carried.length ? '(f.status IN (:...notifiable) OR f.id IN (:...carried))' : 'f.status IN (:...notifiable)',
      { carried, notifiable: NOTIFIABLE_STATUSES },
    );
  return scoped.findings(query, scope).orderBy('f.occurred_at', 'ASC').addOrderBy('f.id', 'ASC').getMany();
}

function inScope(notice: Notice, actor: NoticeActor): boolean {
  return coversCarrier(actor.scope, notice.carrierId);
}

/** The required action for each rule broken, in plain Chinese (one per rule, in order of first appearance). */
function actionsFor(findings: Finding[]): string[] {
  const rules = [...new Set(findings.map((f) => f.rule as RuleCode))];
  return rules.map((rule) => t('zh-CN', `notices.action.${rule}`));
}

/** The notice's text from a draft; `documentNumber` and `code` are placeholders in a preview. */
export function noticeContent(
  draft: NoticeDraft,
  documentNumber: string,
  verificationCode: string,
  issuedOn: string,
): NoticeContent {
  const { issuer, agent, findings, instruments, deadline, supersedes } = draft;
  const zh = (key: string, params?: Record<string, string | number>) => t('zh-CN', key, params);
  const perRule = new Map<string, number>();
  for (const f of findings) perRule.set(f.rule, (perRule.get(f.rule) ?? 0) + 1);
  const listed = (f: Finding) => perRule.get(f.rule)! > LISTED_AFTER;
  // Points by rule, in the order each rule first happened, and a rule's points in the order of their
  // first finding (the candidates come oldest first).
  const groups = new Map<string, Finding[]>();
  for (const f of findings) pushTo(groups, listed(f) ? f.rule : `${f.rule}|${f.prefix ?? f.number ?? f.id}`, f);
  const ruleOrder = [...perRule.keys()];
  const ordered = [...groups.values()].sort((a, b) => ruleOrder.indexOf(a[0].rule) - ruleOrder.indexOf(b[0].rule));
  const attachments: NoticeContent['attachments'] = [];
  const chainAttachment = new Map<string, number>();
  /** The chain's attachment, added the first time a point cites it. */
  const attachChain = (chain: NoticeChain): number => {
    const key = chain.map((l) => `${l.prefix}>${l.lessee}`).join('|');
    let index = chainAttachment.get(key);
    if (index === undefined) {
      index = attachments.length + 1;
      chainAttachment.set(key, index);
      attachments.push({
        index,
        title: zh('notices.doc.chain_title', { prefix: chain[chain.length - 1].prefix }),
        chain,
      });
    }
    return index;
  };
  const points = ordered.map((group, i): NoticeContent['findings'][number] => {
    const first = group[0];
    // Drafting reads the catalogue; an issued notice keeps the text it was issued with (its content).
    const detail = findingText('zh-CN', first);
    const chains = [
      ...new Set(group.flatMap((f) => (f.evidence.chain?.length ? [attachChain(f.evidence.chain)] : []))),
    ].sort((a, b) => a - b);
    let list: number | null = null;
    if (listed(first)) {
      list = attachments.length + 1;
      attachments.push({
        index: list,
        title: zh('notices.doc.list_title', { rule: zh(`rule.${first.rule}`), count: group.length }),
        list: group.map((f) => ({
          occurred: f.occurredAt ? formatShanghai(f.occurredAt).slice(0, 16).replace('T', ' ') : null,
          subject: f.number ?? f.prefix,
          detail: findingText('zh-CN', f),
        })),
      });
    }
    const days = group.flatMap((f) => (f.occurredAt ? [shanghaiDate(f.occurredAt)] : [])).sort();
    const occurred =
      days.length === 0
        ? null
        : days[0] === days[days.length - 1]
          ? chineseDate(days[0])
          : zh('notices.doc.period', { from: chineseDate(days[0]), to: chineseDate(days[days.length - 1]) });
    const subjects = [...new Set(group.map(subjectOf).filter((s) => s !== null))];
    const sameSubject = group.every((f) => f.prefix === first.prefix && f.number === first.number);
    return {
      index: i + 1,
      ids: group.map((f) => f.id),
      rule: first.rule,
      ruleText: zh(`rule.${first.rule}`),
      severityText: zh(`severity.${first.severity}`),
      prefix: sameSubject ? first.prefix : null,
      number: sameSubject ? first.number : null,
      subject:
        subjects.length <= 2
          ? subjects.join('、') || null
          : zh('notices.doc.subjects', { first: subjects.slice(0, 2).join('、'), count: subjects.length }),
      detail:
        list !== null
          ? zh('notices.doc.listed', { count: group.length, index: list, example: detail })
          : group.length === 1
            ? detail
            : zh('notices.doc.group', { count: group.length, example: detail }),
      occurred,
      attachment: chains[0] ?? null,
      chains,
      list,
    };
  });
  return {
    issuer: {
      code: issuer.code,
      name: issuer.name,
      signatory: issuer.signatory,
      copyTo: issuer.copyTo,
      printedBy: issuer.printedBy,
    },
    documentNumber,
    title: zh('notices.doc.title', { name: agent.name }),
    addressee: { name: agent.name, uscc: agent.uscc },
    opening: supersedes
      ? zh('notices.doc.opening_correction', {
          number: supersedes.documentNumber,
          count: points.length,
          total: findings.length,
        })
      : zh('notices.doc.opening', { count: points.length, total: findings.length }),
    findings: points,
    actions: actionsFor(findings),
    deadline,
    deadlineText: chineseDate(deadline),
    closing: zh('notices.doc.closing', { deadline: chineseDate(deadline), issuer: issuer.name }),
    legalBasis: instruments.map((i) => ({ title: i.title, articles: i.articles })),
    attachments,
    issuedDateText: chineseDate(issuedOn),
    verificationCode,
    supersedes: supersedes?.documentNumber ?? null,
  };
}

/** What a finding is about, as the brackets after a point's rule name say it; null when it has neither. */
function subjectOf(finding: Finding): string | null {
  if (finding.prefix) return `号段 ${finding.prefix}`;
  return finding.number ? `号码 ${finding.number}` : null;
}

/** 80 random bits in Crockford-style base32 (no I, L, O, U), grouped for reading aloud: `7KQ4-M2XD-…`. */
function verificationCode(): string {
  const alphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
  const bytes = randomBytes(10);
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += alphabet[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  return out.match(/.{4}/g)!.join('-');
}

export const fingerprintOf = (content: string) => createHash('sha256').update(content).digest('hex');

/**
 * Issuing through one DataSource is serialised (an embedded SQLite store has one connection, and
 * a transaction must not interleave with another on it); between connections and processes the
 * counter row's lock in MySQL/MariaDB does the same.
 */
const issuing = new WeakMap<DataSource, Promise<unknown>>();

/**
 * Issues a notice: takes the next serial of the issuer's year inside the transaction that writes
 * the notice (so a failure leaves no gap, and two issuers at the same moment cannot get the same
 * number), freezes its content, marks its findings notified, marks a superseded notice, and logs.
 */
export async function issueNotice(dataSource: DataSource, request: NoticeRequest, actor: NoticeActor): Promise<Notice> {
  const run = (issuing.get(dataSource) ?? Promise.resolve()).then(() => issue(dataSource, request, actor));
  issuing.set(
    dataSource,
    run.catch(() => undefined),
  );
  return run;
}

async function issue(dataSource: DataSource, request: NoticeRequest, actor: NoticeActor): Promise<Notice> {
  const now = request.now ?? new Date();
  const year = Number(shanghaiDate(now).slice(0, 4));
  // The year's counter row is made (at 0) before the transaction: creating it inside would have two
  // concurrent issuers share a lock on the new key and then deadlock upgrading it. Inside, the
  // UPDATE takes the row's exclusive lock and holds it to commit, which serialises the serials.
  if (request.issuerId !== undefined) {
    await dataSource
      .createQueryBuilder()
      .insert()
      .into(NoticeCounter)
      .values({ issuerId: request.issuerId, year, lastSerial: 0 })
      .orIgnore()
      .execute();
  }
  return dataSource.transaction(async (manager) => {
    const draft = await draftNotice(manager, request, actor);
    if (draft.issuer.id !== request.issuerId) {
      await manager
        .createQueryBuilder()
        .insert()
        .into(NoticeCounter)
        .values({ issuerId: draft.issuer.id, year, lastSerial: 0 })
        .orIgnore()
        .execute();
    }
    await manager
      .createQueryBuilder()
      .update(NoticeCounter)
      .set({ lastSerial: () => 'last_serial + 1' })
      .where('issuer_id = :issuer AND year = :year', { issuer: draft.issuer.id, year })
      .execute();
    const { lastSerial: serial } = await manager.findOneByOrFail(NoticeCounter, { issuerId: draft.issuer.id, year });
    const documentNumber = `${draft.issuer.code}〔${year}〕${serial}号`;
    const code = verificationCode();
    const content = JSON.stringify(noticeContent(draft, documentNumber, code, shanghaiDate(now)));
    const notice = await manager.save(
      manager.create(Notice, {
        issuerId: draft.issuer.id,
        year,
        serial,
        documentNumber,
        carrierId: draft.issuer.carrierId,
        agentUscc: draft.agent.uscc,
        agentName: draft.agent.name,
        deadline: draft.deadline,
        issuedAt: now,
        issuedBy: actor.name.slice(0, 100),
        verificationCode: code,
        fingerprint: fingerprintOf(content),
        content,
        supersedesId: draft.supersedes?.id ?? null,
        status: 'issued',
        supersededById: null,
        acknowledgedAt: null,
        acknowledgedBy: null,
        acknowledgement: null,
        rectifiedAt: null,
        rectifiedBy: null,
        rectification: null,
      }),
    );
    const findingIds = draft.findings.map((f) => f.id);
    await manager
      .createQueryBuilder()
      .insert()
      .into(NoticeFinding)
      .values(findingIds.map((findingId) => ({ noticeId: notice.id, findingId })))
      .execute();
    await manager
      .createQueryBuilder()
      .update(Finding)
      .set({
        status: 'notified',
        statusChangedAt: now,
        statusChangedBy: actor.name.slice(0, 100),
        statusReason: documentNumber,
      })
      .where({ id: In(findingIds) })
      .execute();
    if (draft.supersedes) await manager.update(Notice, { id: draft.supersedes.id }, { supersededById: notice.id });
    await recordAudit(manager, {
      actor: actor.name,
      action: 'notice.issued',
      subject: `notice:${documentNumber}`,
      after: {
        noticeId: notice.id,
        documentNumber,
        agent: draft.agent.uscc,
        findings: findingIds,
        fingerprint: notice.fingerprint,
        supersedes: draft.supersedes?.id ?? null,
      },
    });
    return notice;
  });
}

/** Whether an error is the store refusing to change an issued notice (its triggers). */
export function isImmutabilityRefusal(error: unknown): boolean {
  return error instanceof Error && error.message.includes(IMMUTABLE_NOTICE_MESSAGE);
}

/**
 * What the notice says, as issued. Pages show a notice from this alone: the issuer row (and the
 * agent row) may be renamed later, and a notice must go on saying what it said.
 */
export function contentOf(notice: Notice): NoticeContent {
  return JSON.parse(notice.content) as NoticeContent;
}

/**
 * The notice's content if the stored row is still what was issued, else null. The triggers stop
 * every change by a database user who cannot drop them; one who can is caught here, unless they
 * also rewrote the fingerprint (a plain SHA-256, not a keyed one).
 */
export function contentAsIssued(notice: Notice): NoticeContent | null {
  if (fingerprintOf(notice.content) !== notice.fingerprint) return null;
  let content: NoticeContent;
  try {
    content = JSON.parse(notice.content) as NoticeContent;
  } catch {
    return null;
  }
  // The columns a notice is found and listed by must say what its content says.
  const consistent =
    typeof content === 'object' &&
    content !== null &&
    content.verificationCode === notice.verificationCode &&
    content.documentNumber === notice.documentNumber &&
    content.addressee?.uscc === notice.agentUscc &&
    content.deadline === notice.deadline;
  return consistent ? content : null;
}

/** Overdue: past its deadline (Beijing), not rectified, not superseded. */
export function isOverdue(notice: Notice, now = new Date()): boolean {
  return notice.status !== 'rectified' && notice.supersededById === null && shanghaiDate(now) > notice.deadline;
}

export interface NoticeFilter {
  status?: NoticeStatus | 'overdue' | 'superseded';
  issuerId?: number;
  carrierId?: number;
  agent?: string;
  from?: string;
  to?: string;
}

/** Notices in scope, newest first. */
export async function listNotices(
  dataSource: DataSource,
  scope: Scope,
  filter: NoticeFilter,
  page: number,
  perPage: number,
  now = new Date(),
): Promise<{ rows: Notice[]; total: number }> {
  const query = scoped.notices(dataSource.getRepository(Notice).createQueryBuilder('n'), scope);
  if (filter.issuerId !== undefined) query.andWhere('n.issuer_id = :issuer', { issuer: filter.issuerId });
  if (filter.carrierId !== undefined) query.andWhere('n.carrier_id = :carrier', { carrier: filter.carrierId });
  if (filter.agent) query.andWhere('n.agent_uscc = :agent', { agent: filter.agent });
  const issued = shanghaiDayRange(filter.from, filter.to);
  if (issued.from) query.andWhere('n.issued_at >= :from', { from: issued.from });
  if (issued.to) query.andWhere('n.issued_at < :to', { to: issued.to });
  if (filter.status === 'superseded') query.andWhere('n.superseded_by_id IS NOT NULL');
  else if (filter.status === 'overdue') {
    query
      .andWhere("n.status <> 'rectified'")
      .andWhere('n.superseded_by_id IS NULL')
      .andWhere('n.deadline < :today', { today: shanghaiDate(now) });
  } else if (filter.status)
    query.andWhere('n.status = :status', { status: filter.status }).andWhere('n.superseded_by_id IS NULL');
  const [rows, total] = await query
    .orderBy('n.issued_at', 'DESC')
    .addOrderBy('n.id', 'DESC')
    .skip((page - 1) * perPage)
    .take(perPage)
    .getManyAndCount();
  return { rows, total };
}

export async function getNotice(dataSource: DataSource, scope: Scope, id: number): Promise<Notice | null> {
  return dataSource.getRepository(Notice).findOne({ where: { id, ...scopedWhere.notices(scope) } });
}

/** The notices in scope issued for a finding, newest first. */
export async function noticesCovering(dataSource: DataSource, scope: Scope, findingId: number): Promise<Notice[]> {
  const query = dataSource
    .getRepository(Notice)
    .createQueryBuilder('n')
    .innerJoin(NoticeFinding, 'nf', 'nf.notice_id = n.id')
    .where('nf.finding_id = :findingId', { findingId });
  return scoped.notices(query, scope).orderBy('n.issued_at', 'DESC').addOrderBy('n.id', 'DESC').getMany();
}

/**
 * The findings a notice was issued for, as they stand now (their status may have moved on), in
 * the order the notice numbers them; those `scope` does not reach are left out.
 */
export async function findingsOfNotice(dataSource: DataSource, scope: Scope, noticeId: number): Promise<Finding[]> {
  const query = dataSource
    .getRepository(Finding)
    .createQueryBuilder('f')
    .innerJoin(NoticeFinding, 'nf', 'nf.finding_id = f.id')
    .where('nf.notice_id = :noticeId', { noticeId });
  return scoped.findings(query, scope).orderBy('f.occurred_at', 'ASC').addOrderBy('f.id', 'ASC').getMany();
}

/** The public verification: a notice by its code, whoever asks. */
export async function verifyNotice(dataSource: DataSource, code: string): Promise<Notice | null> {
  const normalised =
    code
      .trim()
      .toUpperCase()
      .replace(/[^0-9A-Z]/g, '')
      .match(/.{1,4}/g)
      ?.join('-') ?? '';
  if (!/^[0-9A-Z]{4}(-[0-9A-Z]{4}){3}$/.test(normalised)) return null;
  return dataSource.getRepository(Notice).findOne({ where: { verificationCode: normalised } });
}

/** issued → acknowledged: the agent's receipt, as staff recorded it. */
export async function acknowledgeNotice(
  dataSource: DataSource,
  scope: Scope,
  id: number,
  receipt: string,
  actor: Actor,
  now = new Date(),
): Promise<Notice> {
  return dataSource.transaction(async (manager) => {
    const notice = await manager.findOneBy(Notice, { id, ...scopedWhere.notices(scope) });
    if (!notice) throw new NoticeError('notices.not_found');
    if (notice.status !== 'issued' || notice.supersededById !== null)
      throw new NoticeError('notices.cannot_acknowledge', { status: notice.status });
    await manager.update(
      Notice,
      { id },
      {
        status: 'acknowledged',
        acknowledgedAt: now,
        acknowledgedBy: actor.slice(0, 100),
        acknowledgement: receipt.slice(0, 1000),
      },
    );
    await recordAudit(manager, {
      actor,
      action: 'notice.acknowledged',
      subject: `notice:${notice.documentNumber}`,
      before: { status: notice.status },
      after: { status: 'acknowledged', receipt },
    });
    return manager.findOneByOrFail(Notice, { id });
  });
}

/** → rectified, with the evidence of the fix; the notice's findings become rectified too. */
export async function rectifyNotice(
  dataSource: DataSource,
  scope: Scope,
  id: number,
  evidence: string,
  actor: Actor,
  now = new Date(),
): Promise<Notice> {
  return dataSource.transaction(async (manager) => {
    const notice = await manager.findOneBy(Notice, { id, ...scopedWhere.notices(scope) });
    if (!notice) throw new NoticeError('notices.not_found');
    if (notice.status === 'rectified' || notice.supersededById !== null)
      throw new NoticeError('notices.cannot_rectify', { status: notice.status });
    await manager.update(
      Notice,
      { id },
      { status: 'rectified', rectifiedAt: now, rectifiedBy: actor.slice(0, 100), rectification: evidence },
    );
    const findingIds = (await manager.findBy(NoticeFinding, { noticeId: id })).map((nf) => nf.findingId);
    if (findingIds.length) {
      await manager
        .createQueryBuilder()
        .update(Finding)
        .set({
          status: 'rectified',
          statusChangedAt: now,
          statusChangedBy: actor.slice(0, 100),
          statusReason: notice.documentNumber,
        })
        .where({ id: In(findingIds), status: 'notified' })
        .execute();
    }
    await recordAudit(manager, {
      actor,
      action: 'notice.rectified',
      subject: `notice:${notice.documentNumber}`,
      before: { status: notice.status },
      after: { status: 'rectified', findings: findingIds },
    });
    return manager.findOneByOrFail(Notice, { id });
  });
}
