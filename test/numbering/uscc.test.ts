import { expect } from 'chai';
import fc from 'fast-check';
import {
  isUsccShaped,
  isValidUscc,
  normaliseUscc,
  USCC_ALPHABET,
  usccCheckCharacter,
  usccKind,
} from '../../server/numbering/uscc.ts';

const PUBLISHED_EXAMPLE = '91350100M000100Y43';

/** 17 characters of the USCC alphabet: the part the check character is computed over. */
const usccBody = fc.string({ unit: fc.constantFrom(...USCC_ALPHABET), minLength: 17, maxLength: 17 });
const validUscc = usccBody.map((body) => body + usccCheckCharacter(body));

describe('usccCheckCharacter', () => {
  it('computes the check character of the published example', () => {
    expect(usccCheckCharacter(PUBLISHED_EXAMPLE.slice(0, 17))).to.equal('3');
  });

  it('computes 0 for seventeen zeros', () => {
    expect(usccCheckCharacter('00000000000000000')).to.equal('0');
  });

  it('throws a RangeError on fewer than 17 characters', () => {
    expect(() => usccCheckCharacter('91350100M000100Y')).to.throw(RangeError);
  });

  it('throws a RangeError on a character outside the alphabet', () => {
    expect(() => usccCheckCharacter('91350100I000100Y4')).to.throw(RangeError);
  });
});

describe('isValidUscc', () => {
  it('accepts the published example 91350100M000100Y43', () => {
    expect(isValidUscc(PUBLISHED_EXAMPLE)).to.equal(true);
  });

  it('accepts every code built with its computed check character', () => {
    fc.assert(
      fc.property(validUscc, (uscc) => {
        expect(isValidUscc(uscc)).to.equal(true);
      }),
    );
  });

  it('rejects every other check character', () => {
    fc.assert(
      fc.property(validUscc, (uscc) => {
        for (const wrong of USCC_ALPHABET.replace(uscc[17], '')) {
          expect(isValidUscc(uscc.slice(0, 17) + wrong), uscc.slice(0, 17) + wrong).to.equal(false);
        }
      }),
    );
  });

  it('rejects any single changed character among the first 17', () => {
    const change = fc.record({
      uscc: validUscc,
      at: fc.integer({ min: 0, max: 16 }),
      shift: fc.integer({ min: 1, max: 30 }),
    });
    fc.assert(
      fc.property(change, ({ uscc, at, shift }) => {
        const replacement = USCC_ALPHABET[(USCC_ALPHABET.indexOf(uscc[at]) + shift) % 31];
        expect(isValidUscc(uscc.slice(0, at) + replacement + uscc.slice(at + 1))).to.equal(false);
      }),
    );
  });

  it('rejects a code that is not USCC-shaped', () => {
    expect(isValidUscc('91350100m000100y43')).to.equal(false);
  });
});

describe('isUsccShaped', () => {
  it('accepts 18 characters of the alphabet', () => {
    expect(isUsccShaped(PUBLISHED_EXAMPLE)).to.equal(true);
  });

  it('accepts a wrong check character (the audit judges it, not the import)', () => {
    expect(isUsccShaped('91350100M000100Y40')).to.equal(true);
  });

  for (const letter of ['I', 'O', 'Z', 'S', 'V']) {
    it(`rejects the letter ${letter}, which the alphabet leaves out`, () => {
      expect(isUsccShaped(`91350100${letter}000100Y43`)).to.equal(false);
    });
  }

  it('rejects 17 characters', () => {
    expect(isUsccShaped(PUBLISHED_EXAMPLE.slice(0, 17))).to.equal(false);
  });

  it('rejects 19 characters', () => {
    expect(isUsccShaped(`${PUBLISHED_EXAMPLE}0`)).to.equal(false);
  });

  it('rejects lower-case letters', () => {
    expect(isUsccShaped('91350100m000100y43')).to.equal(false);
  });

  it('rejects surrounding spaces', () => {
    expect(isUsccShaped(` ${PUBLISHED_EXAMPLE}`)).to.equal(false);
  });
});

describe('normaliseUscc', () => {
  it('upper-cases, removes spaces and maps full-width characters', () => {
    expect(normaliseUscc(' ９１350100m000100y43\u3000')).to.equal(PUBLISHED_EXAMPLE);
  });
});

describe('usccKind', () => {
  const cases: Array<[string, string]> = [
    ['11', 'government'],
    ['12', 'institution'],
    ['51', 'social'],
    ['52', 'social'],
    ['53', 'social'],
    ['59', 'social'],
    ['91', 'enterprise'],
    ['92', 'individual'],
    ['93', 'other'],
    ['13', 'other'],
    ['31', 'other'],
    ['Y1', 'other'],
  ];
  for (const [code, kind] of cases) {
    it(`reads a code starting ${code} as ${kind}`, () => {
      expect(usccKind(`${code}350100M000100Y4`)).to.equal(kind);
    });
  }
});
