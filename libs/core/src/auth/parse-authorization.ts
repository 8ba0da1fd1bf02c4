import { HMAC_SIGNATURE_HEX_LENGTH, type HmacAlgorithm } from './hmac-signature';

/** Longer than any algorithm's signature (SHA-512 would be 128): refused unread. */
const MAX_SIGNATURE_HEX_LENGTH = 2 * Math.max(...Object.values(HMAC_SIGNATURE_HEX_LENGTH));
import { parseIsoDateWithOffset } from './iso-date';
import { SALT_MAX_LENGTH, SALT_MIN_LENGTH } from './salt';

/**
 * Why an `Authorization` header was not understood. Every one of them is a `401 Unauthorized`.
 *
 * @example
 * ```ts
 * const reason: AuthorizationRejection = 'INVALID_SALT';
 * ```
 */
export type AuthorizationRejection =
  | 'MISSING'
  | 'TOO_LONG'
  | 'UNKNOWN_SCHEME'
  | 'MALFORMED_PARAMETERS'
  | 'UNKNOWN_PARAMETER'
  | 'DUPLICATE_PARAMETER'
  | 'MISSING_PARAMETER'
  | 'INVALID_SALT'
  | 'INVALID_SIGNATURE'
  | 'INVALID_DATE'
  | 'INVALID_TOKEN';

/**
 * The four parameters of an HMAC `Authorization` header, values exactly as received.
 *
 * @example
 * ```ts
 * const { apiKey, date, salt, signature }: HmacAuthorizationCredentials = parsed.credentials;
 * ```
 */
export interface HmacAuthorizationCredentials {
  algorithm: HmacAlgorithm;
  apiKey: string;
  /** As received: the signature covers this exact text. */
  date: string;
  salt: string;
  /** Hex, in whatever case the caller sent. */
  signature: string;
}

/**
 * Outcome of {@link parseAuthorizationHeader}.
 *
 * @example
 * ```ts
 * const parsed: AuthorizationParse = parseAuthorizationHeader(request.headers.authorization);
 * ```
 */
export type AuthorizationParse =
  | { ok: true; scheme: 'hmac'; credentials: HmacAuthorizationCredentials; dateMs: number }
  | { ok: true; scheme: 'bearer'; token: string }
  | { ok: false; reason: AuthorizationRejection };

/**
 * Longest header looked at; larger ones are refused (`TOO_LONG`) before any parsing work.
 *
 * @example
 * ```ts
 * parseAuthorizationHeader(`Bearer ${'a'.repeat(AUTHORIZATION_MAX_LENGTH)}`); // { ok: false, reason: 'TOO_LONG' }
 * ```
 */
export const AUTHORIZATION_MAX_LENGTH = 8192;

// RFC 6750 b64token (the same grammar as RFC 7235 token68).
const TOKEN68 = /^[A-Za-z0-9\-._~+/]+=*$/;
// Visible ASCII except the parameter separator and quotes: values are never quoted.
const PARAMETER_VALUE = /^[\x21\x23-\x2b\x2d-\x7e]+$/;
const HEX = /^[0-9a-fA-F]+$/;

const SCHEMES: Record<string, HmacAlgorithm | 'bearer'> = {
  'hmac-sha256': 'HMAC-SHA256',
  'hmac-md5': 'HMAC-MD5',
  bearer: 'bearer',
};

const PARAMETER_NAMES = ['apikey', 'date', 'salt', 'signature'] as const;
type ParameterName = (typeof PARAMETER_NAMES)[number];

function fail(reason: AuthorizationRejection): AuthorizationParse {
  return { ok: false, reason };
}

function isParameterName(name: string): name is ParameterName {
  return (PARAMETER_NAMES as readonly string[]).includes(name);
}

function parseHmacParameters(algorithm: HmacAlgorithm, text: string): AuthorizationParse {
  const values = new Map<ParameterName, string>();
  for (const rawPart of text.split(',')) {
    const part = rawPart.replace(/^[ \t]+|[ \t]+$/g, '');
    const equals = part.indexOf('=');
    if (equals <= 0) return fail('MALFORMED_PARAMETERS');
    const name = part.slice(0, equals).toLowerCase();
    const value = part.slice(equals + 1);
    if (!PARAMETER_VALUE.test(value)) return fail('MALFORMED_PARAMETERS');
    if (!isParameterName(name)) return fail('UNKNOWN_PARAMETER');
    if (values.has(name)) return fail('DUPLICATE_PARAMETER');
    values.set(name, value);
  }
  const apiKey = values.get('apikey');
  const date = values.get('date');
  const salt = values.get('salt');
  const signature = values.get('signature');
  if (apiKey === undefined || date === undefined || salt === undefined || signature === undefined) {
    return fail('MISSING_PARAMETER');
  }
  if (salt.length < SALT_MIN_LENGTH || salt.length > SALT_MAX_LENGTH) return fail('INVALID_SALT');
  // Only the form is checked here. A hex signature of the wrong length for its algorithm is a
  // signature that does not match (403), found by the constant-time comparison, not a malformed
  // header (401).
  if (signature.length > MAX_SIGNATURE_HEX_LENGTH || !HEX.test(signature)) return fail('INVALID_SIGNATURE');
  const dateMs = parseIsoDateWithOffset(date);
  if (dateMs === null) return fail('INVALID_DATE');
  return { ok: true, scheme: 'hmac', credentials: { algorithm, apiKey, date, salt, signature }, dateMs };
}

function parse(header: unknown): AuthorizationParse {
  if (typeof header !== 'string') return fail('MISSING');
  if (header.length > AUTHORIZATION_MAX_LENGTH) return fail('TOO_LONG');
  const trimmed = header.replace(/^[ \t]+|[ \t]+$/g, '');
  if (trimmed.length === 0) return fail('MISSING');

  const space = trimmed.indexOf(' ');
  const schemeName = (space === -1 ? trimmed : trimmed.slice(0, space)).toLowerCase();
  const scheme = Object.prototype.hasOwnProperty.call(SCHEMES, schemeName) ? SCHEMES[schemeName] : undefined;
  if (scheme === undefined) return fail('UNKNOWN_SCHEME');
  const rest = space === -1 ? '' : trimmed.slice(space).replace(/^ +/, '');

  if (scheme === 'bearer') {
    return TOKEN68.test(rest) ? { ok: true, scheme: 'bearer', token: rest } : fail('INVALID_TOKEN');
  }
  if (rest.length === 0) return fail('MISSING_PARAMETER');
  return parseHmacParameters(scheme, rest);
}

/**
 * Parses an `Authorization` header into HMAC credentials or a bearer token, without checking
 * them against any key store. Scheme and parameter names match case-insensitively (official SDKs
 * send `ApiKey=`, `Date=`); values are kept exactly. The HMAC scheme needs exactly `apiKey`,
 * `date`, `salt` and `signature`, each once, a 12-64 character salt, a hex signature of the
 * algorithm's length and a date with an offset. Never throws, whatever it is given.
 *
 * @example
 * ```ts
 * const parsed = parseAuthorizationHeader(request.headers.authorization);
 * if (!parsed.ok) throw new ApiError('Unauthorized');
 * if (parsed.scheme === 'hmac') verify(parsed.credentials, parsed.dateMs);
 * else verifyJwt(parsed.token);
 * ```
 */
export function parseAuthorizationHeader(header: string | undefined): AuthorizationParse {
  try {
    return parse(header);
  } catch {
    // Unreachable by construction; kept so a future edit can never turn a bad header into a 500.
    return fail('MALFORMED_PARAMETERS');
  }
}
