import { t } from '../i18n/index.ts';
import { formatShanghai } from '../numbering/time.ts';
import { LookupInputError, lookupJson, lookupNumber } from '../services/lookup/lookup.ts';
import { EXIT_OK, EXIT_REFUSED, type CommandContext } from './context.ts';

/** docs/cli.md#lookup: `lookup NUMBER [--at TIME]`. */
export async function run({ args, values, json, locale, io, db }: CommandContext): Promise<number> {
  let result;
  try {
    result = await lookupNumber(await db(), args[0], values.at, undefined, { once: true });
  } catch (error) {
    if (!(error instanceof LookupInputError)) throw error;
    io.stderr(
      `sms106: ${t(locale, `lookup.${error.field}.invalid`, { reason: t(locale, `issue.${error.code}`) })}: ${error.value}\n`,
    );
    return EXIT_REFUSED;
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
