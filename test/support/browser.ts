import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import type { Express } from 'express';
import { launchPdfBrowser } from '../../server/services/pdf.ts';

/** Debian's Chromium through playwright-core, as the server uses it for PDFs. */
export const launchChromium = launchPdfBrowser;

/** Serves the app on a free loopback port. */
export async function listen(app: Express): Promise<{ server: Server; baseUrl: string }> {
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  return { server, baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}
