import { existsSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { config } from '../../config.ts';

/** Debian's Chromium, or CHROMIUM_PATH; null when there is none (playwright-core never downloads a browser). */
export function chromiumPath(): string | null {
  const candidate = config().chromiumPath;
  return existsSync(candidate) ? candidate : null;
}

/**
 * A headless Chromium for rendering notices to PDF (and for the browser tests). playwright-core
 * is loaded on the first call: it adds some 85 MB to a process, which a server that never prints
 * should not carry.
 */
export async function launchPdfBrowser(): Promise<Browser> {
  const executablePath = chromiumPath();
  if (!executablePath) {
    throw new Error(
      `Chromium not found at ${config().chromiumPath}: install it with "apt-get install -y chromium" (bash .ci/run does) or set CHROMIUM_PATH`,
    );
  }
  const { chromium } = await import('playwright-core');
  return chromium.launch({
    executablePath,
    args: [
      '--lang=zh-CN',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}
