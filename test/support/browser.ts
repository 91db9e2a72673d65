import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import type { Express } from 'express';
import type { Browser, Page } from 'playwright-core';
import type { DataSource } from 'typeorm';
import { openDatabase } from '../../ormconfig.ts';
import { createApp } from '../../server/app.ts';
import type { Config } from '../../server/config.ts';
import { openDataset } from '../../server/dataset/readers.ts';
import { importDataset } from '../../server/services/import/importer.ts';
import { launchPdfBrowser } from '../../server/services/notices/pdf.ts';
import { smallDataset, writeDataset } from './fixtures.ts';
import { TEST_PASSWORD } from './session.ts';

/** Debian's Chromium through playwright-core, as the server uses it for PDFs. */
export const launchChromium = launchPdfBrowser;

/** Serves the app on a free loopback port. */
export async function listen(app: Express): Promise<{ server: Server; baseUrl: string }> {
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  return { server, baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

/** What a browser suite works with: the store behind the app, the app's address, Chromium. */
export interface BrowserApp {
  dataSource: DataSource;
  browser: Browser;
  baseUrl: string;
}

/**
 * Declares the hooks of a browser suite: an in-memory store with the small dataset and whatever
 * `seed` adds (users, an audit, issuers), the app on a loopback port (with `config`'s settings
 * when given), and Debian's Chromium.
 */
export function useBrowserApp(seed: (dataSource: DataSource) => Promise<void>, config?: Config): BrowserApp {
  const context = {} as BrowserApp;
  let server: Server | undefined;
  before(async () => {
    context.dataSource = await openDatabase('sqlite::memory:');
    await importDataset(context.dataSource, await openDataset(await writeDataset(smallDataset())));
    await seed(context.dataSource);
    let baseUrl: string;
    ({ server, baseUrl } = await listen(createApp(context.dataSource, config ? { config } : {})));
    context.baseUrl = baseUrl;
    context.browser = await launchChromium();
  });
  after(async () => {
    await context.browser?.close();
    server?.close();
    await context.dataSource?.destroy();
  });
  return context;
}

/** Signs in through the login form the page is showing. */
export async function fillSignIn(page: Page, name: string): Promise<void> {
  await page.getByLabel('用户名').fill(name);
  await page.getByLabel('密码').fill(TEST_PASSWORD);
  await page.getByRole('button', { name: '登录' }).click();
}
