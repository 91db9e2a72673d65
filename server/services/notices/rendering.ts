import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import { UserError } from '../../errors.ts';
import { config } from '../../config.ts';
import { logger } from '../../log.ts';
import { chromiumPath, launchPdfBrowser } from './pdf.ts';

/**
 * How many renders run at once, and how many may wait for a turn; beyond that a request is turned
 * away (RENDER_CONCURRENCY and RENDER_QUEUE, server/config.ts).
 */
export interface RenderLimits {
  concurrency: number;
  maxWaiting: number;
}

/** A render takes about a second; by then a full queue has moved on. */
export const RETRY_AFTER_SECONDS = 5;

/** Every slot is taken and the waiting line is full: come back later (HTTP 503 with Retry-After). */
export class RenderBusy extends UserError {
  readonly retryAfterSeconds = RETRY_AFTER_SECONDS;

  constructor() {
    super(
      503,
      'error.render_busy',
      { seconds: RETRY_AFTER_SECONDS },
      {
        headers: { 'Retry-After': String(RETRY_AFTER_SECONDS) },
        message: 'every render slot is taken and the waiting line is full',
      },
    );
  }
}

/** There is no Chromium to render with, or it would not start. */
export class RenderUnavailable extends Error {}

/** At most `concurrency` jobs at once, at most `maxWaiting` waiting in order; any further job is refused. */
export class RenderQueue {
  running = 0;
  /** The most jobs ever running at once: instrumentation, so a test can hold the limit to account. */
  peakRunning = 0;
  rejected = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(readonly limits: RenderLimits) {}

  get waitingCount(): number {
    return this.waiting.length;
  }

  async run<T>(job: () => Promise<T>): Promise<T> {
    if (this.running < this.limits.concurrency) this.running++;
    else if (this.waiting.length < this.limits.maxWaiting)
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    else {
      this.rejected++;
      throw new RenderBusy();
    }
    this.peakRunning = Math.max(this.peakRunning, this.running);
    try {
      return await job();
    } finally {
      // The slot goes straight to the longest waiting job, so a newcomer cannot jump the line.
      const next = this.waiting.shift();
      if (next) next();
      else this.running--;
    }
  }
}

/** How many renders a kept page does before it is closed and a new one made (docs/performance.md). */
export const PAGE_RENDERS = 100;

/** How long what a warm-up rendered ahead is kept for the render that asks for it. */
export const AHEAD_MS = 5 * 60_000;

/** A page kept open between renders, in a browser context of its own. */
interface KeptPage {
  page: Page;
  key: string;
  renders: number;
}

/**
 * Notice PDFs and tree PNGs render in one Chromium, started on the first render (or when a notice
 * is shown, `warm`) and kept for the next (a start costs about half a second and some 100 MB
 * each time), started again if it died, and closed when the server stops. All renders go through
 * one queue.
 *
 * A render asks for a page made with some context options. By default it gets a fresh browser
 * context and page, closed after it, so nothing carries over from one render to the next. A
 * render that says `reuse` (one that replaces the whole document with setContent and leaves no
 * other state, as a notice's PDF) gets a page kept from an earlier render with the same options
 * when there is one: making a page starts a renderer process, about a quarter of a warm PDF's
 * time. At most `concurrency` pages are kept; a page is closed after PAGE_RENDERS renders, after
 * a render that failed, and with its browser.
 */
export class Renderer {
  readonly queue: RenderQueue;
  private browser: Promise<Browser> | null = null;
  private kept: KeptPage[] = [];
  /** Pages made so far (instrumentation: a test can tell a kept page from a new one). */
  pagesMade = 0;
  private warming: Promise<void> | null = null;
  /** What the latest warm-up rendered, under the key its caller gave (`warm`). */
  private ahead: { key: string; result: Promise<unknown>; at: number } | null = null;

  constructor(limits: RenderLimits) {
    this.queue = new RenderQueue(limits);
  }

  /**
   * Runs `job` on a page when its turn comes; RenderBusy when the queue is full. The first render
   * given the `key` a warm-up rendered ahead under gets that result instead, once the warm-up is
   * done.
   */
  async page<T>(
    options: BrowserContextOptions,
    job: (page: Page) => Promise<T>,
    { reuse = false, key }: { reuse?: boolean; key?: string } = {},
  ): Promise<T> {
    if (key !== undefined) {
      await this.warming;
      const ahead = this.ahead;
      if (ahead?.key === key && Date.now() - ahead.at < AHEAD_MS) {
        // Used once: a later render of the same document renders it again.
        this.ahead = null;
        const result = await ahead.result.then(
          (value) => ({ value: value as T }),
          () => null,
        );
        // A warm-up that failed is the render's to do again, and to report if it fails too.
        if (result) return result.value;
      }
    }
    return this.queue.run(async () => {
      const key = JSON.stringify(options);
      // A page being made ahead of this render is the one it should use.
      if (reuse) await this.warming;
      const kept = reuse ? this.take(key) : null;
      const current = kept ?? { page: await this.newPage(options), key, renders: 0 };
      let finished = false;
      try {
        const result = await job(current.page);
        finished = true;
        return result;
      } finally {
        current.renders++;
        // A page whose render failed may be in any state: it is not kept.
        const keepIt = reuse && finished && current.renders < PAGE_RENDERS;
        if (!keepIt || !this.keep(current)) await this.discard(current);
      }
    });
  }

