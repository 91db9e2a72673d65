/**
 * Prints a sample rectification notice from the demo dataset to PDF through the app's own
 * /notices/:id/pdf (Debian's Chromium) and turns page 1 into the README's image:
 *   npx tsx scripts/notice-sample.ts [OUT_DIR]     (needs pdftoppm from poppler-utils)
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { openDatabase, projectRoot } from '../ormconfig.ts';
import { createApp } from '../server/app.ts';
import { demoDatasetDir } from '../server/demo.ts';
import { openDataset } from '../server/dataset/readers.ts';
import { createUser } from '../server/services/accounts/accounts.ts';
import { runAudit } from '../server/services/audit/auditRuns.ts';
import { createDemoIssuers } from '../server/services/accounts/demoUsers.ts';
import { importDataset } from '../server/services/import/importer.ts';
import { issueNotice, issuersFor } from '../server/services/notices/notices.ts';
import { EVERYTHING } from '../server/services/accounts/scope.ts';
import { closeSharedRenderer } from '../server/services/notices/rendering.ts';
import { listen } from '../test/support/browser.ts';

const outDir = process.argv[2] ?? path.join(projectRoot, 'docs');
const dataSource = await openDatabase('sqlite::memory:');
await importDataset(dataSource, await openDataset(demoDatasetDir));
await createDemoIssuers(dataSource);
await runAudit(dataSource, { actor: 'system' });
await createUser(dataSource, { name: 'sample', role: 'regulator', password: 'sample-password' }, 'system');
const actor = { name: 'sample', scope: EVERYTHING, role: 'regulator' as const };
const issuer = (await issuersFor(dataSource, actor))[0];
// 济南鸿信: the fourth-level agent of the traffic-police case.
const notice = await issueNotice(dataSource, { agentUscc: '91370100MA25JG35K6', issuerId: issuer.id }, actor);
const { server, baseUrl } = await listen(createApp(dataSource));
try {
  const login = await fetch(`${baseUrl}/login`);
  const cookie = login.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  const csrf = /name="_csrf" value="([^"]+)"/.exec(await login.text())![1];
  const signedIn = await fetch(`${baseUrl}/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ _csrf: csrf, name: 'sample', password: 'sample-password' }),
  });
  const session = signedIn.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  const pdf = await fetch(`${baseUrl}/notices/${notice.id}/pdf`, { headers: { cookie: session } });
  if (!pdf.ok) throw new Error(`PDF request failed: ${pdf.status}`);
  const pdfPath = path.join(outDir, 'notice-sample.pdf');
  writeFileSync(pdfPath, Buffer.from(await pdf.arrayBuffer()));
  execFileSync('pdftoppm', [
    '-png',
    '-r',
    '80',
    '-f',
    '1',
    '-l',
    '1',
    '-singlefile',
    pdfPath,
    path.join(outDir, 'notice'),
  ]);
  console.log(`wrote ${pdfPath} and ${path.join(outDir, 'notice.png')} (${notice.documentNumber})`);
} finally {
  server.close();
  await closeSharedRenderer();
  await dataSource.destroy();
}
