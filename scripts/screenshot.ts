/**
 * Takes the README's screenshot: the lookup page over the demo dataset, in Debian's Chromium.
 *   npx tsx scripts/screenshot.ts [OUT.png]
 */
import path from 'node:path';
import { openDatabase, projectRoot } from '../ormconfig.ts';
import { createApp } from '../server/app.ts';
import { demoDatasetDir } from '../server/demo.ts';
import { openDataset } from '../server/dataset/readers.ts';
import { createUser } from '../server/services/accounts/accounts.ts';
import { importDataset } from '../server/services/import/importer.ts';
import { launchChromium, listen } from '../test/support/browser.ts';

const out = process.argv[2] ?? path.join(projectRoot, 'docs', 'lookup.png');
const dataSource = await openDatabase('sqlite::memory:');
await importDataset(dataSource, await openDataset(demoDatasetDir));
await createUser(dataSource, { name: 'screenshot', role: 'regulator', password: 'screenshot-password' }, 'system');
const { server, baseUrl } = await listen(createApp(dataSource));
const browser = await launchChromium();
try {
  const page = await browser.newPage({ viewport: { width: 1200, height: 900 }, locale: 'zh-CN' });
  await page.goto(`${baseUrl}/login`);
  await page.getByLabel('用户名').fill('screenshot');
  await page.getByLabel('密码').fill('screenshot-password');
  await page.getByRole('button', { name: '登录' }).click();
  await page.waitForURL(`${baseUrl}/`);
  await page.goto(`${baseUrl}/lookup?number=1069228351067701&at=2022-03-14T09:30`);
  await page.screenshot({ path: out, fullPage: true });
  console.log(`wrote ${out}`);
} finally {
  await browser.close();
  server.close();
  await dataSource.destroy();
}
