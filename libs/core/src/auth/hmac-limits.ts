/**
 * How far a request's `date` may be from the server's clock, either way, before the answer is
 * `403 RequestTimeTooSkewed` (DESIGN section 3).
 *
 * @example
 * ```ts
 * const late = Math.abs(Date.now() - Date.parse(date)) > HMAC_MAX_CLOCK_SKEW_MS;
 * ```
 */
export const HMAC_MAX_CLOCK_SKEW_MS = 15 * 60 * 1000;

/**
 * How long an accepted signature is remembered: the same signature within this window is
 * `403 DuplicatedSignature`, on any replica.
 *
 * @example
 * ```ts
 * const replayed = seenAt !== undefined && now - seenAt < HMAC_REPLAY_WINDOW_MS;
 * ```
 */
export const HMAC_REPLAY_WINDOW_MS = 15 * 60 * 1000;
