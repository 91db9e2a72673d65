import { t } from '../i18n/index.ts';
import { render } from '../i18n/phrase.ts';
import { cliActor } from '../services/accounts/audit.ts';
import { runAudit } from '../services/audit/auditRuns.ts';
import { EXIT_OK, type CommandContext } from './context.ts';

/** docs/cli.md#audit: `audit --json` prints one object per finding, one per line. */
export async function run({ json, locale, io, db }: CommandContext): Promise<number> {
  const outcome = await runAudit(await db(), { actor: cliActor() });
  if (json) {
    for (const f of outcome.findings) {
      io.stdout(
        `${JSON.stringify({
          rule: f.rule,
          severity: f.severity,
          agent: f.agent,
          prefix: f.prefix,
          number: f.number,
          message: f.message?.ref ?? null,
          complaint: f.complaint?.ref ?? null,
          entity: f.entity,
          detail: render(locale, f.text),
        })}\n`,
      );
    }
    return EXIT_OK;
  }
  const counts = new Map<string, number>();
  for (const f of outcome.findings)
    counts.set(`${f.rule}|${f.severity}`, (counts.get(`${f.rule}|${f.severity}`) ?? 0) + 1);
  const lines = [...counts].sort().map(([key, n]) => {
    const [rule, severity] = key.split('|');
    return `  ${t(locale, `rule.${rule}`)} (${rule}) · ${t(locale, `severity.${severity}`)}: ${n}`;
  });
  const { runId: run, findings, newFindings: fresh } = outcome;
  const summary = t(locale, 'cli.audit.summary', { run, count: findings.length, fresh });
  io.stdout(`${summary}\n${lines.join('\n')}\n`);
  return EXIT_OK;
}
