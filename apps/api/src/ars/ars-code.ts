import { createHmac, randomInt, timingSafeEqual } from 'node:crypto';

/** A code of `length` decimal digits, each drawn uniformly from the CSPRNG. */
export function generateArsCode(length: number): string {
  let code = '';
  for (let i = 0; i < length; i += 1) code += String(randomInt(0, 10));
  return code;
}

/**
 * The stored form of a code: hex HMAC-SHA256 under the ARS sub-key, bound to the verification id
 * so one hash reveals nothing about another verification with the same digits.
 */
export function hashArsCode(key: Buffer, verificationId: string, code: string): string {
  return createHmac('sha256', key).update(`${verificationId}:${code}`).digest('hex');
}

/** Compares typed digits with a stored hash in constant time; never throws on odd input. */
export function arsCodeMatches(
  key: Buffer,
  verificationId: string,
  digits: string,
  storedHash: string,
): boolean {
  const expected = Buffer.from(storedHash, 'hex');
  const given = Buffer.from(hashArsCode(key, verificationId, digits), 'hex');
  return expected.length === given.length && timingSafeEqual(expected, given);
}
