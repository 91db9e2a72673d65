import { expect } from 'chai';
import { HashedKeySet } from '../../server/dataset/keySet.ts';

describe('HashedKeySet', () => {
  it('returns null for a new key and the first line for a key seen before', () => {
    const keys = new HashedKeySet(4);
    expect(keys.add('10690|A|2022-01-01', 2)).to.equal(null);
    expect(keys.add('10691|A|2022-01-01', 3)).to.equal(null);
    expect(keys.add('10690|A|2022-01-01', 9)).to.equal(2);
  });

  it('keeps every key across growth far past its initial capacity', () => {
    const keys = new HashedKeySet(2);
    for (let i = 0; i < 50_000; i++) expect(keys.add(`1069${i}|X|2022-01-01`, i + 2)).to.equal(null);
    for (let i = 0; i < 50_000; i += 997) expect(keys.add(`1069${i}|X|2022-01-01`, 0)).to.equal(i + 2);
  });
});
