import { execFileSync } from 'node:child_process';
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { loadConfig } from '../../server/config.ts';
import { RenderBusy, Renderer, RenderQueue } from '../../server/services/notices/rendering.ts';

/** The Chromium processes this process started (the browsers' main processes). */
function chromiumChildren(): Set<number> {
  let out = '';
  try {
    out = execFileSync('pgrep', ['-P', String(process.pid), 'chromium'], { encoding: 'utf8' });
  } catch {
    // pgrep exits 1 when nothing matches.
  }
  return new Set(out.split('\n').filter(Boolean).map(Number));
}

/** A promise the test settles by hand. */
function deferred<T = void>() {
  let resolve!: (value: T) => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** Jobs that report when they start and finish when the test says so. */
function heldJobs(count: number) {
  const started = Array.from({ length: count }, () => deferred());
  const release = Array.from({ length: count }, () => deferred<string>());
  const order: number[] = [];
  const job = (i: number) => () => {
    order.push(i);
    started[i].resolve();
    return release[i].promise;
  };
  return { started, release, order, job };
}

describe('render queue', () => {
  it('runs at most `concurrency` jobs at once and starts waiting ones in order as slots free', async () => {
    const queue = new RenderQueue({ concurrency: 2, maxWaiting: 3 });
    const jobs = heldJobs(5);
    const results = jobs.started.map((_, i) => queue.run(jobs.job(i)));
    await Promise.all([jobs.started[0].promise, jobs.started[1].promise]);
    expect(jobs.order).to.deep.equal([0, 1]);
    expect([queue.running, queue.waitingCount]).to.deep.equal([2, 3]);
    jobs.release[1].resolve('one');
    expect(await results[1]).to.equal('one');
    await jobs.started[2].promise;
    expect(jobs.order).to.deep.equal([0, 1, 2]);
    expect([queue.running, queue.waitingCount]).to.deep.equal([2, 2]);
    for (const r of jobs.release) r.resolve('done');
    await Promise.all(results);
    expect(jobs.order).to.deep.equal([0, 1, 2, 3, 4]);
    expect([queue.running, queue.waitingCount, queue.peakRunning, queue.rejected]).to.deep.equal([0, 0, 2, 0]);
  });

  it('refuses a job beyond the waiting bound with RenderBusy, without running it', async () => {
    const queue = new RenderQueue({ concurrency: 1, maxWaiting: 2 });
    const jobs = heldJobs(3);
    const accepted = jobs.started.map((_, i) => queue.run(jobs.job(i)));
    let ran = false;
    const refused = await queue
      .run(async () => {
        ran = true;
      })
      .then(
        () => null,
        (error: unknown) => error,
      );
    expect(refused).to.be.instanceOf(RenderBusy);
    expect((refused as RenderBusy).retryAfterSeconds).to.be.above(0);
    expect([ran, queue.rejected, queue.waitingCount]).to.deep.equal([false, 1, 2]);
    for (const r of jobs.release) r.resolve('done');
    await Promise.all(accepted);
    expect(queue.peakRunning).to.equal(1);
  });

  it('with no waiting allowed, refuses anything while every slot is taken', async () => {
    const queue = new RenderQueue({ concurrency: 1, maxWaiting: 0 });
    const jobs = heldJobs(1);
    const first = queue.run(jobs.job(0));
    await queue
      .run(async () => 'no')
      .then(
        () => expect.fail('a second job ran'),
        (error: unknown) => expect(error).to.be.instanceOf(RenderBusy),
      );
    jobs.release[0].resolve('done');
    expect(await first).to.equal('done');
    expect(await queue.run(async () => 'next')).to.equal('next');
  });

  it('a failing job frees its slot: its caller gets the error and the next job runs', async () => {
    const queue = new RenderQueue({ concurrency: 1, maxWaiting: 2 });
    const jobs = heldJobs(2);
    const failing = queue.run(jobs.job(0));
    const throwsAtOnce = queue.run(() => {
      throw new Error('synchronous failure');
    });
    const after = queue.run(jobs.job(1));
    jobs.release[0].reject(new Error('Chromium crashed'));
    await failing.then(
      () => expect.fail('the failure was lost'),
      (error: Error) => expect(error.message).to.equal('Chromium crashed'),
    );
    await throwsAtOnce.then(
      () => expect.fail('the failure was lost'),
      (error: Error) => expect(error.message).to.equal('synchronous failure'),
    );
    await jobs.started[1].promise;
    jobs.release[1].resolve('ran');
    expect(await after).to.equal('ran');
    expect([queue.running, queue.waitingCount]).to.deep.equal([0, 0]);
  });

  it('reads its limits from RENDER_CONCURRENCY and RENDER_QUEUE and names a bad one', () => {
    expect(loadConfig({}).render).to.deep.equal({ concurrency: 2, maxWaiting: 8 });
    expect(loadConfig({ RENDER_CONCURRENCY: '3', RENDER_QUEUE: '0' }).render).to.deep.equal({
      concurrency: 3,
      maxWaiting: 0,
    });
    expect(() => loadConfig({ RENDER_CONCURRENCY: '0' })).to.throw(
      /RENDER_CONCURRENCY must be a whole number from 1 .*"0"/,
    );
    expect(() => loadConfig({ RENDER_QUEUE: 'many' })).to.throw(/RENDER_QUEUE .*"many"/);
  });
});

describe('renderer (Debian Chromium)', function () {
  this.timeout(60_000);
  const renderer = new Renderer({ concurrency: 2, maxWaiting: 2 });
  after(() => renderer.close());

  it('renders in one shared browser, a fresh context each time, and starts a new one when it died', async () => {
    const first = await renderer.page({}, async (page) => {
      await page.setContent('<p id="x">一</p>');
      return { browser: page.context().browser()!, context: page.context() };
    });
    const second = await renderer.page({}, async (page) => ({
      browser: page.context().browser()!,
      context: page.context(),
      contexts: page.context().browser()!.contexts().length,
    }));
    expect(second.browser).to.equal(first.browser);
    expect(second.context).not.to.equal(first.context);
    expect(second.contexts, "the first render's context was closed").to.equal(1);
    await first.browser.close();
    const third = await renderer.page({}, async (page) => {
      await page.setContent('<p>二</p>');
      return { browser: page.context().browser()!, text: await page.textContent('p') };
    });
    expect(third.text).to.equal('二');
    expect(third.browser).not.to.equal(first.browser);
    expect(third.browser.isConnected()).to.equal(true);
    await renderer.close();
    expect(third.browser.isConnected()).to.equal(false);
  });

  it('hands a reusable render the page the last one kept, and after the browser is killed starts another', async () => {
    const pool = new Renderer({ concurrency: 2, maxWaiting: 2 });
    try {
      const before = chromiumChildren();
      const write = (text: string) => async (page: Page) => {
        await page.setContent(`<p>${text}</p>`);
        return { page, text: await page.textContent('p') };
      };
      const first = await pool.page({}, write('一'), { reuse: true });
      const [pid, ...others] = [...chromiumChildren()].filter((p) => !before.has(p));
      expect(others, 'one browser started').to.deep.equal([]);
      const second = await pool.page({}, write('二'), { reuse: true });
      expect(second.page).to.equal(first.page);
      expect([second.text, pool.pagesMade]).to.deep.equal(['二', 1]);
      // A render that does not say it may reuse gets a page of its own, closed after it.
      const own = await pool.page({}, write('三'));
      expect(own.page).not.to.equal(first.page);
      expect(own.page.isClosed()).to.equal(true);

      const browser = first.page.context().browser()!;
      const gone = new Promise((resolve) => browser.once('disconnected', resolve));
      process.kill(pid, 'SIGKILL');
      await gone;
      const third = await pool.page({}, write('四'), { reuse: true });
      expect(third.text).to.equal('四');
      expect(third.page.context().browser()).not.to.equal(browser);
      expect(third.page.context().browser()!.isConnected()).to.equal(true);

      // A render that failed leaves its page closed: the next one gets a new page.
      const failed = await pool
        .page(
          {},
          async (page) => {
            throw Object.assign(new Error('render failed'), { page });
          },
          { reuse: true },
        )
        .catch((error: Error & { page: Page }) => error.page);
      expect(failed).to.equal(third.page);
      expect(failed.isClosed()).to.equal(true);
      const after = await pool.page({}, write('五'), { reuse: true });
      expect(after.page).not.to.equal(third.page);
    } finally {
      await pool.close();
    }
  });

  it('warms up: starts the browser and a page, renders ahead on it, and hands a render asking the result', async () => {
    const pool = new Renderer({ concurrency: 1, maxWaiting: 2 });
    try {
      let prepared: Page | null = null;
      await pool.warm({}, async () => ({
        key: 'notice 1',
        job: async (page: Page) => {
          prepared = page;
          await page.setContent('<p>预热</p>');
          return 'printed ahead';
        },
      }));
      expect(pool.pagesMade).to.equal(1);
      // Warm already: nothing more is made or rendered.
      await pool.warm({}, async () => expect.fail('a second page was prepared'));
      const notRun = async () => expect.fail('the render ran although its result was ready') as never;
      expect(await pool.page({}, notRun, { reuse: true, key: 'notice 1' })).to.equal('printed ahead');
      // Once: the same document asked again is rendered again.
      expect(await pool.page({}, async () => 'again', { reuse: true, key: 'notice 1' })).to.equal('again');
      // Another key renders, on the page made ahead.
      const used = await pool.page({}, async (page) => ({ page, text: await page.textContent('p') }), {
        reuse: true,
        key: 'notice 2',
      });
      expect(used.page).to.equal(prepared);
      expect(used.text).to.equal('预热');
      expect(pool.pagesMade).to.equal(1);
      await pool.close();
      expect(used.page.context().browser()!.isConnected()).to.equal(false);
    } finally {
      await pool.close();
    }
  });
});
