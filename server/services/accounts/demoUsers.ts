import type { DataSource } from 'typeorm';
import { Carrier, Issuer, User } from '../../entities/index.ts';
import { createUser } from './accounts.ts';
import type { Actor } from './audit.ts';

/** One user per role for the demo, created without a password: `sms106 user passwd NAME` sets one. */
export const DEMO_USERS = [
  { name: 'admin', role: 'admin', carrierCode: null },
  { name: 'regulator', role: 'regulator', carrierCode: null },
  { name: 'cmcc', role: 'carrier', carrierCode: 'CMCC' },
] as const;

/** Creates the demo users that do not exist yet; returns their names. */
export async function createDemoUsers(dataSource: DataSource, actor: Actor): Promise<string[]> {
  const created: string[] = [];
  for (const user of DEMO_USERS) {
    if (await dataSource.getRepository(User).existsBy({ name: user.name })) continue;
    if (user.carrierCode && !(await dataSource.getRepository(Carrier).existsBy({ code: user.carrierCode }))) continue;
    await createUser(
      dataSource,
      { name: user.name, role: user.role, carrierCode: user.carrierCode, password: null },
      actor,
    );
    created.push(user.name);
  }
  return created;
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
