import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Signature methods the `Authorization: HMAC-…` scheme accepts.
 *
 * @example
 * ```ts
 * HMAC_ALGORITHMS; // ['HMAC-SHA256', 'HMAC-MD5']
 * ```
 */
export const HMAC_ALGORITHMS = ['HMAC-SHA256', 'HMAC-MD5'] as const;

/**
 * One of {@link HMAC_ALGORITHMS}.
 *
 * @example
 * ```ts
 * const algorithm: HmacAlgorithm = 'HMAC-SHA256';
 * ```
 */
export type HmacAlgorithm = (typeof HMAC_ALGORITHMS)[number];

const DIGEST_OF: Record<HmacAlgorithm, string> = { 'HMAC-SHA256': 'sha256', 'HMAC-MD5': 'md5' };

/**
 * Length in hex characters of each algorithm's signature.
 *
 * @example
 * ```ts
 * HMAC_SIGNATURE_HEX_LENGTH['HMAC-SHA256']; // 64
 * ```
 */
export const HMAC_SIGNATURE_HEX_LENGTH: Readonly<Record<HmacAlgorithm, number>> = {
  'HMAC-SHA256': 64,
  'HMAC-MD5': 32,
};

/**
 * Tells whether a value names a supported algorithm, exactly as spelled in {@link HMAC_ALGORITHMS}.
 *
 * @example
 * ```ts
 * isHmacAlgorithm('HMAC-MD5'); // true
 * isHmacAlgorithm('HMAC-SHA1'); // false
 * ```
 */
export function isHmacAlgorithm(value: unknown): value is HmacAlgorithm {
  return typeof value === 'string' && (HMAC_ALGORITHMS as readonly string[]).includes(value);
}

/**
 * The HMAC of `date + salt` keyed by the API secret, as lowercase hex. The date is signed exactly
 * as it appears in the header, never re-formatted.
 *
 * @example
 * ```ts
 * computeHmacSignature('HMAC-SHA256', 'secret-one', '2019-07-01T00:41:48Z', 'jqsba2jxjnrjor');
 * // '31a8a54a49a03deadf62279b03c8b91ef9447729474c51b4dc601aed6e5f56da'
 * ```
 */
export function computeHmacSignature(
  algorithm: HmacAlgorithm,
  apiSecret: string,
  date: string,
  salt: string,
): string {
  if (!isHmacAlgorithm(algorithm)) throw new TypeError(`Unsupported HMAC algorithm: ${String(algorithm)}`);
  return createHmac(DIGEST_OF[algorithm], apiSecret)
    .update(date + salt, 'utf8')
    .digest('hex');
}

const HEX = /^[0-9a-fA-F]+$/;

/**
 * Compares two hex signatures in constant time, ignoring letter case. Different lengths, empty or
 * non-hex input, or non-strings give `false`; it never throws.
 *
 * @example
 * ```ts
 * signaturesEqual(expected, credentials.signature) || reject('SignatureDoesNotMatch');
 * signaturesEqual('ABCDEF', 'abcdef'); // true
 * ```
 */
export function signaturesEqual(expectedHex: string, givenHex: string): boolean {
  if (typeof expectedHex !== 'string' || typeof givenHex !== 'string') return false;
  if (expectedHex.length === 0 || expectedHex.length !== givenHex.length) return false;
  if (!HEX.test(expectedHex) || !HEX.test(givenHex)) return false;
  const expected = Buffer.from(expectedHex.toLowerCase(), 'latin1');
  const given = Buffer.from(givenHex.toLowerCase(), 'latin1');
  return expected.length === given.length && timingSafeEqual(expected, given);
}
