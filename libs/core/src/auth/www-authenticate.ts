/**
 * Realm named in the service's `WWW-Authenticate` challenges.
 *
 * @example
 * ```ts
 * WWW_AUTHENTICATE_CHALLENGE.includes(`realm="${AUTH_REALM}"`); // true
 * ```
 */
export const AUTH_REALM = 'member-phone';

/**
 * `WWW-Authenticate` of every `401`: both schemes the API accepts (RFC 9110 §11.6.1). The
 * service sends it and the test kit fakes it, so both read it from here.
 *
 * @example
 * ```ts
 * reply.header('WWW-Authenticate', WWW_AUTHENTICATE_CHALLENGE);
 * // 'HMAC-SHA256 realm="member-phone", Bearer realm="member-phone"'
 * ```
 */
export const WWW_AUTHENTICATE_CHALLENGE = `HMAC-SHA256 realm="${AUTH_REALM}", Bearer realm="${AUTH_REALM}"`;
