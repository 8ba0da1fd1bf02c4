import { randomBytes } from 'node:crypto';

/**
 * Shortest salt the service accepts.
 *
 * @example
 * ```ts
 * generateSalt(SALT_MIN_LENGTH).length; // 12
 * ```
 */
export const SALT_MIN_LENGTH = 12;
/**
 * Longest salt the service accepts.
 *
 * @example
 * ```ts
 * generateSalt(SALT_MAX_LENGTH).length; // 64
 * ```
 */
export const SALT_MAX_LENGTH = 64;

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
// Largest multiple of 62 that fits in a byte: bytes at or above it are thrown away so that every
// character is equally likely (plain `byte % 62` would favour the first 8 characters).
const UNBIASED_LIMIT = 256 - (256 % ALPHABET.length);

/**
 * A fresh random salt of `[0-9A-Za-z]` from `crypto.randomBytes`, every character equally likely.
 *
 * @param length - 12 to 64 characters (default 32); anything else throws a `RangeError`
 *
 * @example
 * ```ts
 * generateSalt(); // e.g. 'q3Z0cF9kLm2WvX8hT1bYp5sR7nJ4uE6a'
 * generateSalt(12).length; // 12
 * ```
 */
export function generateSalt(length = 32): string {
  if (!Number.isInteger(length) || length < SALT_MIN_LENGTH || length > SALT_MAX_LENGTH) {
    throw new RangeError(
      `Salt length must be an integer from ${SALT_MIN_LENGTH} to ${SALT_MAX_LENGTH}, got ${String(length)}`,
    );
  }
  let salt = '';
  while (salt.length < length) {
    for (const byte of randomBytes(length * 2)) {
      if (byte >= UNBIASED_LIMIT) continue;
      salt += ALPHABET[byte % ALPHABET.length];
      if (salt.length === length) break;
    }
  }
  return salt;
}
