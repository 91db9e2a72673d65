import { demoDatasetDir } from '../demo.ts';
import { cliActor } from '../services/accounts/audit.ts';
import { createDemoIssuers, createDemoUsers, demoUsersText } from '../services/accounts/demoUsers.ts';
import { EXIT_OK, type CommandContext } from './context.ts';
import { importCommand } from './import.ts';

/** docs/cli.md#seed: the demo dataset, then the demo users and issuers. */
export async function run({ json, locale, io, db }: CommandContext): Promise<number> {
  const code = await importCommand(db, demoDatasetDir, json, locale, io);
  if (code !== EXIT_OK) return code;
  const created = await createDemoUsers(await db(), cliActor());
  await createDemoIssuers(await db());
  // On stderr even with --json (stdout stays the import's JSON): the passwords are shown this once.
  io.stderr(demoUsersText(created, locale));
  return EXIT_OK;
}
