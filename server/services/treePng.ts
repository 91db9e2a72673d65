import { chromiumPath, launchPdfBrowser } from './pdf.ts';

/** PNG export needs a Chromium on the server (services/pdf.ts finds it). */
export class PngUnavailable extends Error {}

let queue: Promise<unknown> = Promise.resolve();

/**
 * Rasterises one of our own SVG drawings with the system's Chromium, launched as for notice
 * PDFs. A browser per request costs about
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
  if (chromiumPath() === null) throw new PngUnavailable(`no Chromium at ${process.env.CHROMIUM_PATH || '/usr/bin/chromium'}`);
  const browser = await launchPdfBrowser().catch((error: unknown) => { throw new PngUnavailable(`Chromium did not start (${String(error)})`); });
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
