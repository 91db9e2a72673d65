/**
 * Ordinary phone numbers — message recipients, numbers quoted in message text, callback numbers
 * (docs/domain.md#phone-numbers-in-messages): normalised with libphonenumber-js, default region CN,
 * E.164 out.
 */
// The full ("max") metadata: the default one judges only by length, so it takes 12345678901
// (no such mobile range) and a 10-digit "mobile" as valid.
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { compactDialString } from './number106.ts';
import { accepted, rejected, type Parsed } from './parsed.ts';

const PARENTHESES = /[()\uFF08\uFF09]/g;

/** E.164 form (`+8613800138000`) of a phone number as typed; never throws. */
export function normalisePhone(raw: string): Parsed<string> {
  // Checked character by character first: on its own libphonenumber-js would find a number
  // inside "tel:13800138000 abc" and accept letters as vanity digits.
  const dialString = compactDialString(raw.replace(PARENTHESES, ''));
  if (dialString === null) return rejected('phone.invalid');
  if (dialString === '') return rejected('phone.empty');
  const phone = parsePhoneNumberFromString(dialString, 'CN');
  if (!phone || !phone.isValid()) return rejected('phone.invalid');
  return accepted(phone.number);
}

/**
 * A phone number normalisePhone refused (an IoT range, a country it does not know), kept as
 * typed but for spaces, dashes, parentheses and full-width digits; the text itself where it is
 * no dial string at all.
 */
export function compactPhone(raw: string): string {
  return compactDialString(raw.replace(PARENTHESES, '')) || raw;
}
