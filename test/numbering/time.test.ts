import { expect } from 'chai';
import fc from 'fast-check';
import {
  dateOfDayNumber,
  dayNumber,
  formatShanghai,
  parseDate,
  parseTimestamp,
  shanghaiDate,
} from '../../server/numbering/time.ts';

const anyStringsByName: Array<[string, fc.Arbitrary<string>]> = [
  ['ASCII', fc.string()],
  ['graphemes', fc.string({ unit: 'grapheme' })],
  ['any code points', fc.string({ unit: 'binary' })],
  [
    'timestamp-shaped',
    fc.stringMatching(/^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/),
  ],
];

const FIRST_DAY = -719528; // 0000-01-01
const LAST_DAY = 2932896; // 9999-12-31
/** Every instant whose Shanghai wall-clock time has a four-digit year. */
const writableInstants = fc.date({
  min: new Date(FIRST_DAY * 86_400_000 - 8 * 3_600_000),
  max: new Date((LAST_DAY + 1) * 86_400_000 - 8 * 3_600_000 - 1),
  noInvalidDate: true,
});

/** The epoch milliseconds of a UTC wall-clock time. */
const utc = (...parts: [number, number, number, number?, number?, number?, number?]) => Date.UTC(...parts);

describe('parseDate', () => {
  it('accepts a YYYY-MM-DD date', () => {
    expect(parseDate('2023-02-28')).to.deep.equal({ ok: true, value: '2023-02-28' });
  });

  it('accepts 29 February of a leap year', () => {
    expect(parseDate('2024-02-29')).to.deep.equal({ ok: true, value: '2024-02-29' });
  });

  it('accepts 29 February 2000 (divisible by 400)', () => {
    expect(parseDate('2000-02-29')).to.deep.equal({ ok: true, value: '2000-02-29' });
  });

  it('returns the date trimmed of surrounding whitespace', () => {
    expect(parseDate(' 2023-01-05\u3000')).to.deep.equal({ ok: true, value: '2023-01-05' });
  });

  describe('rejects what is not a real YYYY-MM-DD date as date.invalid', () => {
    const inputs: Array<[string, string]> = [
      ['30 February', '2023-02-30'],
      ['29 February of a common year', '2023-02-29'],
      ['29 February 1900 (a century, not divisible by 400)', '1900-02-29'],
      ['31 April', '2023-04-31'],
      ['month 13', '2023-13-01'],
      ['month 00', '2023-00-10'],
      ['day 00', '2023-01-00'],
      ['unpadded month and day', '2023-1-5'],
      ['slashes', '2023/01/05'],
      ['no separators', '20230105'],
      ['a time of day', '2023-01-05T00:00'],
      ['full-width digits', '２０２３-01-05'],
      ['the empty string', ''],
    ];
    for (const [what, input] of inputs) {
      it(`rejects ${what}`, () => {
        expect(parseDate(input)).to.deep.equal({ ok: false, code: 'date.invalid' });
      });
    }
  });

  for (const [name, strings] of anyStringsByName) {
    it(`never throws on arbitrary strings (${name})`, () => {
      fc.assert(
        fc.property(strings, (raw) => {
          parseDate(raw);
        }),
      );
    });
  }
});

