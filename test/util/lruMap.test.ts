import { expect } from 'chai';
import { LruMap } from '../../server/util/lruMap.ts';

describe('LruMap', () => {
  it('drops the least recently used entry when full, counting reads as use', () => {
    const map = new LruMap<string, number>(3);
    map.set('a', 1).set('b', 2).set('c', 3);
    expect(map.get('a')).to.equal(1);
    map.set('d', 4);
    expect([...map].map(([key]) => key)).to.deep.equal(['c', 'a', 'd']);
  });

  it('replacing a value neither grows the map nor drops another entry', () => {
    const map = new LruMap<string, number>(2);
    map.set('a', 1).set('b', 2).set('a', 10);
    expect([...map]).to.deep.equal([
      ['b', 2],
      ['a', 10],
    ]);
    expect(map.size).to.equal(2);
  });

  it('stays at its limit under a flood of new keys, keeping the one in use', () => {
    const map = new LruMap<number, string>(100);
    map.set(-1, 'in use');
    for (let key = 0; key < 10_000; key++) {
      map.set(key, 'flood');
      if (key % 50 === 0) expect(map.get(-1)).to.equal('in use');
    }
    expect(map.size).to.equal(100);
    expect(map.get(-1)).to.equal('in use');
  });

  it('refuses a limit below one', () => {
    expect(() => new LruMap(0)).to.throw(RangeError);
    expect(() => new LruMap(1.5)).to.throw(RangeError);
  });
});
