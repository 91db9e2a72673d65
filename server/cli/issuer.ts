import { Carrier } from '../entities/index.ts';
import { t, type Locale } from '../i18n/index.ts';
import { cliActor } from '../services/accounts/audit.ts';
import { checkIssuer, type IssuerColumn } from '../services/import/issuers.ts';
import { createReference, listReference, ReferenceError } from '../services/reference/referenceData.ts';
import { EXIT_OK, EXIT_REFUSED, type CommandContext } from './context.ts';

/** The flag that gives each column of issuers.csv. */
const FLAGS: Record<IssuerColumn, string> = {
  code: 'CODE',
  name: '--name',
  carrier: '--carrier',
  signatory: '--signatory',
  copy_to: '--copy-to',
  printed_by: '--printed-by',
};

/**
 * docs/cli.md#issuer: `issuer add CODE --name … --signatory … --printed-by … [--carrier CODE]
 * [--copy-to …]` adds an issuer of notices (audited as an administrator's addition is), checked
 * as issuers.csv is; `issuer list` prints them.
 */
export async function run(context: CommandContext): Promise<number> {
  return context.args[0] === 'list' ? list(context) : add(context);
}

async function add({ args, values, json, locale, io, db }: CommandContext): Promise<number> {
  const dataSource = await db();
  const carriers = new Map(
    (await dataSource.getRepository(Carrier).find({ select: { id: true, code: true } })).map((c) => [c.code, c.id]),
  );
  const cells: Record<IssuerColumn, string> = {
    code: args[1].trim(),
    name: (values.name ?? '').trim(),
    carrier: (values.carrier ?? '').trim(),
    signatory: (values.signatory ?? '').trim(),
    copy_to: (values['copy-to'] ?? '').trim(),
    printed_by: (values['printed-by'] ?? '').trim(),
  };
  const checked = checkIssuer(cells, (code) => carriers.has(code));
  if (!checked.fields) {
    for (const problem of checked.problems) {
      const value = problem.value === null ? '' : ` "${problem.value}"`;
      const reason = t(locale, `issue.${problem.code}`, problem.params);
      io.stderr(`sms106: ${FLAGS[problem.column]}${value}: ${reason}\n`);
    }
    return EXIT_REFUSED;
  }
  const { fields } = checked;
  try {
    await createReference(
      dataSource,
      'issuers',
      {
        code: fields.code,
        name: fields.name,
        carrierId: fields.carrier === null ? null : carriers.get(fields.carrier)!,
        signatory: fields.signatory,
        copyTo: fields.copyTo,
        printedBy: fields.printedBy,
      },
      cliActor(),
    );
  } catch (error) {
    if (!(error instanceof ReferenceError)) throw error;
    io.stderr(`sms106: ${t(locale, error.code, error.params)}\n`);
    return EXIT_REFUSED;
  }
  io.stdout(
    json
      ? `${JSON.stringify(asJson(fields))}\n`
      : `${t(locale, 'cli.issuer.added', { code: fields.code, name: fields.name })}\n`,
  );
  return EXIT_OK;
}

async function list({ json, locale, io, db }: CommandContext): Promise<number> {
  const dataSource = await db();
  const codes = new Map((await dataSource.getRepository(Carrier).find()).map((c) => [c.id, c.code]));
  const issuers = (await listReference(dataSource, 'issuers')).map((issuer) => ({
    ...issuer,
    carrier: issuer.carrierId === null ? null : codes.get(issuer.carrierId)!,
  }));
  if (json) {
    io.stdout(issuers.map((issuer) => `${JSON.stringify(asJson(issuer))}\n`).join(''));
    return EXIT_OK;
  }
  if (issuers.length === 0) {
    io.stdout(`${t(locale, 'cli.issuer.none')}\n`);
    return EXIT_OK;
  }
  io.stdout(issuers.map((issuer) => `${describe(issuer, locale)}\n`).join(''));
  return EXIT_OK;
}

/** An issuer as `--json` prints it: the columns of issuers.csv. */
function asJson(issuer: {
  code: string;
  name: string;
  carrier: string | null;
  signatory: string;
  copyTo: string | null;
  printedBy: string;
}) {
  return {
    code: issuer.code,
    name: issuer.name,
    carrier: issuer.carrier,
    signatory: issuer.signatory,
    copy_to: issuer.copyTo,
    printed_by: issuer.printedBy,
  };
}

function describe(
  issuer: { code: string; name: string; carrier: string | null; signatory: string; printedBy: string },
  locale: Locale,
): string {
  const office =
    issuer.carrier === null
      ? t(locale, 'cli.issuer.regulator_office')
      : t(locale, 'cli.issuer.of_carrier', { carrier: issuer.carrier });
  const { code, name, signatory, printedBy } = issuer;
  return t(locale, 'cli.issuer.line', { code, name, signatory, printedBy, office });
}
