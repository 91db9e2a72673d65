/**
 * Takes the README's picture of the hierarchy page: the demo dataset, audited so that boxes have
 * findings to be coloured by, at 1366×768 in Debian's Chromium, searching one number.
 *   npx tsx scripts/tree-screenshot.ts [OUT.png] [PATH]
 * PATH is the page to take (the README's by default).
 */
import path from 'node:path';
import { openDatabase, projectRoot } from '../ormconfig.ts';
import { createApp } from '../server/app.ts';
import { demoDatasetDir } from '../server/demo.ts';
import { openDataset } from '../server/dataset/readers.ts';
import { createUser } from '../server/services/accounts/accounts.ts';
import { runAudit } from '../server/services/audit/auditRuns.ts';
import { importDataset } from '../server/services/import/importer.ts';
import { launchChromium, listen } from '../test/support/browser.ts';

const out = process.argv[2] ?? path.join(projectRoot, 'docs', 'tree.png');
// A number reassigned in 2023, four levels down China Unicom's tree.
const address = process.argv[3] ?? '/tree?carrier=CUCC&at=2023-08-01&q=10690051826601';
const dataSource = await openDatabase('sqlite::memory:');
await importDataset(dataSource, await openDataset(demoDatasetDir));
await runAudit(dataSource, { actor: 'screenshot' });
await createUser(dataSource, { name: 'screenshot', role: 'regulator', password: 'screenshot-password' }, 'system');
const { server, baseUrl } = await listen(createApp(dataSource));
const browser = await launchChromium();
try {
  const page = await browser.newPage({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN' });
  await page.goto(`${baseUrl}/login`);
  await page.getByLabel('用户名').fill('screenshot');
  await page.getByLabel('密码').fill('screenshot-password');
  await page.getByRole('button', { name: '登录' }).click();
  await page.waitForURL(`${baseUrl}/`);
  await page.goto(`${baseUrl}${address}`);
  await page.screenshot({ path: out });
  console.log(`wrote ${out}`);
} finally {
  await browser.close();
  server.close();
  await dataSource.destroy();
}
