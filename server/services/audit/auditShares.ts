/**
 * The traffic part of an audit, split across worker threads. Each thread holds the snapshot (the
 * allocation index in shared memory, the registry copied) and audits the messages of the senders
 * it is given: one number's messages always go to the same thread, so what the rules gather per
 * number (NUMBER_MULTI_ENTITY, UNFILED_SIGNATURE) is whole in that thread and concluded there.
 * What a rule gathers across numbers (HIDDEN_RELEASE, per allocation) comes back as plain data
 * for the main thread's pass to take in (RuleRun.gathered / gather) before it finishes.
 */
import os from 'node:os';
import { Worker, type MessagePort } from 'node:worker_threads';
import { workerTsconfig } from '../../util/projectRoot.ts';
import { AllocationIndex, type IndexParts } from '../../chain/allocationIndex.ts';
import { AuditPass } from '../../rules/engine.ts';
import { RULES } from '../../rules/index.ts';
import type { AuditedMessage, AuditSnapshot, FindingDraft, Rule, RuleCode } from '../../rules/types.ts';

/** Below this many messages, starting threads costs more than it saves (docs/performance.md). */
export const SHARED_AUDIT_MIN_MESSAGES = 500_000;

/** Pages with the threads at once while an audit is fed page by page (AuditShares.auditPages). */
const PAGES_IN_FLIGHT = 4;

/** How many threads an audit of `messages` messages uses: one per core from the threshold on. */
export function auditThreads(messages: number): number {
  return messages >= SHARED_AUDIT_MIN_MESSAGES ? Math.max(1, os.availableParallelism()) : 1;
}

/** Rules a thread can run: the product's own, named by code (a rule object cannot be sent to a thread). */
export function shareableRules(rules: readonly Rule[]): boolean {
  return rules.every((rule) => RULES.includes(rule));
}

/** What a thread is started with: enough to load the product's TypeScript. */
interface ThreadData {
  tsconfig: string | null;
}

/** The snapshot as it travels to a thread: the index as shared parts, the rest copied. */
type SharedSnapshot = Omit<AuditSnapshot, 'index'> & { index: IndexParts };

type ToThread =
  | { type: 'snapshot'; snapshot: SharedSnapshot; rules: RuleCode[] }
  | { type: 'messages'; batch: MessageBatch }
  | { type: 'finish' };

/**
 * A page of stored messages as the database gave them, column by column, each content either
 * a string or its UTF-8 bytes (MySQL hands them over undecoded: services/audit/auditRuns.ts). A
 * thread is sent the bytes and makes the strings itself, so the thread that reads the pages
 * neither decodes the texts nor copies them again into a message to the thread.
 */
export interface StoredPage {
  count: number;
  ids: Float64Array;
  /** Milliseconds since the epoch. */
  sentAt: Float64Array;
  refs: Array<string | null>;
  senders: string[];
  contents: Array<string | Uint8Array>;
}

/** What the threads are fed: messages as objects, or a page as read from the store. */
export type AuditPage = readonly AuditedMessage[] | StoredPage;

function isStoredPage(page: AuditPage): page is StoredPage {
  return !Array.isArray(page);
}

/** A stored page's messages as the rules take them, the contents decoded. */
export function storedMessages(page: StoredPage): AuditedMessage[] {
  const messages: AuditedMessage[] = new Array(page.count);
  for (let i = 0; i < page.count; i++) {
    const content = page.contents[i];
    messages[i] = {
      id: page.ids[i],
      ref: page.refs[i],
      sender: page.senders[i],
      sentAt: new Date(page.sentAt[i]),
      content: typeof content === 'string' ? content : utf8(content),
    };
  }
  return messages;
}

const utf8 = (bytes: Uint8Array, start = 0, end = bytes.length) =>
  Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8', start, end);

/**
 * Messages as they travel to a thread: their strings in one array and their numbers in typed
 * arrays, rather than an object each, which the structured clone copies field by field at more
 * than twice the cost. The strings arrive in the thread as strings of their own, so what a rule
 * keeps of one message does not hold on to a whole batch. Contents read as bytes travel as one
 * buffer (moved, not copied) with where each ends.
 */
interface MessageBatch {
  ids: Float64Array;
  sentAt: Float64Array;
  /** Per message: its sender and its ref, then its content unless the contents are bytes. */
  strings: Array<string | null>;
  bytes: Uint8Array | null;
  /** Where each message's content ends in `bytes`. */
  ends: Uint32Array | null;
}

