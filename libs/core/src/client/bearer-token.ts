/**
 * What the client tells a bearer-token provider when it asks for a token.
 *
 * @example
 * ```ts
 * const provider: BearerTokenProvider = ({ refresh }: BearerTokenContext) =>
 *   refresh ? tokens.renew() : tokens.current();
 * ```
 */
export interface BearerTokenContext {
  /** The request about to be sent, 1 for the first. */
  attempt: number;
  /**
   * `true` after the service answered `401` with `error="invalid_token"`: the token the provider
   * gave last was refused (expired or revoked), so return a new one, not a cached one.
   */
  refresh: boolean;
  /** Aborts when the caller gives up or the attempt times out; pass it on to a token endpoint call. */
  signal: AbortSignal;
}

/**
 * Supplies the bearer token, synchronously or not. The client calls it before every request
 * (retries included), so a provider that caches and renews tokens keeps the client's requests
 * current. After a `401` with `error="invalid_token"` it is called once more with
 * `refresh: true` and the request is sent again; a second refusal is thrown.
 *
 * @example
 * ```ts
 * const client = createMemberPhoneClient({
 *   auth: { type: 'bearer', token: async ({ refresh }) => (refresh ? await renew() : cached()) },
 * });
 * ```
 */
export type BearerTokenProvider = (context: BearerTokenContext) => string | Promise<string>;

/**
 * Whether a `WWW-Authenticate` header carries RFC 6750's `error="invalid_token"`.
 *
 * @example
 * ```ts
 * saysInvalidToken('Bearer realm="member-phone", error="invalid_token"'); // true
 * ```
 */
export function saysInvalidToken(header: string | null): boolean {
  return header !== null && /(?:^|[\s,])error\s*=\s*"?invalid_token"?/i.test(header);
}
