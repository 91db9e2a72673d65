import { expect } from 'chai';
import { UserSession } from '../../server/entities/index.ts';
import { createUser, endSession, findSession, startSession } from '../../server/services/accounts/accounts.ts';
import { describeEachDatabase } from '../support/databases.ts';

describeEachDatabase('sessions as requests find them', (ctx) => {
  /** Counts the session reads findSession makes (one query builder each) while `run` runs. */
  async function countingReads<T>(run: () => Promise<T>): Promise<{ result: T; reads: number }> {
    const sessions = ctx.dataSource.getRepository(UserSession);
    const original = sessions.createQueryBuilder;
    let reads = 0;
    sessions.createQueryBuilder = function (this: typeof sessions, ...args: Parameters<typeof original>) {
      reads++;
      return original.apply(this, args);
    } as typeof original;
    try {
      return { result: await run(), reads };
    } finally {
      sessions.createQueryBuilder = original;
    }
  }

  it('a hundred requests that find a session not yet read wait for one read of it', async () => {
    const user = await createUser(ctx.dataSource, { name: 'many', role: 'admin', password: null }, 'test');
    const { token } = await startSession(ctx.dataSource, user.id);
    const { result, reads } = await countingReads(() =>
      Promise.all(Array.from({ length: 100 }, () => findSession(ctx.dataSource, token))),
    );
    expect(reads).to.equal(1);
    expect(new Set(result.map((session) => session?.principal.name))).to.deep.equal(new Set(['many']));
  });

  it('a session ended while a request was reading it is not kept: the next request finds none', async () => {
    const user = await createUser(ctx.dataSource, { name: 'leaving', role: 'admin', password: null }, 'test');
    const { token } = await startSession(ctx.dataSource, user.id);
    const reading = findSession(ctx.dataSource, token);
    await endSession(ctx.dataSource, token);
    await reading;
    expect(await findSession(ctx.dataSource, token)).to.equal(null);
  });
});
