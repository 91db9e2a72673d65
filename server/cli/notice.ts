import { t } from '../i18n/index.ts';
import { normaliseUscc } from '../numbering/uscc.ts';
import { cliActor } from '../services/accounts/audit.ts';
import { EVERYTHING } from '../services/accounts/scope.ts';
import { issueNotice, issuersFor, NoticeError } from '../services/notices/notices.ts';
import { EXIT_OK, EXIT_REFUSED, type CommandContext } from './context.ts';

/**
 * docs/cli.md#notice: `notice AGENT_USCC [--issuer CODE] [--deadline YYYY-MM-DD]`; `--json` prints
 * {"number","code","path"}.
 */
export async function run({ args, values, json, locale, io, db }: CommandContext): Promise<number> {
  const dataSource = await db();
  const actor = { name: cliActor(), scope: EVERYTHING, role: 'cli' as const };
  const refuse = (key: string, params: Record<string, string | number> = {}) => {
    io.stderr(`sms106: ${t(locale, key, params)}\n`);
    return EXIT_REFUSED;
  };
  const issuers = await issuersFor(dataSource, actor);
  const codes = issuers.map((i) => i.code).join(t(locale, 'cli.list'));
  // Which issuer is named by --issuer, and what to do without one: the command line says so in its own words.
  if (issuers.length === 0) return refuse('cli.notice.no_issuer');
  let issuerId: number | undefined;
  if (values.issuer !== undefined) {
    const issuer = issuers.find((i) => i.code === values.issuer);
    if (!issuer) return refuse('cli.notice.unknown_issuer', { code: values.issuer, codes });
    issuerId = issuer.id;
  } else if (issuers.length > 1) return refuse('cli.notice.choose_issuer', { codes });
  let notice;
  try {
    notice = await issueNotice(
      dataSource,
      { agentUscc: normaliseUscc(args[0]), issuerId, deadline: values.deadline },
      actor,
    );
  } catch (error) {
    if (!(error instanceof NoticeError)) throw error;
    return refuse(error.code, error.params);
  }
  const path = `/notices/${notice.id}/print`;
  io.stdout(
    json
      ? `${JSON.stringify({ number: notice.documentNumber, code: notice.verificationCode, path })}\n`
      : [
          t(locale, 'cli.notice.issued', { number: notice.documentNumber, agent: notice.agentName }),
          t(locale, 'cli.notice.code', { code: notice.verificationCode }),
          t(locale, 'cli.notice.path', { path }),
        ]
          .map((line) => `${line}\n`)
          .join(''),
  );
  return EXIT_OK;
}
