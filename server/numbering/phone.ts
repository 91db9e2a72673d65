import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import type { Parsed } from './parsed.ts';

/** DOMAIN.md: recipients and phone numbers in message text are ordinary numbers, region CN, E.164 out. */
export function normalisePhone(raw: string): Parsed<string> {
  const text = String(raw).normalize('NFKC').trim();
  if (text === '') return { ok: false, code: 'phone.empty' };
  try {
    const phone = parsePhoneNumberFromString(text, 'CN');
    return phone && phone.isValid() ? { ok: true, value: phone.number } : { ok: false, code: 'phone.invalid' };
  } catch {
    return { ok: false, code: 'phone.invalid' };
  }
}
