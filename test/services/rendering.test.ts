import { expect } from 'chai';
import { loadConfig } from '../../server/config.ts';
import { RenderBusy, Renderer, RenderQueue } from '../../server/services/notices/rendering.ts';

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
});
