import { expect } from 'chai';
import { RULES } from '../../server/rules/index.ts';
import { AuditShares } from '../../server/services/auditShares.ts';

describe('audit threads', () => {
  it('give up with the snapshot\'s own error when it cannot be loaded', async function () {
    this.timeout(60_000);
    const error = await AuditShares.start(Promise.reject(new Error('the database went away')), RULES, 2).then(() => null, (e: Error) => e);
    expect(error?.message).to.equal('the database went away');
  });
});