describe('parseTimestamp', () => {
  const instantOf = (raw: string) => {
    const parsed = parseTimestamp(raw);
    return parsed.ok ? parsed.value.getTime() : parsed.code;
  };

  it('reads a timestamp with a +08:00 zone', () => {
    expect(instantOf('2022-03-14T09:30:00+08:00')).to.equal(utc(2022, 2, 14, 1, 30));
  });

  it('reads a timestamp without a zone as Asia/Shanghai time', () => {
    expect(instantOf('2022-03-14T09:30:00')).to.equal(utc(2022, 2, 14, 1, 30));
  });

  it('reads a timestamp without seconds', () => {
    expect(instantOf('2022-03-14T09:30')).to.equal(utc(2022, 2, 14, 1, 30));
  });

  it('reads milliseconds', () => {
    expect(instantOf('2022-03-14T09:30:05.250')).to.equal(utc(2022, 2, 14, 1, 30, 5, 250));
  });

  it('reads a one-digit fraction as tenths of a second', () => {
    expect(instantOf('2022-03-14T09:30:05.5')).to.equal(utc(2022, 2, 14, 1, 30, 5, 500));
  });

  it('drops fraction digits below a millisecond', () => {
    expect(instantOf('2022-03-14T09:30:05.123999')).to.equal(utc(2022, 2, 14, 1, 30, 5, 123));
  });

  it('reads a space instead of T', () => {
    expect(instantOf('2022-03-14 09:30:00')).to.equal(utc(2022, 2, 14, 1, 30));
  });

  it('reads Z as UTC', () => {
    expect(instantOf('2022-03-14T09:30:00Z')).to.equal(utc(2022, 2, 14, 9, 30));
  });

  it('reads a negative offset', () => {
    expect(instantOf('2022-03-14T09:30:00-05:00')).to.equal(utc(2022, 2, 14, 14, 30));
  });

  it('reads an offset without a colon', () => {
    expect(instantOf('2022-03-14T09:30+0530')).to.equal(utc(2022, 2, 14, 4, 0));
  });

  it('reads a bare date as midnight in Shanghai', () => {
    expect(instantOf('2022-03-14')).to.equal(utc(2022, 2, 13, 16, 0));
  });

  it('ignores surrounding whitespace', () => {
    expect(instantOf(' 2022-03-14T09:30:00+08:00 ')).to.equal(utc(2022, 2, 14, 1, 30));
  });

  it('reads the first second of year 0000 in Shanghai', () => {
    expect(instantOf('0000-01-01T00:00:00')).to.equal(FIRST_DAY * 86_400_000 - 8 * 3_600_000);
  });

  it('reads the last second of year 9999 in Shanghai', () => {
    expect(instantOf('9999-12-31T23:59:59')).to.equal((LAST_DAY + 1) * 86_400_000 - 8 * 3_600_000 - 1000);
  });

  describe('rejects impossible or malformed timestamps as timestamp.invalid', () => {
    const inputs: Array<[string, string]> = [
      ['hour 24', '2022-03-14T24:00:00'],
      ['minute 60', '2022-03-14T09:60:00'],
      ['second 60', '2022-03-14T09:30:60'],
      ['30 February', '2023-02-30T09:30:00'],
      ['month 13', '2023-13-01T09:30:00'],
      ['an unpadded hour', '2022-03-14T9:30:00'],
      ['a T with no time', '2022-03-14T'],
      ['an offset of 24 hours', '2022-03-14T09:30:00+24:00'],
      ['an offset of 60 minutes', '2022-03-14T09:30:00+08:60'],
      ['a zone on a bare date', '2022-03-14Z'],
      ['a fraction without seconds', '2022-03-14T09:30.5'],
      ['an empty fraction', '2022-03-14T09:30:00.'],
      ['a named zone', '2022-03-14T09:30:00 CST'],
      ['words', 'yesterday'],
      ['the empty string', ''],
      ['an instant before year 0000 in Shanghai', '0000-01-01T00:00:00+09:00'],
      ['an instant after year 9999 in Shanghai', '9999-12-31T23:59:59Z'],
    ];
    for (const [what, input] of inputs) {
      it(`rejects ${what}`, () => {
        expect(parseTimestamp(input)).to.deep.equal({ ok: false, code: 'timestamp.invalid' });
      });
    }
  });

  for (const [name, strings] of anyStringsByName) {
    it(`never throws on arbitrary strings (${name})`, () => {
      fc.assert(
        fc.property(strings, (raw) => {
          parseTimestamp(raw);
        }),
      );
    });
  }

  it('accepts only instants that formatShanghai can write', () => {
    fc.assert(
      fc.property(anyStringsByName[3][1], (raw) => {
        const parsed = parseTimestamp(raw);
        if (parsed.ok) expect(formatShanghai(parsed.value)).to.match(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+08:00$/);
      }),
    );
  });
});

describe('shanghaiDate', () => {
  it('gives the Shanghai day of the first instant of that day', () => {
    expect(shanghaiDate(new Date(utc(2022, 2, 13, 16, 0)))).to.equal('2022-03-14');
  });

  it('gives the previous day one millisecond earlier', () => {
    expect(shanghaiDate(new Date(utc(2022, 2, 13, 15, 59, 59, 999)))).to.equal('2022-03-13');
  });

  it('gives the day of the Shanghai wall clock before 1970', () => {
    expect(shanghaiDate(new Date(utc(1969, 11, 31, 15, 0)))).to.equal('1969-12-31');
  });

  it('agrees with the UTC date of the instant moved eight hours on', () => {
    fc.assert(
      fc.property(writableInstants, (instant) => {
        expect(shanghaiDate(instant)).to.equal(new Date(instant.getTime() + 8 * 3_600_000).toISOString().slice(0, 10));
      }),
    );
  });

  it('throws a RangeError on an invalid Date', () => {
    expect(() => shanghaiDate(new Date(Number.NaN))).to.throw(RangeError, 'invalid Date');
  });

  it('gives back the date a bare date timestamp was read from', () => {
    fc.assert(
      fc.property(fc.integer({ min: FIRST_DAY, max: LAST_DAY }), (day) => {
        const date = dateOfDayNumber(day);
        const parsed = parseTimestamp(date);
        expect(parsed.ok && shanghaiDate(parsed.value)).to.equal(date);
      }),
    );
  });
});

