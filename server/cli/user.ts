import { t } from '../i18n/index.ts';
import { AccountError, createUser, setPassword } from '../services/accounts/accounts.ts';
import { cliActor } from '../services/accounts/audit.ts';
import { EXIT_OK, EXIT_REFUSED, type CommandContext } from './context.ts';
import { PasswordInterrupted, PasswordMismatch } from './password.ts';

/** Ctrl-C at the password prompt: the shell's code for a process stopped by SIGINT. */
const EXIT_INTERRUPTED = 130;

/** docs/cli.md#user: `user add NAME --role ROLE [--carrier CODE]`, `user passwd NAME`. */
export async function run({ args, values, locale, io, db }: CommandContext): Promise<number> {
  const [action, name] = args;
  if (!io.readPassword) throw new Error('no way to read a password in this context');
  let password;
  try {
    password = await io.readPassword({
      first: t(locale, 'cli.user.password_prompt', { name }),
      again: t(locale, 'cli.user.password_again', { name }),
    });
  } catch (error) {
    if (error instanceof PasswordInterrupted) return EXIT_INTERRUPTED;
    if (!(error instanceof PasswordMismatch)) throw error;
    io.stderr(`sms106: ${t(locale, 'cli.user.password_mismatch')}\n`);
    return EXIT_REFUSED;
  }
  try {
    if (password === '') throw new AccountError('account.password_missing');
    if (action === 'add')
      await createUser(
        await db(),
        { name, role: values.role!, carrierCode: values.carrier ?? null, password },
        cliActor(),
      );
    else await setPassword(await db(), name, password, cliActor());
  } catch (error) {
    if (!(error instanceof AccountError)) throw error;
    io.stderr(`sms106: ${t(locale, error.code, error.params)}\n`);
    return EXIT_REFUSED;
  }
  io.stdout(`${t(locale, action === 'add' ? 'cli.user.created' : 'cli.user.password_set', { name })}\n`);
  return EXIT_OK;
}
