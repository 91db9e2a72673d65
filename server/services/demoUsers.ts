import type { DataSource } from 'typeorm';
import { Carrier, User } from '../entities/index.ts';
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
    await createUser(dataSource, { name: user.name, role: user.role, carrierCode: user.carrierCode, password: null }, actor);
    created.push(user.name);
  }
  return created;
}
