/**
 * At most `limit` hits per fixed window of `windowMs`, windows aligned to the epoch. A `sliding`
 * rule opens its window at the first hit instead, so `limit: 1` is a true cooldown: two hits are
 * always at least `windowMs` apart, where aligned windows let two hits straddle a boundary 1 ms apart.
 */
export interface RateLimitRule {
  readonly limit: number;
  readonly windowMs: number;
  readonly sliding?: boolean;
}

/** One counter to take: the bucket `key` under its `rule`. */
export interface RateLimitCheck {
  readonly key: string;
  readonly rule: RateLimitRule;
}

/** Outcome of {@link RateLimiter.consume}: on refusal, the first full bucket and when it reopens. */
export type RateLimitVerdict =
  | { readonly allowed: true }
  | { readonly allowed: false; readonly key: string; readonly retryAfterSeconds: number };
