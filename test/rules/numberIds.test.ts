import { expect } from 'chai';
import { NumberIds } from '../../server/rules/numberIds.ts';

describe('NumberIds', () => {
  it('gives each distinct number one id, in the order first met, across growth of the table', () => {
    const ids = new NumberIds();
    const numbers: string[] = [];
    // 106 numbers of every length from 3 to 20 digits, leading zeros after 106 included, many sharing their runs of
    // digits.
    for (let length = 4; length <= 20; length++) {
      for (let n = 0; n < 400; n++)
        numbers.push(
          `106${String(n * 7919)
            .padStart(length - 3, '0')
            .slice(3 - length)}`,
        );
    }
    const distinct = [...new Set(numbers)];
    expect(distinct.length).to.be.greaterThan(5000);
    distinct.forEach((number, i) => expect(ids.idOf(number), number).to.equal(i));
    expect(ids.size).to.equal(distinct.length);
    // Asked again, in another order: the same ids, and no new ones.
    for (let i = distinct.length - 1; i >= 0; i--) expect(ids.idOf(distinct[i]), distinct[i]).to.equal(i);
    expect(ids.size).to.equal(distinct.length);
  });

  it('tells apart numbers that differ only in leading zeros or length', () => {
    const ids = new NumberIds();
    const numbers = [
      '10690001',
      '106900010',
      '1069000100',
      '10600001',
      '106000010',
      '1060',
      '106',
      '10690000000000000001',
      '10690000000000000010',
    ];
    numbers.forEach((number, i) => expect(ids.idOf(number)).to.equal(i));
    numbers.forEach((number, i) => expect(ids.idOf(number)).to.equal(i));
  });

  it('takes senders that are not 106 numbers too, in the same run of ids', () => {
    const ids = new NumberIds();
    expect(ids.idOf('10690001')).to.equal(0);
    expect(ids.idOf('+8613800138000')).to.equal(1);
    expect(ids.idOf('106900012345678901234')).to.equal(2); // 21 digits: too long to pack
    expect(ids.idOf('1069a001')).to.equal(3);
    expect(ids.idOf('10690001')).to.equal(0);
    expect(ids.idOf('+8613800138000')).to.equal(1);
    expect(ids.idOf('1069a001')).to.equal(3);
    expect(ids.size).to.equal(4);
  });
});
