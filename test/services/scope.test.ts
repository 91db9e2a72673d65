import { expect } from 'chai';
import request from 'supertest';
import { createApp } from '../../server/app.ts';
import { openDataset } from '../../server/dataset/readers.ts';
import { User } from '../../server/entities/index.ts';
import { AccountError, createUser, updateUser } from '../../server/services/accounts/accounts.ts';
import { importDataset } from '../../server/services/import/importer.ts';
import { CarrierlessUserError, scopeOf } from '../../server/services/accounts/scope.ts';
import { describeEachDatabase } from '../support/databases.ts';
import { smallDataset, writeDataset } from '../support/fixtures.ts';
import { csrfFromPage, signIn, TEST_PASSWORD } from '../support/session.ts';

describe('scopeOf', () => {
  it('confines a carrier user to its carrier and leaves other roles unconfined', () => {
    expect(scopeOf({ userId: 1, name: 'c', role: 'carrier', carrierId: 7, carrierCode: 'CUCC' })).to.deep.equal({
      carrierId: 7,
    });
    expect(scopeOf({ userId: 2, name: 'r', role: 'regulator', carrierId: null, carrierCode: null })).to.deep.equal({
      carrierId: null,
    });
    expect(scopeOf(null)).to.deep.equal({ carrierId: null });
  });

  it('throws, naming the user, for a carrier user bound to no carrier instead of inventing a scope', () => {
    const principal = { userId: 3, name: '无主运营商', role: 'carrier' as const, carrierId: null, carrierCode: null };
    expect(() => scopeOf(principal)).to.throw(CarrierlessUserError, '"无主运营商" is bound to no carrier');
  });
});

describeEachDatabase('a carrier user without a carrier', (ctx) => {
  beforeEach(async () => {
    await importDataset(ctx.dataSource, await openDataset(await writeDataset(smallDataset())));
  });

  const refusal = async (work: Promise<unknown>) => {
    try {
      await work;
    } catch (error) {
      if (error instanceof AccountError) return error.messageKey;
      throw error;
    }
    return 'accepted';
  };

  it("cannot be created or made by changing a user's role", async () => {
    expect(
      await refusal(
        createUser(ctx.dataSource, { name: 'c1', role: 'carrier', carrierCode: null, password: null }, 'test'),
      ),
    ).to.equal('account.carrier_required');
    const regulator = await createUser(ctx.dataSource, { name: 'r1', role: 'regulator', password: null }, 'test');
    const change = { role: 'carrier', carrierCode: null, disabled: false };
    expect(
      await refusal(updateUser(ctx.dataSource, regulator.id, regulator.version, change, { userId: 0, name: 'test' })),
    ).to.equal('account.carrier_required');
    expect(await ctx.dataSource.getRepository(User).countBy({ role: 'carrier' })).to.equal(0);
  });

  it("left behind in the store, gets an error page rather than any carrier's data", async () => {
    const app = createApp(ctx.dataSource);
    const { name } = await signIn(app, ctx.dataSource, { role: 'carrier', carrierCode: 'CUCC' });
    await ctx.dataSource.getRepository(User).update({ name }, { carrierId: null });
    // A fresh sign-in, so the session reads the user as it is now stored.
    const agent = request.agent(app);
    const form = await agent.get('/login').expect(200);
    await agent
      .post('/login')
      .type('form')
      .send({ _csrf: csrfFromPage(form.text), name, password: TEST_PASSWORD, next: '/' })
      .expect(303);
    for (const path of ['/findings', '/notices', '/agents', '/imports']) {
      const page = await agent.get(path).expect(500);
      expect(page.text, path).not.to.include('中国移动');
    }
  });
});
