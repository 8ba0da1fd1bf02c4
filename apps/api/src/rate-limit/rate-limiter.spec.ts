import { openTestDatabase, type TestDatabase } from '../ars/testing/ars-test-kit';
import { RateLimiter } from './rate-limiter';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
// 10:00:00.000 UTC: the start of an hourly window.
const TEN_O_CLOCK = Date.UTC(2025, 0, 15, 10, 0, 0);

describe('RateLimiter', () => {
  let database: TestDatabase;
  let limiter: RateLimiter;
  let sequence = 0;
  const key = (name: string) => `test:${name}:${(sequence += 1)}`;

  const hitsOf = async (bucketKey: string) => {
    const rows = await database.handle.db
      .selectFrom('rate_limit_buckets')
      .select(['hits', 'window_start', 'expires_at'])
      .where('bucket_key', '=', bucketKey)
      .execute();
    return rows.map((r) => Number(r.hits));
  };

  beforeAll(async () => {
    database = await openTestDatabase();
    limiter = new RateLimiter(database.handle.db);
  });
  afterAll(() => database.close());

  it('allows up to the limit in a window, then refuses until the window ends', async () => {
    const bucket = key('hourly');
    const checks = [{ key: bucket, rule: { limit: 3, windowMs: HOUR } }];
    const db = database.handle.db;

    const verdicts = [];
    for (let i = 0; i < 4; i += 1)
      verdicts.push(await limiter.consume(db, checks, TEN_O_CLOCK + 20 * MINUTE));

    expect(verdicts.slice(0, 3)).toEqual([{ allowed: true }, { allowed: true }, { allowed: true }]);
    expect(verdicts[3]).toEqual({ allowed: false, key: bucket, retryAfterSeconds: 40 * 60 });
    expect(await hitsOf(bucket)).toEqual([3]);
    expect(await limiter.consume(db, checks, TEN_O_CLOCK + HOUR)).toEqual({ allowed: true });
  });

  it('reports at least one second of Retry-After at the very end of a window', async () => {
    const bucket = key('end');
    const checks = [{ key: bucket, rule: { limit: 1, windowMs: HOUR } }];
    await limiter.consume(database.handle.db, checks, TEN_O_CLOCK);

    expect(await limiter.consume(database.handle.db, checks, TEN_O_CLOCK + HOUR - 1)).toEqual({
      allowed: false,
      key: bucket,
      retryAfterSeconds: 1,
    });
  });

  it('measures a sliding rule from its first hit, so a cooldown never straddles a clock window', async () => {
    const bucket = key('cooldown');
    const checks = [{ key: bucket, rule: { limit: 1, windowMs: 30_000, sliding: true } }];
    const db = database.handle.db;
    // One millisecond before an aligned 30 s boundary: an aligned window would reopen 2 ms later.
    const first = TEN_O_CLOCK + 30_000 - 1;
    expect(await limiter.consume(db, checks, first)).toEqual({ allowed: true });
    expect(await limiter.consume(db, checks, first + 2)).toEqual({
      allowed: false,
      key: bucket,
      retryAfterSeconds: 30,
    });
    expect(await limiter.consume(db, checks, first + 29_999)).toMatchObject({ retryAfterSeconds: 1 });
    expect(await limiter.consume(db, checks, first + 30_000)).toEqual({ allowed: true });
    const rows = await db
      .selectFrom('rate_limit_buckets')
      .select(['hits', 'expires_at'])
      .where('bucket_key', '=', bucket)
      .execute();
    expect(rows.map((r) => ({ hits: Number(r.hits), expiresAt: Number(r.expires_at) }))).toEqual([
      { hits: 1, expiresAt: first + 60_000 },
    ]);
  });

  it('counts up to the limit of a sliding rule and gives parallel requests no more', async () => {
    const bucket = key('sliding-parallel');
    const checks = [{ key: bucket, rule: { limit: 3, windowMs: HOUR, sliding: true } }];
    const verdicts = await Promise.all(
      Array.from({ length: 10 }, () => limiter.consume(database.handle.db, checks, TEN_O_CLOCK)),
    );
    expect(verdicts.filter((v) => v.allowed)).toHaveLength(3);
    expect(await hitsOf(bucket)).toEqual([3]);
  });

  it('takes no counter from any bucket when one of them refuses', async () => {
    const first = key('first');
    const full = key('full');
    const last = key('last');
    const db = database.handle.db;
    await limiter.consume(db, [{ key: full, rule: { limit: 1, windowMs: HOUR } }], TEN_O_CLOCK);

    const verdict = await limiter.consume(
      db,
      [
        { key: first, rule: { limit: 10, windowMs: HOUR } },
        { key: full, rule: { limit: 1, windowMs: HOUR } },
        { key: last, rule: { limit: 10, windowMs: HOUR } },
      ],
      TEN_O_CLOCK + MINUTE,
    );

    expect(verdict).toMatchObject({ allowed: false, key: full });
    expect(await hitsOf(first)).toEqual([]);
    expect(await hitsOf(full)).toEqual([1]);
    expect(await hitsOf(last)).toEqual([]);
  });

  it('inside an open transaction, rolls back only its own hits and leaves the transaction usable', async () => {
    const kept = key('kept');
    const full = key('full-in-trx');
    const db = database.handle.db;
    await limiter.consume(db, [{ key: full, rule: { limit: 1, windowMs: HOUR } }], TEN_O_CLOCK);

    const verdict = await db.transaction().execute(async (trx) => {
      const result = await limiter.consume(
        trx,
        [
          { key: kept, rule: { limit: 5, windowMs: HOUR } },
          { key: full, rule: { limit: 1, windowMs: HOUR } },
        ],
        TEN_O_CLOCK,
      );
      await limiter.consume(trx, [{ key: kept, rule: { limit: 5, windowMs: HOUR } }], TEN_O_CLOCK);
      return result;
    });

    expect(verdict).toMatchObject({ allowed: false, key: full });
    expect(await hitsOf(kept)).toEqual([1]);
  });

  it('never lets parallel requests past the limit', async () => {
    const bucket = key('parallel');
    const checks = [{ key: bucket, rule: { limit: 3, windowMs: HOUR } }];

    const verdicts = await Promise.all(
      Array.from({ length: 12 }, () => limiter.consume(database.handle.db, checks, TEN_O_CLOCK)),
    );

    expect(verdicts.filter((v) => v.allowed)).toHaveLength(3);
    expect(await hitsOf(bucket)).toEqual([3]);
  });

  it('deletes expired windows in bounded batches and keeps current ones', async () => {
    const db = database.handle.db;
    await db.deleteFrom('rate_limit_buckets').execute();
    for (let i = 0; i < 3; i += 1) {
      await limiter.consume(db, [{ key: key('old'), rule: { limit: 5, windowMs: MINUTE } }], TEN_O_CLOCK);
    }
    const current = key('current');
    await limiter.consume(db, [{ key: current, rule: { limit: 5, windowMs: HOUR } }], TEN_O_CLOCK);

    const now = TEN_O_CLOCK + 2 * MINUTE;
    expect(await limiter.deleteExpired(now, 2)).toBe(2);
    expect(await limiter.deleteExpired(now, 2)).toBe(1);
    expect(await limiter.deleteExpired(now, 2)).toBe(0);
    const left = await db.selectFrom('rate_limit_buckets').select('bucket_key').execute();
    expect(left.map((r) => r.bucket_key)).toEqual([current]);
  });
});
