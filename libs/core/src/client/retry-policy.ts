/**
 * How the client retries a failed call. Only idempotent calls (`GET`, and the `PUT`, which the
 * service answers `200` when the number is already the requested one) are retried on network
 * errors, timeouts and `502`/`503`/`504`; the ARS start (`POST`, which places a paid call) only when
 * the connection was refused before anything was sent. A `4xx` is never retried. Every attempt is
 * signed afresh.
 *
 * @example
 * ```ts
 * const retry: RetryOptions = { maxAttempts: 4, baseDelayMs: 100, maxElapsedMs: 20_000 };
 * const client = createMemberPhoneClient({ auth, retry });
 * ```
 */
export interface RetryOptions {
  /** Requests per call, the first one included. Default 3; 1 turns retrying off. */
  maxAttempts?: number;
  /** Backoff before the second attempt, doubled after each: the cap of the random wait. Default 200. */
  baseDelayMs?: number;
  /** Ceiling of one backoff. Default 5000. */
  maxDelayMs?: number;
  /** The longest `Retry-After` honoured; a longer one ends the retries. Default 10000. */
  maxRetryAfterMs?: number;
  /** Whole call, attempts and waits together; no retry starts beyond it. Default 30000. */
  maxElapsedMs?: number;
  /** Source of jitter in [0, 1). Default `Math.random`. */
  random?: () => number;
}

/**
 * {@link RetryOptions} with every default filled in.
 *
 * @example
 * ```ts
 * resolveRetryOptions(undefined).maxAttempts; // 3
 * resolveRetryOptions(false).maxAttempts; // 1
 * ```
 */
export type ResolvedRetryOptions = Required<RetryOptions>;

/**
 * The policy used when the client is given no `retry` option.
 *
 * @example
 * ```ts
 * DEFAULT_RETRY_OPTIONS.maxAttempts; // 3
 * ```
 */
export const DEFAULT_RETRY_OPTIONS: Readonly<Omit<ResolvedRetryOptions, 'random'>> = {
  maxAttempts: 3,
  baseDelayMs: 200,
  maxDelayMs: 5000,
  maxRetryAfterMs: 10_000,
  maxElapsedMs: 30_000,
};

// setTimeout's ceiling.
const MAX_MS = 2_147_483_647;

function checkedMs(name: string, value: number, min: number): number {
  if (!Number.isInteger(value) || value < min || value > MAX_MS) {
    throw new RangeError(`retry.${name} must be an integer from ${min} to ${MAX_MS}`);
  }
  return value;
}

/**
 * Fills in and checks a `retry` option: `false` means one attempt, `undefined` the defaults.
 *
 * @throws RangeError for a value that is not a whole number in range
 *
 * @example
 * ```ts
 * resolveRetryOptions({ maxAttempts: 5 }).baseDelayMs; // 200
 * ```
 */
export function resolveRetryOptions(retry: RetryOptions | false | undefined): ResolvedRetryOptions {
  const options = retry === false ? { maxAttempts: 1 } : (retry ?? {});
  const random = options.random ?? Math.random;
  if (typeof random !== 'function') throw new TypeError('retry.random must be a function');
  return {
    maxAttempts: checkedMs('maxAttempts', options.maxAttempts ?? DEFAULT_RETRY_OPTIONS.maxAttempts, 1),
    baseDelayMs: checkedMs('baseDelayMs', options.baseDelayMs ?? DEFAULT_RETRY_OPTIONS.baseDelayMs, 0),
    maxDelayMs: checkedMs('maxDelayMs', options.maxDelayMs ?? DEFAULT_RETRY_OPTIONS.maxDelayMs, 0),
    maxRetryAfterMs: checkedMs(
      'maxRetryAfterMs',
      options.maxRetryAfterMs ?? DEFAULT_RETRY_OPTIONS.maxRetryAfterMs,
      0,
    ),
    maxElapsedMs: checkedMs('maxElapsedMs', options.maxElapsedMs ?? DEFAULT_RETRY_OPTIONS.maxElapsedMs, 1),
    random,
  };
}

/**
 * The wait before retry number `retry` (1 for the second attempt): "full jitter", a uniform
 * random value between 0 and the exponential cap, so many clients failing together spread out.
 *
 * @example
 * ```ts
 * backoffDelayMs(resolveRetryOptions({ random: () => 0.5 }), 2); // 0.5 × min(5000, 200 × 2) = 200
 * ```
 */
export function backoffDelayMs(options: ResolvedRetryOptions, retry: number): number {
  const cap = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** Math.max(0, retry - 1));
  const jitter = Math.min(Math.max(options.random(), 0), 1);
  return Math.floor(cap * jitter);
}

/**
 * Statuses the client retries on idempotent calls: a gateway or the service itself saying "not
 * now", not "no".
 *
 * @example
 * ```ts
 * RETRYABLE_STATUSES.includes(503); // true
 * RETRYABLE_STATUSES.includes(500); // false: a bug does not heal by asking again
 * ```
 */
export const RETRYABLE_STATUSES: readonly number[] = [502, 503, 504];

// Errors raised while connecting: nothing reached the server, so even a POST may go again.
const NOT_SENT_CODES: readonly string[] = [
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  // undici's own name for a connection that could not be established in time.
  'UND_ERR_CONNECT_TIMEOUT',
];

/**
 * Whether a network error proves the request never reached the server.
 *
 * @example
 * ```ts
 * requestNeverSent('ECONNREFUSED'); // true
 * requestNeverSent('ECONNRESET'); // false: the server may have acted on it
 * ```
 */
export function requestNeverSent(code: string | undefined): boolean {
  return code !== undefined && NOT_SENT_CODES.includes(code);
}

/**
 * Waits `ms`, or rejects with the signal's reason as soon as it aborts.
 *
 * @example
 * ```ts
 * await abortableSleep(250, controller.signal);
 * ```
 */
export function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason as Error);
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason as Error);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
