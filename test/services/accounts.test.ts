import { expect } from 'chai';
import { LoginThrottle, MAX_FAILURES_PER_IP } from '../../server/services/accounts.ts';
import { hashPassword, verifyPassword } from '../../server/services/passwords.ts';

describe('passwords', () => {
  it('verifies the password it hashed and nothing else', async () => {
    const stored = await hashPassword('长城长城长城长城长城');
    expect(stored).to.match(/^scrypt\$32768\$8\$1\$/);
    expect(await verifyPassword('长城长城长城长城长城', stored)).to.equal(true);
    expect(await verifyPassword('长城长城长城长城长', stored)).to.equal(false);
  });

  it('salts each hash, so the same password never hashes the same twice', async () => {
    expect(await hashPassword('same password')).to.not.equal(await hashPassword('same password'));
  });
});

describe('LoginThrottle', () => {
  it(`refuses an address after ${MAX_FAILURES_PER_IP} failures within the window, and forgets them after it`, () => {
    const throttle = new LoginThrottle();
    const start = Date.parse('2026-01-01T00:00:00Z');
    for (let i = 0; i < MAX_FAILURES_PER_IP; i++) throttle.fail('10.0.0.1', start + i);
    expect(throttle.blocked('10.0.0.1', start + 1000)).to.equal(true);
    expect(throttle.blocked('10.0.0.2', start + 1000)).to.equal(false);
    expect(throttle.blocked('10.0.0.1', start + 16 * 60_000)).to.equal(false);
  });
});
