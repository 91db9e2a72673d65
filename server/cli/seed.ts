import { demoDatasetDir } from '../demo.ts';
import { t } from '../i18n/index.ts';
import { cliActor } from '../services/accounts/audit.ts';
import { createDemoIssuers, createDemoUsers } from '../services/accounts/demoUsers.ts';
import { EXIT_OK, type CommandContext } from './context.ts';
import { importCommand } from './import.ts';

/** docs/cli.md#seed: the demo dataset, then the demo users and issuers. */
export async function run({ json, locale, io, db }: CommandContext): Promise<number> {
  const code = await importCommand(db, demoDatasetDir, json, locale, io);
  if (code !== EXIT_OK) return code;
  const created = await createDemoUsers(await db(), cliActor());
  await createDemoIssuers(await db());
  if (!json && created.length) {
    io.stderr(`${t(locale, 'cli.seed.demo_users', { users: created.join(t(locale, 'cli.list')) })}\n`);
  }
  return EXIT_OK;
}