  /**
   * Starts the browser, and a page for a render with `options` to reuse, unless they are there
   * already: called when a notice is shown, so that the PDF one click away need not wait for
   * Chromium to start. On a page it makes, it runs the job `ahead` gives (a first render also
   * loads the fonts) and keeps the result for AHEAD_MS, for the first render that asks with the
   * key `ahead` gives with it (`page`). Resolves when done; a failure is the next render's to report
   * (it tries again), so it is only logged.
   */
  warm(
    options: BrowserContextOptions = {},
    ahead?: () => Promise<{ key: string; job: (page: Page) => Promise<unknown> }>,
  ): Promise<void> {
    if (chromiumPath() === null) return Promise.resolve();
    this.warming ??= (async () => {
      try {
        const key = JSON.stringify(options);
        const browser = await this.running();
        if (this.kept.some((k) => k.key === key)) return;
        const made: KeptPage = { page: await this.newPage(options, browser), key, renders: 0 };
        if (ahead) {
          try {
            const { key, job } = await ahead();
            const result = job(made.page);
            this.ahead = { key, result, at: Date.now() };
            await result;
          } catch (error) {
            await this.discard(made);
            throw error;
          }
        }
        if (!this.keep(made)) await this.discard(made);
      } catch (error) {
        logger().warn({ err: error }, 'starting Chromium ahead of a render failed; the render will try again');
      } finally {
        this.warming = null;
      }
    })();
    return this.warming;
  }

  /** A kept page made with `key`'s options whose browser still runs, taken out of the kept ones. */
  private take(key: string): KeptPage | null {
    for (;;) {
      const index = this.kept.findIndex((k) => k.key === key);
      if (index < 0) return null;
      const [found] = this.kept.splice(index, 1);
      if (!found.page.isClosed() && found.page.context().browser()?.isConnected()) return found;
    }
  }

  /** Keeps `page` for a later render if there is room and its browser is the running one. */
  private keep(kept: KeptPage): boolean {
    if (this.browser === null || kept.page.isClosed() || !kept.page.context().browser()?.isConnected()) return false;
    if (this.kept.length >= this.queue.limits.concurrency) return false;
    this.kept.push(kept);
    return true;
  }

  private async discard(kept: KeptPage): Promise<void> {
    // A browser that died took its contexts with it.
    if (kept.page.context().browser()?.isConnected()) await kept.page.context().close();
  }

  private async newPage(options: BrowserContextOptions, running?: Browser): Promise<Page> {
    const browser = running ?? (await this.running());
    const context = await browser.newContext(options);
    try {
      const page = await context.newPage();
      this.pagesMade++;
      return page;
    } catch (error) {
      if (browser.isConnected()) await context.close();
      throw error;
    }
  }

  /** The shared browser; one launch at a time however many renders ask for it. */
  private async running(): Promise<Browser> {
    const current = this.browser;
    if (current) {
      const browser = await current;
      if (browser.isConnected()) return browser;
      if (this.browser === current) {
        this.browser = null;
        this.kept = [];
      }
      return this.running();
    }
    const launching = launch();
    this.browser = launching;
    launching.catch(() => {
      // The render that asked gets the error; the next one tries again.
      if (this.browser === launching) this.browser = null;
    });
    return launching;
  }

  async close(): Promise<void> {
    const current = this.browser;
    this.browser = null;
    this.kept = [];
    await this.warming;
    this.ahead = null;
    // A launch that failed left nothing to close (and its error went to the render that asked).
    const browser = current ? await current.catch(() => null) : null;
    if (browser?.isConnected()) await browser.close();
  }
}

async function launch(): Promise<Browser> {
  if (chromiumPath() === null) throw new RenderUnavailable(`no Chromium at ${config().chromiumPath}`);
  try {
    return await launchPdfBrowser();
  } catch (error) {
    throw new RenderUnavailable(`Chromium did not start (${String(error)})`, { cause: error });
  }
}

let shared: Renderer | null = null;

/** The process's renderer: one Chromium and one queue for every app in it, with the first app's limits. */
export function sharedRenderer(limits: RenderLimits): Renderer {
  shared ??= new Renderer(limits);
  return shared;
}

/** Closes the shared renderer's browser, if it ever started one (server shutdown, end of the tests). */
export async function closeSharedRenderer(): Promise<void> {
  await shared?.close();
}
