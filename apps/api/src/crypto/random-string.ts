import { randomInt } from 'node:crypto';

export const UPPER_ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
export const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/**
 * A string of `length` characters drawn uniformly from `alphabet` by the CSPRNG. `randomInt` rejects
 * out-of-range draws internally, so there is no modulo bias towards the first characters.
 */
export function randomString(length: number, alphabet: string): string {
  if (alphabet.length < 2) throw new RangeError('alphabet needs at least two characters');
  let out = '';
  for (let i = 0; i < length; i++) out += alphabet.charAt(randomInt(alphabet.length));
  return out;
}
