import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import { UserError } from '../../errors.ts';
import { config } from '../../config.ts';
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

/**
 * Notice PDFs and tree PNGs render in one Chromium, started on the first render and kept for the
 * next (a start costs about half a second and some 100 MB each time), started again if it died,
 * and closed when the server stops. Each render gets a browser context of its own, so nothing
 * carries over from one to the next; all of them go through one queue.
 */
export class Renderer {
  readonly queue: RenderQueue;
  private browser: Promise<Browser> | null = null;

  constructor(limits: RenderLimits) {
    this.queue = new RenderQueue(limits);
  }

  /** Runs `job` on a fresh page when its turn comes; RenderBusy when the queue is full. */
  page<T>(options: BrowserContextOptions, job: (page: Page) => Promise<T>): Promise<T> {
    return this.queue.run(async () => {
      const browser = await this.running();
      const context = await browser.newContext(options);
      try {
        return await job(await context.newPage());
      } finally {
        // A browser that died took its contexts with it.
        if (browser.isConnected()) await context.close();
      }
    });
  }

  /** The shared browser; one launch at a time however many renders ask for it. */
  private async running(): Promise<Browser> {
    const current = this.browser;
    if (current) {
      const browser = await current;
      if (browser.isConnected()) return browser;
      if (this.browser === current) this.browser = null;
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
