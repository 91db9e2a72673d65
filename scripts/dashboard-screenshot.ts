/**
 * Takes the README's dashboard screenshot: the demo dataset audited, three notices (one overdue,
 * one due in three days, one not yet due), seen by a regulator at 1366 pixels wide in Debian's
 * Chromium.
 *   npx tsx scripts/dashboard-screenshot.ts [OUT.png]
 */
import path from 'node:path';
import { openDatabase, projectRoot } from '../ormconfig.ts';
import { createApp } from '../server/app.ts';
import { demoDatasetDir } from '../server/demo.ts';
import { openDataset } from '../server/dataset/readers.ts';
import { dateOfDayNumber, dayNumber, shanghaiDate } from '../server/numbering/time.ts';
import { createUser } from '../server/services/accounts/accounts.ts';
import { createDemoIssuers } from '../server/services/accounts/demoUsers.ts';
import { EVERYTHING } from '../server/services/accounts/scope.ts';
import { agentRiskRanking } from '../server/services/audit/findings.ts';
import { runAudit } from '../server/services/audit/auditRuns.ts';
import { runImport } from '../server/services/import/importRuns.ts';
import { issueNotice, issuersFor } from '../server/services/notices/notices.ts';
import { launchChromium, listen } from '../test/support/browser.ts';

const out = process.argv[2] ?? path.join(projectRoot, 'docs', 'dashboard.png');
const dataSource = await openDatabase('sqlite::memory:');
await runImport(dataSource, await openDataset(demoDatasetDir), { source: 'seeds/demo' });
await createDemoIssuers(dataSource);
await runAudit(dataSource, { actor: 'system' });
await createUser(dataSource, { name: 'screenshot', role: 'regulator', password: 'screenshot-password' }, 'system');
const actor = { name: 'screenshot', scope: EVERYTHING, role: 'regulator' as const };
const issuer = (await issuersFor(dataSource, actor))[0];
const today = dayNumber(shanghaiDate(new Date()));
const daysAgo = (days: number) => new Date(Date.now() - days * 86_400_000);
// Notices to three of the ten riskiest agents, issued in the past so that their deadlines fall on the page.
const agents = (await agentRiskRanking(dataSource, EVERYTHING, 10)).map((agent) => agent.uscc);
// [agent, issued so many days ago, deadline so many days from today]
for (const [agentUscc, issued, deadline] of [
  [agents[3], 40, -25],
  [agents[6], 12, 3],
  [agents[9], 2, 20],
] as const)
  await issueNotice(
    dataSource,
    { agentUscc, issuerId: issuer.id, now: daysAgo(issued), deadline: dateOfDayNumber(today + deadline) },
    actor,
  );
const { server, baseUrl } = await listen(createApp(dataSource));
const browser = await launchChromium();
try {
  const page = await browser.newPage({ viewport: { width: 1366, height: 900 }, locale: 'zh-CN' });
  await page.goto(`${baseUrl}/login`);
  await page.getByLabel('用户名').fill('screenshot');
  await page.getByLabel('密码').fill('screenshot-password');
  await page.getByRole('button', { name: '登录' }).click();
  await page.waitForURL(`${baseUrl}/`);
  await page.screenshot({ path: out, fullPage: true });
  console.log(`wrote ${out}`);
} finally {
  await browser.close();
  server.close();
  await dataSource.destroy();
}
