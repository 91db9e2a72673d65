import { In, IsNull, Not, type DataSource } from 'typeorm';
import { AuditEvent, Carrier, Issuer, User } from '../../entities/index.ts';
import { createUser } from './accounts.ts';
import type { Actor } from './audit.ts';
import { readablePassword } from './passwords.ts';
import { t, type Locale } from '../../i18n/index.ts';

/**
 * One user per role for the demo. Each gets a random password when it is created, which the
 * command that created it prints once; `sms106 user passwd NAME` changes it.
 */
export const DEMO_USERS = [
  { name: 'admin', role: 'admin', carrierCode: null },
  { name: 'regulator', role: 'regulator', carrierCode: null },
  { name: 'cmcc', role: 'carrier', carrierCode: 'CMCC' },
] as const;

/** A demo user just created, with the password only its creator ever sees in the clear. */
export interface DemoUser {
  name: string;
  role: string;
  password: string;
}

/**
 * Creates the demo users that do not exist yet, each with a new random password (stored as its
 * hash by the accounts service); returns them with their passwords, for the caller to print once.
 */
export async function createDemoUsers(dataSource: DataSource, actor: Actor): Promise<DemoUser[]> {
  const created: DemoUser[] = [];
  for (const user of DEMO_USERS) {
    if (await dataSource.getRepository(User).existsBy({ name: user.name })) continue;
    if (user.carrierCode && !(await dataSource.getRepository(Carrier).existsBy({ code: user.carrierCode }))) continue;
    const password = readablePassword();
    await createUser(dataSource, { name: user.name, role: user.role, carrierCode: user.carrierCode, password }, actor);
    created.push({ name: user.name, role: user.role, password });
  }
  return created;
}

/**
 * The demo users just created and their passwords, one line each, in the command line's language
 * (`sms106 seed` and the first `npm start` print it once); empty when none was created.
 */
export function demoUsersText(users: DemoUser[], locale: Locale): string {
  if (!users.length) return '';
  const lines = [
    t(locale, 'cli.demo_users.created'),
    ...users.map((user) =>
      t(locale, 'cli.demo_users.user', {
        name: user.name,
        role: t(locale, `role.${user.role}`),
        password: user.password,
      }),
    ),
    t(locale, 'cli.demo_users.change'),
  ];
  return lines.map((line) => `${line}\n`).join('');
}

/**
 * The demo users the sign-in page should point to the console for: those that have a password,
 * while none of them has ever signed in (the audit log holds every sign-in). Empty otherwise, and
 * always once one has signed in, so the hint lasts only for the first minutes of a demo. The page
 * names the accounts, never a password.
 */
export async function demoUsersAwaitingSignIn(dataSource: DataSource): Promise<string[]> {
  const names = DEMO_USERS.map((user) => user.name);
  const users = await dataSource
    .getRepository(User)
    .find({ where: { name: In(names), passwordHash: Not(IsNull()) }, select: { name: true } });
  if (users.length === 0) return [];
  const signedIn = await dataSource
    .getRepository(AuditEvent)
    .existsBy({ action: 'session.signed_in', actor: In(names) });
  if (signedIn) return [];
  return names.filter((name) => users.some((user) => user.name === name));
}

/** Issuers for the demo: each demo carrier's compliance department and one regulator office. */
export const DEMO_ISSUERS = [
  {
    code: '京通管',
    carrierCode: null,
    name: '北京市通信管理局',
    signatory: '北京市通信管理局',
    copyTo: '工业和信息化部信息通信管理局，北京市公安局刑事侦查总队',
    printedBy: '北京市通信管理局办公室',
  },
  {
    code: '移合规',
    carrierCode: 'CMCC',
    name: '中国移动通信集团有限公司',
    signatory: '中国移动通信集团有限公司信息安全管理部',
    copyTo: '北京市通信管理局',
    printedBy: '中国移动通信集团有限公司办公室',
  },
  {
    code: '联合规',
    carrierCode: 'CUCC',
    name: '中国联合网络通信集团有限公司',
    signatory: '中国联合网络通信集团有限公司网络与信息安全部',
    copyTo: '北京市通信管理局',
    printedBy: '中国联合网络通信集团有限公司办公室',
  },
  {
    code: '电合规',
    carrierCode: 'CTCC',
    name: '中国电信集团有限公司',
    signatory: '中国电信集团有限公司网络安全部',
    copyTo: '北京市通信管理局',
    printedBy: '中国电信集团有限公司办公室',
  },
] as const;

/** Creates the demo issuers that do not exist yet (skipping carriers the store lacks); returns their codes. */
export async function createDemoIssuers(dataSource: DataSource): Promise<string[]> {
  const created: string[] = [];
  for (const issuer of DEMO_ISSUERS) {
    if (await dataSource.getRepository(Issuer).existsBy({ code: issuer.code })) continue;
    const carrier = issuer.carrierCode
      ? await dataSource.getRepository(Carrier).findOneBy({ code: issuer.carrierCode })
      : null;
    if (issuer.carrierCode && !carrier) continue;
    const { carrierCode: _unused, ...values } = issuer;
    await dataSource.getRepository(Issuer).save({ ...values, carrierId: carrier?.id ?? null });
    created.push(issuer.code);
  }
  return created;
}
