import { expect } from 'chai';
import fc from 'fast-check';
import { normalisePhone } from '../../server/numbering/phone.ts';

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

/** Strings that look like phone numbers: an optional prefix, digits, separators. */
const dialLike = fc
  .tuple(
    fc.constantFrom('', '+', '+86', '0086', '86', '0', '+1 '),
    fc.array(fc.oneof(fc.constantFrom(...'0123456789'), fc.constantFrom(' ', '-', '(', ')', '１', '３', '８')), {
      maxLength: 16,
    }),
  )
  .map(([prefix, characters]) => prefix + characters.join(''));

/** Chinese mobile numbers in the 13x range (all allocated), typed with random separators. */
const mobile = fc
  .tuple(
    fc.integer({ min: 0, max: 9 }),
    fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 8, maxLength: 8 }),
    fc.constantFrom('', ' ', '-'),
  )
  .map(([third, rest, separator]) => ({
    typed: `13${third}${separator}${rest.slice(0, 4).join('')}${separator}${rest.slice(4).join('')}`,
    e164: `+8613${third}${rest.join('')}`,
  }));

describe('normalisePhone', () => {
  describe('turns accepted forms into E.164', () => {
    const forms: Array<[string, string, string]> = [
      ['a bare mobile number', '13800138000', '+8613800138000'],
      ['a mobile number in E.164', '+8613800138000', '+8613800138000'],
      ['spaces', '+86 138 0013 8000', '+8613800138000'],
      ['ideographic spaces', '138\u30000013\u30008000', '+8613800138000'],
      ['dashes', '138-0013-8000', '+8613800138000'],
      ['an en dash', '138\u20130013\u20138000', '+8613800138000'],
      ['full-width digits', '１３８００１３８０００', '+8613800138000'],
      ['a zero-width space', '138\u200B00138000', '+8613800138000'],
      ['a 0086 prefix', '008613800138000', '+8613800138000'],
      ['an 86 prefix', '8613800138000', '+8613800138000'],
      ['a Beijing landline with its trunk prefix', '010 12345678', '+861012345678'],
      ['an area code in parentheses', '(010) 1234-5678', '+861012345678'],
      ['an area code in full-width parentheses', '（010）12345678', '+861012345678'],
      ['a foreign number in international form', '+1 415 555 2671', '+14155552671'],
    ];
    for (const [form, input, expected] of forms) {
      it(`accepts ${form}`, () => {
        expect(normalisePhone(input)).to.deep.equal({ ok: true, value: expected });
      });
    }
  });

  it('rejects the empty string as phone.empty', () => {
    expect(normalisePhone('')).to.deep.equal({ ok: false, code: 'phone.empty' });
  });

  it('rejects whitespace only as phone.empty', () => {
    expect(normalisePhone(' \u3000 ')).to.deep.equal({ ok: false, code: 'phone.empty' });
  });

  describe('rejects what is not a valid phone number as phone.invalid', () => {
    const inputs: Array<[string, string]> = [
      ['an 11-digit number in no allocated mobile range', '12345678901'],
      ['a mobile number one digit short', '1380013800'],
      ['a mobile number one digit long', '138001380001'],
      ['a number with letters around it', 'abc13800138000'],
      ['a tel: prefix', 'tel:13800138000'],
      ['a letter inside the number', '1380013800O'],
      ['a lone plus sign', '+'],
      ['a 106 sender number', '10690000123'],
    ];
    for (const [what, input] of inputs) {
      it(`rejects ${what}`, () => {
        expect(normalisePhone(input)).to.deep.equal({ ok: false, code: 'phone.invalid' });
      });
    }
  });

  it('turns every 13x mobile number, however separated, into +86 and its 11 digits', () => {
    fc.assert(
      fc.property(mobile, ({ typed, e164 }) => {
        expect(normalisePhone(typed)).to.deep.equal({ ok: true, value: e164 });
      }),
    );
  });

  for (const [name, strings] of [['dial-like', dialLike] as const, ...anyStringsByName]) {
    it(`never throws on arbitrary strings (${name})`, () => {
      fc.assert(
        fc.property(strings, (raw) => {
          normalisePhone(raw);
        }),
      );
    });
  }

  it('is idempotent: normalising an accepted value returns it unchanged', () => {
    const inputs = fc.oneof(
      mobile.map(({ typed }) => typed),
      dialLike,
      ...anyStrings,
    );
    fc.assert(
      fc.property(inputs, (raw) => {
        const parsed = normalisePhone(raw);
        if (parsed.ok) expect(normalisePhone(parsed.value)).to.deep.equal(parsed);
      }),
    );
  });

  it('returns only E.164 strings, whatever the input', () => {
    fc.assert(
      fc.property(fc.oneof(dialLike, ...anyStrings), (raw) => {
        const parsed = normalisePhone(raw);
        if (parsed.ok) expect(parsed.value).to.match(/^\+[1-9][0-9]{1,14}$/);
      }),
    );
  });
});