/** The messages at `picked` (indices into the page) as a batch for one thread. */
function packBatch(page: AuditPage, picked: readonly number[]): MessageBatch {
  const count = picked.length;
  const ids = new Float64Array(count);
  const sentAt = new Float64Array(count);
  if (!isStoredPage(page)) {
    const strings: Array<string | null> = new Array(3 * count);
    for (let k = 0; k < count; k++) {
      const { id, ref, sender, sentAt: at, content } = page[picked[k]];
      ids[k] = id;
      sentAt[k] = at.getTime();
      strings[3 * k] = sender;
      strings[3 * k + 1] = ref;
      strings[3 * k + 2] = content;
    }
    return { ids, sentAt, strings, bytes: null, ends: null };
  }
  const asBytes = page.count > 0 && typeof page.contents[0] !== 'string';
  const strings: Array<string | null> = new Array((asBytes ? 2 : 3) * count);
  let size = 0;
  for (let k = 0; k < count; k++) {
    const i = picked[k];
    ids[k] = page.ids[i];
    sentAt[k] = page.sentAt[i];
    if (asBytes) {
      strings[2 * k] = page.senders[i];
      strings[2 * k + 1] = page.refs[i];
      size += (page.contents[i] as Uint8Array).length;
    } else {
      strings[3 * k] = page.senders[i];
      strings[3 * k + 1] = page.refs[i];
      strings[3 * k + 2] = page.contents[i] as string;
    }
  }
  if (!asBytes) return { ids, sentAt, strings, bytes: null, ends: null };
  const bytes = new Uint8Array(size);
  const ends = new Uint32Array(count);
  let at = 0;
  for (let k = 0; k < count; k++) {
    const content = page.contents[picked[k]] as Uint8Array;
    bytes.set(content, at);
    ends[k] = at += content.length;
  }
  return { ids, sentAt, strings, bytes, ends };
}

/** The batch's messages as objects again (an array: a generator's steps cost more than the array). */
function unpackBatch({ ids, sentAt, strings, bytes, ends }: MessageBatch): AuditedMessage[] {
  const messages: AuditedMessage[] = new Array(ids.length);
  const width = bytes ? 2 : 3;
  for (let i = 0; i < ids.length; i++) {
    messages[i] = {
      id: ids[i],
      sender: strings[width * i]!,
      ref: strings[width * i + 1],
      content: bytes ? utf8(bytes, i === 0 ? 0 : ends![i - 1], ends![i]) : strings[3 * i + 2]!,
      sentAt: new Date(sentAt[i]),
    };
  }
  return messages;
}

/** What auditing one page of traffic found. */
export interface AuditedPage {
  findings: FindingDraft[];
  count: number;
}

type FromThread =
  | { type: 'loaded' }
  | { type: 'ready' }
  | { type: 'findings'; findings: FindingDraft[] }
  | { type: 'finished'; findings: FindingDraft[]; gathered: unknown[] };

/** The thread that audits a sender's messages: a hash of its last digits, the same every time. */
export function shareOf(sender: string, threads: number): number {
  let hash = 0;
  for (let i = Math.max(0, sender.length - 4); i < sender.length; i++) hash = hash * 31 + sender.charCodeAt(i);
  return hash % threads;
}

/** One worker thread and the answers it owes, in the order it was asked. */
class Share {
  private readonly waiting: Array<{ resolve: (answer: FromThread) => void; reject: (error: Error) => void }> = [];
  private failure: Error | null = null;

  constructor(readonly worker: Worker) {
    worker.on('message', (answer: FromThread) => this.waiting.shift()?.resolve(answer));
    worker.on('error', (error) => this.fail(error));
    worker.on('exit', (code) =>
      this.fail(new Error(`an audit thread stopped (exit code ${code}) before it had answered`)),
    );
  }

  private fail(error: Error): void {
    this.failure ??= error;
    for (const pending of this.waiting.splice(0)) pending.reject(this.failure);
  }

  /** The next answer: the thread says `loaded` unasked, then answers each request in turn. */
  next(request?: ToThread): Promise<FromThread> {
    if (this.failure) return Promise.reject(this.failure);
    const answer = new Promise<FromThread>((resolve, reject) => this.waiting.push({ resolve, reject }));
    if (request?.type === 'messages') {
      const { ids, sentAt, bytes, ends } = request.batch;
      const moved = [ids.buffer, sentAt.buffer];
      if (bytes && ends) moved.push(bytes.buffer, ends.buffer);
      this.worker.postMessage(request, moved as ArrayBuffer[]);
    } else if (request) {
      this.worker.postMessage(request);
    }
    return answer;
  }
}

/** The threads of one audit. Close it when done, also after a failure. */
export class AuditShares {
  private constructor(private readonly shares: Share[]) {}

