/** At most `limit` hits per fixed window of `windowMs`, windows aligned to the epoch. */
export interface RateLimitRule {
  readonly limit: number;
  readonly windowMs: number;
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
