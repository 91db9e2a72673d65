import type { Express } from 'express';
import request from 'supertest';
import type { DataSource } from 'typeorm';
import type { Role } from '../../server/entities/User.ts';
import { createUser } from '../../server/services/accounts/accounts.ts';

export const TEST_PASSWORD = 'correct horse battery staple';
let users = 0;

/**
 * A browser-like client signed in through the real login form; its POSTs carry the CSRF token in the header scripts
 * use.
 */
export interface Client {
  name: string;
  csrfToken: string;
  agent: ReturnType<typeof request.agent>;
  get(url: string): request.Test;
  post(url: string): request.Test;
}

export function csrfFromPage(html: string): string {
  const match = /name="_csrf" value="([^"]+)"/.exec(html);
  if (!match) throw new Error('no CSRF token on the page');
  return match[1];
}

/** Creates a user with the given role and signs in as them. */
export async function signIn(
  app: Express,
  dataSource: DataSource,
  options: { role?: Role; carrierCode?: string } = {},
): Promise<Client> {
  const name = `tester${++users}`;
  await createUser(
    dataSource,
    { name, role: options.role ?? 'admin', carrierCode: options.carrierCode ?? null, password: TEST_PASSWORD },
    'test',
  );
  const agent = request.agent(app);
  const form = await agent.get('/login').expect(200);
  await agent
    .post('/login')
    .type('form')
    .send({ _csrf: csrfFromPage(form.text), name, password: TEST_PASSWORD, next: '/' })
    .expect(303);
  const page = await agent.get('/lookup').expect(200);
  const csrfToken = csrfFromPage(page.text);
  return {
    name,
    csrfToken,
    agent,
    get: (url) => agent.get(url),
    post: (url) => agent.post(url).set('X-CSRF-Token', csrfToken),
  };
}

/**
 * Follows the page of an import or audit run (it refreshes itself while the run goes on) until
 * the run has ended; returns that page.
 */
export async function waitForRun(client: Client, location: string): Promise<string> {
  for (let i = 0; i < 600; i++) {
    const page = (await client.get(location).expect(200)).text;
    if (!page.includes('http-equiv="refresh"')) return page;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`the run at ${location} did not finish`);
}

/** Uploads dataset files through the import form and waits for the run to end; returns its page. */
export async function uploadDataset(
  client: Client,
  files: Record<string, string | Buffer>,
): Promise<{ location: string; page: string }> {
  let post = client.post('/imports');
  for (const [name, content] of Object.entries(files)) post = post.attach('files', Buffer.from(content), name);
  const { headers } = await post.expect(303);
  return { location: headers.location, page: await waitForRun(client, headers.location) };
}

/** Starts an audit from the audit page and waits for it to end; returns the run's page. */
export async function auditFromPage(client: Client): Promise<string> {
  const { headers } = await client.post('/audits').expect(303);
  return waitForRun(client, headers.location);
}