  /**
   * Starts the threads and hands them the snapshot. Loading the code takes a thread about a
   * second: given the snapshot still loading, the threads load meanwhile.
   */
  static async start(
    snapshot: AuditSnapshot | Promise<AuditSnapshot>,
    rules: readonly Rule[],
    threads: number,
  ): Promise<AuditShares> {
    const data: ThreadData = { tsconfig: workerTsconfig };
    const shares: Share[] = [];
    try {
      for (let i = 0; i < threads; i++)
        shares.push(new Share(new Worker(new URL('./auditWorker.js', import.meta.url), { workerData: data })));
      const [loaded] = await Promise.all([snapshot, Promise.all(shares.map((share) => share.next()))]);
      const shared: SharedSnapshot = { ...loaded, index: loaded.index.shareableParts() };
      const codes = rules.map((rule) => rule.code);
      await Promise.all(shares.map((share) => share.next({ type: 'snapshot', snapshot: shared, rules: codes })));
      return new AuditShares(shares);
    } catch (error) {
      await Promise.all(shares.map((share) => share.worker.terminate()));
      throw error;
    }
  }

  /** Audits messages, each in its sender's thread; resolves with what the threads found, in message order. */
  async audit(page: AuditPage): Promise<FindingDraft[]> {
    const parts: number[][] = this.shares.map(() => []);
    if (isStoredPage(page)) {
      for (let i = 0; i < page.count; i++) parts[shareOf(page.senders[i], parts.length)].push(i);
    } else {
      for (let i = 0; i < page.length; i++) parts[shareOf(page[i].sender, parts.length)].push(i);
    }
    const answers = await Promise.all(
      this.shares.map((share, i) => share.next({ type: 'messages', batch: packBatch(page, parts[i]) })),
    );
    const findings = answers.flatMap((answer) => (answer.type === 'findings' ? answer.findings : []));
    // Each thread answers in message order; merged, the findings read as one pass would give them.
    return findings.sort((a, b) => (a.message?.id ?? 0) - (b.message?.id ?? 0));
  }

  /**
   * Audits page after page, keeping PAGES_IN_FLIGHT pages with the threads: a thread that finishes a
   * page finds the next one already waiting, while the one after is read (from the database, say)
   * and sent. With one page ahead only, the threads waited for the main thread, which shares the
   * cores with them, 5–8 % of an audit (docs/performance.md). Yields each page's findings and
   * size, in page order.
   */
  async *auditPages(pages: AsyncIterable<AuditPage> | Iterable<AuditPage>): AsyncGenerator<AuditedPage> {
    const asked: Array<{ findings: Promise<FindingDraft[]>; count: number }> = [];
    for await (const page of pages) {
      const findings = this.audit(page);
      // Awaited in turn below; until then a thread's failure must not count as unhandled.
      findings.catch(() => undefined);
      asked.push({ findings, count: isStoredPage(page) ? page.count : page.length });
      if (asked.length >= PAGES_IN_FLIGHT) {
        const done = asked.shift()!;
        yield { findings: await done.findings, count: done.count };
      }
    }
    for (let done = asked.shift(); done; done = asked.shift())
      yield { findings: await done.findings, count: done.count };
  }

  /**
   * Ends the traffic: hands what each thread gathered across numbers to `pass` (the main thread's,
   * over the same rules, to conclude with its own `finish`) and resolves with the findings the
   * threads concluded per number.
   */
  async finish(pass: AuditPass): Promise<FindingDraft[]> {
    const answers = await Promise.all(this.shares.map((share) => share.next({ type: 'finish' })));
    const findings: FindingDraft[] = [];
    for (const answer of answers) {
      if (answer.type !== 'finished') throw new Error(`an audit thread answered ${answer.type} to finish`);
      findings.push(...answer.findings);
      pass.gather(answer.gathered);
    }
    return findings;
  }

  async close(): Promise<void> {
    await Promise.all(this.shares.map((share) => share.worker.terminate()));
  }
}

/** The thread's side (auditWorker.js): take in the snapshot, then answer batch after batch. */
export function serveAuditShare(port: MessagePort): void {
  let pass: AuditPass | null = null;
  port.on('message', (request: ToThread) => {
    if (request.type === 'snapshot') {
      const snapshot: AuditSnapshot = { ...request.snapshot, index: new AllocationIndex(request.snapshot.index) };
      pass = new AuditPass(
        snapshot,
        request.rules.map((code) => RULES.find((rule) => rule.code === code)!),
      );
      port.postMessage({ type: 'ready' } satisfies FromThread);
    } else if (!pass) {
      throw new Error(`an audit thread was sent ${request.type} before the snapshot`);
    } else if (request.type === 'messages') {
      port.postMessage({ type: 'findings', findings: pass.messages(unpackBatch(request.batch)) } satisfies FromThread);
    } else {
      port.postMessage({ type: 'finished', ...pass.finishShare() } satisfies FromThread);
    }
  });
  port.postMessage({ type: 'loaded' } satisfies FromThread);
}
