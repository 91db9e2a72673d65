import { expect } from 'chai';
import fc from 'fast-check';
import { parse106, prefixesOf } from '../../server/numbering/number106.ts';

const FULL_WIDTH_DIGITS = '０１２３４５６７８９';
const SEPARATORS = [
  ' ',
  '\t',
  '\u00A0',
  '\u3000',
  '-',
  '\u2010',
  '\u2011',
  '\u2012',
  '\u2013',
  '\u2014',
  '\u2212',
  '\uFF0D',
  '\u200B',
  '\u200C',
  '\u200D',
  '\uFEFF',
  '\u2060',
];
const COUNTRY_PREFIXES = ['', '+86', '＋86', '0086', '86', '+86 ', '0086-'];

/** Any string at all, including lone surrogates, which `for…of` and normalize() must survive. */
const anyStringsByName: Array<[string, fc.Arbitrary<string>]> = [
  ['ASCII', fc.string()],
  ['graphemes', fc.string({ unit: 'grapheme' })],
  ['any code points', fc.string({ unit: 'binary' })],
  [
    'UTF-16 units with lone surrogates',
    fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((code) => String.fromCharCode(code)) }),
  ],
];
const anyStrings = anyStringsByName.map(([, strings]) => strings);

/** A 106 number's digits and one way of typing them: ASCII or full-width digits, separators, country prefix. */
const typed106 = fc
  .record({
    tail: fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 2, maxLength: 17 }),
    country: fc.constantFrom(...COUNTRY_PREFIXES),
    seed: fc.array(fc.tuple(fc.boolean(), fc.option(fc.constantFrom(...SEPARATORS))), { minLength: 20, maxLength: 20 }),
  })
  .map(({ tail, country, seed }) => {
    const digits = [1, 0, 6, ...tail];
    const typed = digits.map((digit, i) => {
      const [fullWidth, separator] = seed[i];
      return (fullWidth ? FULL_WIDTH_DIGITS[digit] : String(digit)) + (separator ?? '');
    });
    return { expected: digits.join(''), typed: country + typed.join('') };
  });

