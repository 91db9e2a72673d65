import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

/** Debian's Chromium, or CHROMIUM_PATH; null when there is none (playwright-core never downloads a browser). */
export function chromiumPath(): string | null {
  const candidate = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
  return existsSync(candidate) ? candidate : null;
}

/** A headless Chromium for rendering notices to PDF (and for the browser tests). */
export async function launchPdfBrowser(): Promise<Browser> {
  const executablePath = chromiumPath();
  if (!executablePath) {
    throw new Error(`Chromium not found at ${process.env.CHROMIUM_PATH || '/usr/bin/chromium'}: install it with "apt-get install -y chromium" (bash .ci/run does) or set CHROMIUM_PATH`);
  }
  return chromium.launch({
    executablePath,
    args: ['--lang=zh-CN', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}
