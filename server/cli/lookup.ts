import { openPlainStore } from '../db/plainStore.ts';
import { t } from '../i18n/index.ts';
import { formatShanghai } from '../numbering/time.ts';
import {
  LookupInputError,
  lookupJson,
  lookupOnce,
  readLookupInput,
  type LookupResult,
} from '../services/lookup/chainOnce.ts';
import { EXIT_OK, EXIT_REFUSED, type CommandContext } from './context.ts';

/**
 * docs/cli.md#lookup: `lookup NUMBER [--at TIME]`. Only the rows of the number's chain are read,
 * with the database driver alone when the store's schema is current (no TypeORM to load:
 * docs/cli.md#starting-quickly), else through the store opened the usual way, which brings the
 * schema up to date first.
 */
export async function run({ args, values, json, locale, io, db, databaseUrl }: CommandContext): Promise<number> {
  let input;
  try {
    input = readLookupInput(args[0], values.at);
  } catch (error) {
    if (!(error instanceof LookupInputError)) throw error;
    io.stderr(
      `sms106: ${t(locale, `lookup.${error.field}.invalid`, { reason: t(locale, `issue.${error.code}`) })}: ${error.value}\n`,
    );
    return EXIT_REFUSED;
  }
  const { number, at } = input;
  let result: LookupResult;
  const store = await openPlainStore(databaseUrl);
  if (store) {
    try {
      result = await lookupOnce(store.query, number, at);
    } finally {
      await store.close();
    }
  } else {
    const dataSource = await db();
    result = await lookupOnce((sql, parameters) => dataSource.manager.query(sql, parameters), number, at);
  }
  if (json) {
    io.stdout(`${JSON.stringify(lookupJson(result, formatShanghai))}\n`);
    return EXIT_OK;
  }
  const when = formatShanghai(result.at);
  if (!result.chain) {
    io.stdout(`${t(locale, 'cli.lookup.none', { number: result.number, when })}\n`);
    return EXIT_OK;
  }
  const lines = result.chain.links.map((link) => {
    const lessee = `${t(locale, `kind.${link.lessee.kind}`)} ${link.lessee.name} (${link.lessee.key})`;
    const level = t(locale, 'cli.lookup.level', { level: link.level });
    return `  ${link.prefix}  ${link.holder.name} → ${lessee}  [${level}]`;
  });
  const entity = result.chain.entity;
  const registered = entity
    ? t(locale, 'cli.lookup.registered', { name: entity.name, uscc: entity.key })
    : t(locale, 'cli.lookup.unregistered');
  io.stdout(`${result.number} @ ${when}\n${lines.join('\n')}\n${registered}\n`);
  return EXIT_OK;
}
