/**
 * What a person waits for when the product is first started and when a notice is printed:
 *
 *   first_start_s   `npm start`'s command (`sms106 serve --demo-if-empty`) on an empty store (a
 *                   new SQLite file) until the sign-in page answers: the demo's import, users and
 *                   audit included.
 *   notice_pdf_s    GET /notices/:id/pdf of the demo's largest notice (every open finding of the
 *                   agent with the most, issued by the regulator office), the server warm: the
 *                   median of the PDFs after the first, with the slowest and the fastest.
 *   notice_pdf_first_s  the first PDF after the server started, asked right after the notice's
 *                   own page (from which the PDF is one click).
 *   notice_print_html_s  the printable page's HTML alone (GET /notices/:id/print), the same
 *                   document without Chromium: the floor the PDF is compared with.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { openDatabase } from '../ormconfig.ts';
import { User } from '../server/entities/index.ts';
import { startSession } from '../server/services/accounts/accounts.ts';
import { EVERYTHING } from '../server/services/accounts/scope.ts';
import { issueNotice } from '../server/services/notices/notices.ts';
import { startServer } from './server.ts';
import { median } from './stats.ts';

const round = (n: number, digits = 0) => Number(n.toFixed(digits));

/** The seconds `path` takes to answer, the answer checked. */
async function timed(url: string, token: string, check: (response: Response, body: Buffer) => void): Promise<number> {
  const started = performance.now();
  const response = await fetch(url, { headers: { cookie: `sid=${token}` } });
  const body = Buffer.from(await response.arrayBuffer());
  const elapsed = (performance.now() - started) / 1000;
  check(response, body);
  return elapsed;
}

const isPdf = (response: Response, body: Buffer) => {
  if (response.status !== 200 || body.subarray(0, 5).toString() !== '%PDF-')
    throw new Error(`the notice's PDF answered ${response.status} with ${body.subarray(0, 200).toString()}`);
};
const isHtml = (response: Response, body: Buffer) => {
  if (response.status !== 200) throw new Error(`the notice's print page answered ${response.status}: ${body}`);
};

export async function measureNotice(trials: number) {
  const directory = await mkdtemp(path.join(os.tmpdir(), 'sms106-bench-demo-'));
  const databaseUrl = `sqlite:${path.join(directory, 'demo.sqlite')}`;
  try {
    const server = await startServer({
      args: ['--demo-if-empty', '--db', databaseUrl],
      env: { LOG_LEVEL: 'silent' },
      readyPath: '/login',
    });
    try {
      const dataSource = await openDatabase(databaseUrl);
      let notice: { id: number };
      let token: string;
      try {
        const [largest] = (await dataSource.query(
          'SELECT agent_uscc AS uscc, COUNT(*) AS findings FROM findings' +
            " WHERE status = 'open' AND agent_uscc IS NOT NULL" +
            ' GROUP BY agent_uscc ORDER BY findings DESC, agent_uscc LIMIT 1',
        )) as Array<{ uscc: string; findings: number }>;
        const [office] = (await dataSource.query(
          'SELECT id FROM issuers WHERE carrier_id IS NULL ORDER BY id LIMIT 1',
        )) as Array<{
          id: number;
        }>;
        if (!largest || !office) throw new Error('the demo store has no finding or no regulator office to issue with');
        notice = await issueNotice(
          dataSource,
          { agentUscc: largest.uscc, issuerId: office.id },
          { name: 'bench', scope: EVERYTHING, role: 'cli' },
        );
        const admin = await dataSource.getRepository(User).findOneByOrFail({ name: 'admin' });
        token = (await startSession(dataSource, admin.id)).token;
      } finally {
        await dataSource.destroy();
      }
      const base = `${server.url}/notices/${notice.id}`;
      await timed(base, token, isHtml);
      const first = await timed(`${base}/pdf`, token, isPdf);
      const pdfs: number[] = [];
      const prints: number[] = [];
      for (let i = 0; i < trials; i++) {
        prints.push(await timed(`${base}/print`, token, isHtml));
        pdfs.push(await timed(`${base}/pdf`, token, isPdf));
      }
      return {
        first_start_s: round(server.startSeconds, 2),
        notice_pdf_s: round(median(pdfs), 3),
        notice_pdf_trials: trials,
        notice_pdf_s_slowest: round(Math.max(...pdfs), 3),
        notice_pdf_s_fastest: round(Math.min(...pdfs), 3),
        notice_pdf_first_s: round(first, 3),
        notice_print_html_s: round(median(prints), 3),
      };
    } finally {
      await server.stop();
    }
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
}
