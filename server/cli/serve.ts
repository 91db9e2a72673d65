import { redactDatabaseUrl } from '../db/databaseUrl.ts';
import { t } from '../i18n/index.ts';
import { EXIT_OK, UsageError, type CommandContext } from './context.ts';

/** docs/cli.md#serve: `serve [--port N] [--demo-if-empty]`; resolves when the server stops. */
export async function run({ values, locale, io, settings, databaseUrl, db }: CommandContext): Promise<number> {
  const port = values.port === undefined ? settings.port : Number(values.port);
  if (!/^\d+$/.test(values.port ?? '0') || !Number.isInteger(port) || port < 0 || port > 65535)
    throw new UsageError(t(locale, 'cli.error.bad_port', { value: String(values.port) }));
  const { serve } = await import('../index.ts');
  const host = settings.host ?? undefined;
  // The first start of `npm start` creates the store and loads the demo: say each step as it begins.
  io.stderr(`${t(locale, 'cli.serve.opening', { url: redactDatabaseUrl(databaseUrl) })}\n`);
  const dataSource = await db({
    migrated: (count) =>
      io.stderr(`${count ? t(locale, 'cli.serve.migrated', { count }) : t(locale, 'cli.serve.schema_current')}\n`),
  });
  await serve(dataSource, {
    port,
    host,
    demoIfEmpty: values['demo-if-empty'] ?? false,
    databaseUrl,
    config: settings,
    log: io.stderr,
    locale,
  });
  return EXIT_OK;
}
