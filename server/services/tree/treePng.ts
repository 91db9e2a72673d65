import { config } from '../../config.ts';
import { chromiumPath } from '../notices/pdf.ts';
import { RenderUnavailable, type Renderer } from '../notices/rendering.ts';
import { UserError } from '../../errors.ts';

/** PNG export needs a Chromium on the server (services/notices/pdf.ts finds it). */
export class PngUnavailable extends UserError {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super(503, 'tree.png_unavailable', {}, { message, cause: options.cause });
  }
}

/**
 * Rasterises one of our own SVG drawings in the shared Chromium, through the same queue as notice
 * PDFs (services/notices/rendering.ts), so several exports at once cannot start several browsers or
 * overload the machine. JavaScript is off and every network request is refused: the page is the
 * SVG and nothing else.
 */
export async function svgToPng(renderer: Renderer, svg: string, width: number, height: number): Promise<Buffer> {
  if (chromiumPath() === null) throw new PngUnavailable(`no Chromium at ${config().chromiumPath}`);
  try {
    return await renderer.page(
      { viewport: { width: width + 16, height: height + 16 }, javaScriptEnabled: false, offline: true },
      async (page) => {
        await page.route('**/*', (route) => route.abort());
        const body = svg.replace(/^<\?xml[^>]*>\s*/, '');
        await page.setContent(`<!DOCTYPE html><html><head><meta charset="utf-8"></head><body>${body}</body></html>`);
        return page.locator('svg').first().screenshot({ type: 'png', timeout: 30_000 });
      },
    );
  } catch (error) {
    if (error instanceof RenderUnavailable) throw new PngUnavailable(error.message, { cause: error });
    throw error;
  }
}
