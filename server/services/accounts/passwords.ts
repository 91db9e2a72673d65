import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/**
 * Passwords are hashed with scrypt (memory-hard, from node:crypto): N = 2^15, r = 8, p = 1
 * needs 32 MiB per attempt. The parameters travel with each hash so they can be raised later
 * without invalidating stored ones.
 */
const PARAMETERS = { N: 2 ** 15, r: 8, p: 1 };
const KEY_BYTES = 32;

function derive(password: string, salt: Buffer, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(
      password.normalize('NFC'),
      salt,
      KEY_BYTES,
      { ...options, maxmem: 128 * options.N! * options.r! * 2 },
      (error, key) => (error ? reject(error) : resolve(key)),
    );
  });
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, PARAMETERS);
  return ['scrypt', PARAMETERS.N, PARAMETERS.r, PARAMETERS.p, salt.toString('base64'), key.toString('base64')].join(
    '$',
  );
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, key] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !key) return false;
  const expected = Buffer.from(key, 'base64');
  const actual = await derive(password, Buffer.from(salt, 'base64'), { N: Number(n), r: Number(r), p: Number(p) });
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** At least 10 characters: long enough to resist guessing with the lockout in place. */
export const MIN_PASSWORD_LENGTH = 10;

/** Crockford's base32, in lower case: no i, l, o or u to misread, 32 symbols so a byte's low 5 bits pick one evenly. */
const READABLE = '0123456789abcdefghjkmnpqrstvwxyz';

/**
 * A random password a person can read off a console and type: 16 symbols of Crockford's base32
 * (80 bits from crypto.randomBytes) in four groups, e.g. `7kqm-x3vt-9hpw-2cna`.
 */
export function readablePassword(): string {
  const symbols = [...randomBytes(16)].map((byte) => READABLE[byte & 31]).join('');
  return symbols.match(/.{4}/g)!.join('-');
}
