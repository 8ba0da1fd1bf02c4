import { computeHmacSignature, isHmacAlgorithm, type HmacAlgorithm } from './hmac-signature';
import { generateSalt } from './salt';

/**
 * An API key and the secret it signs with.
 *
 * @example
 * ```ts
 * const credentials: HmacCredentials = { apiKey: 'NCS…', apiSecret: process.env.API_SECRET! };
 * ```
 */
export interface HmacCredentials {
  apiKey: string;
  apiSecret: string;
}

/**
 * Knobs of {@link signHmacAuthorization}; the defaults are what a real request wants.
 *
 * @example
 * ```ts
 * const fixed: SignHmacOptions = { date: '2019-07-01T00:41:48Z', salt: 'jqsba2jxjnrjor' };
 * ```
 */
export interface SignHmacOptions {
  /** Default `HMAC-SHA256`. */
  algorithm?: HmacAlgorithm;
  /** Default now. A string is signed and sent exactly as given, so tests can sign odd dates. */
  date?: Date | string;
  /** Default a fresh {@link generateSalt}. A string is used exactly as given. */
  salt?: string;
}

// A value goes into the header unquoted, so it must not contain what separates parameters.
const HEADER_SAFE_VALUE = /^[\x21-\x7e]+$/;

function assertHeaderSafe(name: string, value: unknown): asserts value is string {
  if (typeof value !== 'string' || !HEADER_SAFE_VALUE.test(value) || /[,"]/.test(value)) {
    throw new TypeError(`${name} must be a non-empty string of visible ASCII without commas or quotes`);
  }
}

/**
 * Builds an `Authorization` header value for the HMAC scheme. Call it once per request: each call
 * draws a new salt, and the service refuses a signature it has already seen.
 *
 * @returns `HMAC-SHA256 apiKey=<key>, date=<ISO 8601>, salt=<salt>, signature=<hex>`
 *
 * @example
 * ```ts
 * const authorization = signHmacAuthorization({ apiKey, apiSecret });
 * await fetch(url, { method: 'GET', headers: { authorization } });
 * ```
 */
export function signHmacAuthorization(credentials: HmacCredentials, options: SignHmacOptions = {}): string {
  const algorithm = options.algorithm ?? 'HMAC-SHA256';
  if (!isHmacAlgorithm(algorithm)) throw new TypeError(`Unsupported HMAC algorithm: ${String(algorithm)}`);
  assertHeaderSafe('apiKey', credentials.apiKey);
  if (typeof credentials.apiSecret !== 'string' || credentials.apiSecret.length === 0) {
    throw new TypeError('apiSecret must be a non-empty string');
  }
  const date =
    options.date === undefined
      ? new Date().toISOString()
      : typeof options.date === 'string'
        ? options.date
        : options.date.toISOString();
  assertHeaderSafe('date', date);
  const salt = options.salt ?? generateSalt();
  assertHeaderSafe('salt', salt);
  const signature = computeHmacSignature(algorithm, credentials.apiSecret, date, salt);
  return `${algorithm} apiKey=${credentials.apiKey}, date=${date}, salt=${salt}, signature=${signature}`;
}
