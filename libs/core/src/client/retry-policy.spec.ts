import {
  abortableSleep,
  backoffDelayMs,
  DEFAULT_RETRY_OPTIONS,
  requestNeverSent,
  resolveRetryOptions,
} from './retry-policy';

describe('retry policy', () => {
  it('fills in the defaults, and false means a single attempt', () => {
    expect(resolveRetryOptions(undefined)).toMatchObject(DEFAULT_RETRY_OPTIONS);
    expect(resolveRetryOptions(false)).toMatchObject({ ...DEFAULT_RETRY_OPTIONS, maxAttempts: 1 });
    expect(resolveRetryOptions({ maxAttempts: 5 }).maxAttempts).toBe(5);
  });

  it.each([
    { maxAttempts: 0 },
    { maxAttempts: 1.5 },
    { baseDelayMs: -1 },
    { maxElapsedMs: 0 },
    { maxRetryAfterMs: Number.NaN },
    { random: 'x' as never },
  ])('refuses %p', (options) => {
    expect(() => resolveRetryOptions(options)).toThrow();
  });

  it('backs off exponentially under a ceiling, scaled by full jitter', () => {
    const top = resolveRetryOptions({ baseDelayMs: 100, maxDelayMs: 1000, random: () => 0.999999 });
    expect([1, 2, 3, 4, 5, 6].map((retry) => backoffDelayMs(top, retry))).toEqual([
      99, 199, 399, 799, 999, 999,
    ]);
    const bottom = resolveRetryOptions({ baseDelayMs: 100, random: () => 0 });
    expect(backoffDelayMs(bottom, 4)).toBe(0);
    const half = resolveRetryOptions({ baseDelayMs: 100, random: () => 0.5 });
    expect(backoffDelayMs(half, 3)).toBe(200);
  });

  it('spreads real jitter across the whole range', () => {
    const options = resolveRetryOptions({ baseDelayMs: 1000, maxDelayMs: 1000 });
    const waits = Array.from({ length: 200 }, () => backoffDelayMs(options, 1));
    expect(Math.min(...waits)).toBeLessThan(250);
    expect(Math.max(...waits)).toBeGreaterThan(750);
    expect(waits.every((w) => w >= 0 && w < 1000)).toBe(true);
  });

  it('knows which network errors prove nothing was sent', () => {
    expect(
      ['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'UND_ERR_CONNECT_TIMEOUT'].map(requestNeverSent),
    ).toEqual([true, true, true, true]);
    expect(['ECONNRESET', 'UND_ERR_SOCKET', 'ETIMEDOUT', undefined].map(requestNeverSent)).toEqual([
      false,
      false,
      false,
      false,
    ]);
  });

  it('sleeps, or rejects with the abort reason as soon as the signal aborts', async () => {
    const started = Date.now();
    await abortableSleep(20);
    expect(Date.now() - started).toBeGreaterThanOrEqual(15);

    const controller = new AbortController();
    const reason = new Error('stop');
    setTimeout(() => controller.abort(reason), 10);
    await expect(abortableSleep(60_000, controller.signal)).rejects.toBe(reason);
    await expect(abortableSleep(10, AbortSignal.abort(reason))).rejects.toBe(reason);
  });
});
