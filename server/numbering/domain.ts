import { domainToASCII } from 'node:url';

/** A bare host name (IDN to punycode), or null. A pasted scheme, path or trailing dot is dropped. */
export function normaliseDomain(raw: string): string | null {
  const host = raw
    .trim()
    .toLowerCase()
    .replace(/^[a-z]+:\/\//, '')
    .replace(/[/?#].*$/, '')
    .replace(/\.$/, '');
  const ascii = domainToASCII(host);
  if (!ascii || ascii.length > 253) return null;
  return /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9-]{2,63}$/.test(ascii) ? ascii : null;
}