describe('formatShanghai', () => {
  it('writes the Shanghai wall-clock time with +08:00', () => {
    expect(formatShanghai(new Date(utc(2022, 2, 14, 1, 30, 5)))).to.equal('2022-03-14T09:30:05+08:00');
  });

  it('truncates milliseconds to the whole second', () => {
    expect(formatShanghai(new Date(utc(2022, 2, 14, 1, 30, 5, 999)))).to.equal('2022-03-14T09:30:05+08:00');
  });

  it('truncates before 1970 too', () => {
    expect(formatShanghai(new Date(utc(1969, 11, 31, 23, 59, 59, 500)))).to.equal('1970-01-01T07:59:59+08:00');
  });

  it('pads years below 1000 to four digits', () => {
    expect(formatShanghai(new Date(Date.parse('0099-06-01T00:00:00Z')))).to.equal('0099-06-01T08:00:00+08:00');
  });

  it('throws a RangeError on an invalid Date', () => {
    expect(() => formatShanghai(new Date(Number.NaN))).to.throw(RangeError, 'invalid Date');
  });

  it('round-trips through parseTimestamp at second precision', () => {
    fc.assert(
      fc.property(writableInstants, (instant) => {
        const parsed = parseTimestamp(formatShanghai(instant));
        expect(parsed.ok && parsed.value.getTime()).to.equal(Math.floor(instant.getTime() / 1000) * 1000);
      }),
    );
  });
});

describe('dayNumber', () => {
  const cases: Array<[string, number]> = [
    ['1970-01-01', 0],
    ['1970-01-02', 1],
    ['1969-12-31', -1],
    ['2000-03-01', 11017],
    ['0000-01-01', FIRST_DAY],
    ['9999-12-31', LAST_DAY],
  ];
  for (const [date, n] of cases) {
    it(`counts ${date} as day ${n}`, () => {
      expect(dayNumber(date)).to.equal(n);
    });
  }

  it('throws a RangeError on a date that does not exist', () => {
    expect(() => dayNumber('2023-02-30')).to.throw(RangeError);
  });

  it('is undone by dateOfDayNumber', () => {
    const utcDaysOfFourDigitYears = fc.date({
      min: new Date(FIRST_DAY * 86_400_000),
      max: new Date((LAST_DAY + 1) * 86_400_000 - 1),
      noInvalidDate: true,
    });
    fc.assert(
      fc.property(utcDaysOfFourDigitYears, (instant) => {
        const date = instant.toISOString().slice(0, 10);
        expect(dateOfDayNumber(dayNumber(date))).to.equal(date);
      }),
    );
  });
});

describe('dateOfDayNumber', () => {
  it('names day 0 1970-01-01', () => {
    expect(dateOfDayNumber(0)).to.equal('1970-01-01');
  });

  it('names day 11017 2000-03-01', () => {
    expect(dateOfDayNumber(11017)).to.equal('2000-03-01');
  });

  it('names day -1 1969-12-31', () => {
    expect(dateOfDayNumber(-1)).to.equal('1969-12-31');
  });

  it('throws a RangeError on a fractional day', () => {
    expect(() => dateOfDayNumber(1.5)).to.throw(RangeError);
  });

  it('throws a RangeError on a day after 9999-12-31', () => {
    expect(() => dateOfDayNumber(LAST_DAY + 1)).to.throw(RangeError);
  });

  it('throws a RangeError on a day before 0000-01-01', () => {
    expect(() => dateOfDayNumber(FIRST_DAY - 1)).to.throw(RangeError);
  });

  it('is undone by dayNumber', () => {
    fc.assert(
      fc.property(fc.integer({ min: FIRST_DAY, max: LAST_DAY }), (n) => {
        expect(dayNumber(dateOfDayNumber(n))).to.equal(n);
      }),
    );
  });

  it('moves one day forward per day number', () => {
    fc.assert(
      fc.property(fc.integer({ min: FIRST_DAY, max: LAST_DAY - 1 }), (n) => {
        const next = new Date(`${dateOfDayNumber(n)}T00:00:00Z`).getTime() + 86_400_000;
        expect(dateOfDayNumber(n + 1)).to.equal(new Date(next).toISOString().slice(0, 10));
      }),
    );
  });
});
