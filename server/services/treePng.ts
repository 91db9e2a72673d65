import { existsSync } from 'node:fs';

/** PNG export needs playwright-core (a development dependency) and a Chromium on the server. */
export class PngUnavailable extends Error {}

/** Debian's Chromium, as the browser tests use; CHROMIUM_PATH points elsewhere. */
const chromiumPath = () => process.env.CHROMIUM_PATH || '/usr/bin/chromium';

let queue: Promise<unknown> = Promise.resolve();

/**
 * Rasterises one of our own SVG drawings with the system's Chromium (no new package: the
 * browser tests already drive it through playwright-core). A browser per request costs about
 * half a second but holds no state between requests; requests take turns so that several
 * exports at once cannot start several browsers. JavaScript is off and every network request is
 * refused: the page is the SVG and nothing else.
 */
export function svgToPng(svg: string, width: number, height: number): Promise<Buffer> {
  const run = queue.then(() => rasterise(svg, width, height));
  queue = run.catch(() => undefined);
  return run;
}

async function rasterise(svg: string, width: number, height: number): Promise<Buffer> {
  let chromium: typeof import('playwright-core').chromium;
  try {
    ({ chromium } = await import('playwright-core'));
  } catch (error) {
    throw new PngUnavailable(`playwright-core is not installed (${String(error)})`);
  }
  if (!existsSync(chromiumPath())) throw new PngUnavailable(`no Chromium at ${chromiumPath()}`);
  const browser = await chromium.launch({
    executablePath: chromiumPath(),
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  }).catch((error: unknown) => { throw new PngUnavailable(`Chromium did not start (${String(error)})`); });
  try {
    const context = await browser.newContext({ viewport: { width: width + 16, height: height + 16 }, javaScriptEnabled: false, offline: true });
    const page = await context.newPage();
    await page.route('**/*', (route) => route.abort());
    const body = svg.replace(/^<\?xml[^>]*>\s*/, '');
    await page.setContent(`<!DOCTYPE html><html><head><meta charset="utf-8"></head><body>${body}</body></html>`);
    return await page.locator('svg').first().screenshot({ type: 'png', timeout: 30_000 });
  } finally {
    await browser.close();
  }
}