describe('parse106', () => {
  describe('normalises accepted forms to bare ASCII digits', () => {
    const forms: Array<[string, string]> = [
      ['bare digits', '10690000123'],
      ['ASCII spaces', '1069 0000 123'],
      ['a tab and a newline', '1069\t0000\n123'],
      ['ideographic spaces (U+3000)', '1069\u30000000\u3000123'],
      ['no-break spaces (U+00A0)', '1069\u00A00000\u00A0123'],
      ['surrounding whitespace', '  10690000123\u3000'],
      ['ASCII dashes', '1069-0000-123'],
      ['hyphen U+2010', '1069\u20100000123'],
      ['non-breaking hyphen U+2011', '1069\u20110000123'],
      ['figure dash U+2012', '1069\u20120000123'],
      ['en dash U+2013', '1069\u20130000123'],
      ['em dash U+2014', '1069\u20140000123'],
      ['minus sign U+2212', '1069\u22120000123'],
      ['full-width hyphen-minus U+FF0D', '1069\uFF0D0000123'],
      ['full-width digits', '１０６９００００１２３'],
      ['mixed full-width and ASCII digits', '１０６9０000１23'],
      ['zero-width space U+200B', '1069\u200B0000123'],
      ['zero-width non-joiner U+200C', '1069\u200C0000123'],
      ['zero-width joiner U+200D', '1069\u200D0000123'],
      ['byte order mark U+FEFF', '\uFEFF10690000123'],
      ['word joiner U+2060', '1069\u20600000123'],
      ['a +86 prefix', '+8610690000123'],
      ['a +86 prefix followed by a space', '+86 1069 0000 123'],
      ['a full-width +86 prefix', '＋８６１０６９００００１２３'],
      ['a 0086 prefix', '008610690000123'],
      ['an 86 prefix', '8610690000123'],
      ['an 86 prefix and dashes', '86-1069-0000-123'],
    ];
    for (const [form, input] of forms) {
      it(`accepts ${form}`, () => {
        expect(parse106(input)).to.deep.equal({ ok: true, value: '10690000123' });
      });
    }
  });

  it('keeps 20 digits, the longest 106 number', () => {
    expect(parse106('10690000000000000001')).to.deep.equal({ ok: true, value: '10690000000000000001' });
  });

  it('rejects 21 digits as number.too_long', () => {
    expect(parse106('106900000000000000012')).to.deep.equal({ ok: false, code: 'number.too_long' });
  });

  it('rejects 21 digits as number.too_long for a prefix too', () => {
    expect(parse106('106900000000000000012', 'prefix')).to.deep.equal({ ok: false, code: 'number.too_long' });
  });

  it('measures the length after stripping the country prefix', () => {
    expect(parse106('+8610690000000000000001')).to.deep.equal({ ok: true, value: '10690000000000000001' });
  });

  it('accepts a sender number of 8 digits', () => {
    expect(parse106('10690001')).to.deep.equal({ ok: true, value: '10690001' });
  });

  it('rejects a sender number of 7 digits as number.too_short', () => {
    expect(parse106('1069000')).to.deep.equal({ ok: false, code: 'number.too_short' });
  });

  it('treats the input as a sender number when no kind is given', () => {
    expect(parse106('1069000')).to.deep.equal(parse106('1069000', 'number'));
  });

  it('accepts a prefix of 5 digits', () => {
    expect(parse106('10690', 'prefix')).to.deep.equal({ ok: true, value: '10690' });
  });

  it('rejects a prefix of 4 digits as number.too_short', () => {
    expect(parse106('1069', 'prefix')).to.deep.equal({ ok: false, code: 'number.too_short' });
  });

  it('rejects a bare 106 as number.too_short', () => {
    expect(parse106('106', 'prefix')).to.deep.equal({ ok: false, code: 'number.too_short' });
  });

  it('rejects "10", which could still become a 106 number, as number.too_short', () => {
    expect(parse106('10')).to.deep.equal({ ok: false, code: 'number.too_short' });
  });

  it('rejects the empty string as number.empty', () => {
    expect(parse106('')).to.deep.equal({ ok: false, code: 'number.empty' });
  });

  it('rejects separators with no digits as number.empty', () => {
    expect(parse106(' -\u3000\u200B－ ')).to.deep.equal({ ok: false, code: 'number.empty' });
  });

  describe('rejects other characters as number.bad_chars', () => {
    const inputs: Array<[string, string]> = [
      ['a letter', '1069A000123'],
      ['an asterisk', '1069*000123'],
      ['a dot', '1069.0000.123'],
      ['parentheses', '(1069)0000123'],
      ['a slash', '1069/0000123'],
      ['circled digits', '①⓪⑥⑨⓪⓪⓪⓪'],
      ['superscript digits', '¹⁰⁶⁹⁰⁰⁰⁰'],
      ['Arabic-Indic digits', '١٠٦٩٠٠٠٠'],
      ['a plus sign inside the number', '1069+0000123'],
      ['two plus signs', '++8610690000123'],
      ['a plus sign alone', '+'],
      ['a lone surrogate', '1069\uD8000000123'],
    ];
    for (const [what, input] of inputs) {
      it(`rejects ${what}`, () => {
        expect(parse106(input)).to.deep.equal({ ok: false, code: 'number.bad_chars' });
      });
    }
  });

  it('rejects digits that do not start with 106 as number.not_106', () => {
    expect(parse106('10790000123')).to.deep.equal({ ok: false, code: 'number.not_106' });
  });

  it('rejects an ordinary mobile number as number.not_106', () => {
    expect(parse106('13800138000')).to.deep.equal({ ok: false, code: 'number.not_106' });
  });

  it('rejects +86 followed by something other than 106 as number.not_106', () => {
    expect(parse106('+8613800138000')).to.deep.equal({ ok: false, code: 'number.not_106' });
  });

  it('rejects a country code other than +86 as number.not_106, even before 106', () => {
    expect(parse106('+4410690000123')).to.deep.equal({ ok: false, code: 'number.not_106' });
  });

  it('keeps a leading 0086 that 106 does not follow, so the number is number.not_106', () => {
    expect(parse106('008610')).to.deep.equal({ ok: false, code: 'number.not_106' });
  });

  it('keeps a leading 86 that 106 does not follow, so the number is number.not_106', () => {
    expect(parse106('8610')).to.deep.equal({ ok: false, code: 'number.not_106' });
  });

  it('rejects a long digit string that does not start with 106 as number.not_106, not too_long', () => {
    expect(parse106('8888888888888888888888888')).to.deep.equal({ ok: false, code: 'number.not_106' });
  });

  it('normalises every typed form of a 106 number to its ASCII digits', () => {
    fc.assert(
      fc.property(typed106, ({ expected, typed }) => {
        expect(parse106(typed, 'prefix')).to.deep.equal({ ok: true, value: expected });
      }),
    );
  });

  for (const [name, strings] of anyStringsByName) {
    it(`never throws on arbitrary strings (${name})`, () => {
      fc.assert(
        fc.property(strings, fc.constantFrom('prefix' as const, 'number' as const), (raw, kind) => {
          parse106(raw, kind);
        }),
      );
    });
  }

  it('returns only 106 numbers of 5 to 20 ASCII digits, whatever the input', () => {
    const inputs = fc.oneof(
      typed106.map(({ typed }) => typed),
      ...anyStrings,
    );
    fc.assert(
      fc.property(inputs, (raw) => {
        const parsed = parse106(raw, 'prefix');
        if (parsed.ok) expect(parsed.value).to.match(/^106[0-9]{2,17}$/);
      }),
    );
  });

  it('is idempotent: parsing an accepted value returns it unchanged', () => {
    const inputs = fc.oneof(
      typed106.map(({ typed }) => typed),
      ...anyStrings,
    );
    fc.assert(
      fc.property(inputs, fc.constantFrom('prefix' as const, 'number' as const), (raw, kind) => {
        const parsed = parse106(raw, kind);
        if (parsed.ok) expect(parse106(parsed.value, kind)).to.deep.equal(parsed);
      }),
    );
  });
});

describe('prefixesOf', () => {
  it('lists every prefix from 106 up to the whole number, shortest first', () => {
    expect(prefixesOf('1069001')).to.deep.equal(['106', '1069', '10690', '106900', '1069001']);
  });

  it('lists just 106 for the number 106', () => {
    expect(prefixesOf('106')).to.deep.equal(['106']);
  });

  it('lists nothing for fewer than 3 digits', () => {
    expect(prefixesOf('10')).to.deep.equal([]);
  });

  it('yields length - 2 prefixes, each a prefix of the number, ending with the number', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^106[0-9]{0,17}$/), (number) => {
        const prefixes = prefixesOf(number);
        expect(prefixes).to.have.length(number.length - 2);
        expect(prefixes.every((prefix) => number.startsWith(prefix))).to.equal(true);
        expect(prefixes.at(-1)).to.equal(number);
      }),
    );
  });
});
