import { expect } from 'chai';
import { hashPassword, verifyPassword } from '../../server/services/accounts/passwords.ts';

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
