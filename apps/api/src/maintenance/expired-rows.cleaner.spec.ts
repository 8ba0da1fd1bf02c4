import { Logger } from '@nestjs/common';

import { ReplayStore } from '../auth/hmac/replay.store';
import { openTestDatabase, testConfig } from '../auth/testing/auth-test-kit';
import { ManualClock } from '../common/testing/manual-clock';
import { RateLimiter } from '../rate-limit/rate-limiter';
import { ExpiredRowsCleaner } from './expired-rows.cleaner';

const NOW = Date.UTC(2025, 0, 15, 3, 0, 0);

/** A store whose deleteExpired answers the given counts, then 0; or always fails. */
function stub(counts: number[] | Error) {
  const deleteExpired = jest.fn<Promise<number>, [number, number]>();
  if (counts instanceof Error) deleteExpired.mockRejectedValue(counts);
  else {
    deleteExpired.mockResolvedValue(0);
    for (const n of counts) deleteExpired.mockResolvedValueOnce(n);
  }
  return { deleteExpired } as unknown as ReplayStore & { deleteExpired: typeof deleteExpired };
}

describe('ExpiredRowsCleaner', () => {
  it('deletes expired replay records and rate-limit windows and keeps the live ones', async () => {
    const { db } = await openTestDatabase();
    await db
      .insertInto('hmac_signatures')
      .values([
        { signature: 'a'.repeat(64), api_key_id: 'MPA', expires_at: NOW - 2 },
        { signature: 'c'.repeat(64), api_key_id: 'MPA', expires_at: NOW },
      ])
      .execute();
    await db
      .insertInto('rate_limit_buckets')
      .values([
        { bucket_key: 'old', window_start: 0, hits: 1, expires_at: NOW - 1 },
        { bucket_key: 'live', window_start: NOW, hits: 1, expires_at: NOW + 60_000 },
      ])
      .execute();
    const cleaner = new ExpiredRowsCleaner(
      new ReplayStore(db, testConfig()),
      new RateLimiter(db),
      new ManualClock(NOW),
    );

    expect(await cleaner.sweep()).toBe(2);
    expect(await db.selectFrom('hmac_signatures').select('signature').execute()).toEqual([
      { signature: 'c'.repeat(64) },
    ]);
    expect(await db.selectFrom('rate_limit_buckets').select('bucket_key').execute()).toEqual([
      { bucket_key: 'live' },
    ]);
    await db.destroy();
  });

  it('keeps deleting in batches until the backlog is gone', async () => {
    const replay = stub([1000, 1000, 7]);
    const limits = stub([3]);
    expect(
      await new ExpiredRowsCleaner(replay, limits as unknown as RateLimiter, new ManualClock(NOW)).sweep(),
    ).toBe(2010);
    expect(replay.deleteExpired).toHaveBeenCalledTimes(3);
    expect(replay.deleteExpired).toHaveBeenCalledWith(NOW, 1000);
    expect(limits.deleteExpired).toHaveBeenCalledTimes(1);
  });

  it('goes on with the next table when one fails, and never throws', async () => {
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    const limits = stub([4]);
    expect(
      await new ExpiredRowsCleaner(
        stub(new Error('SQLITE_BUSY')),
        limits as unknown as RateLimiter,
        new ManualClock(NOW),
      ).sweep(),
    ).toBe(4);
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('cleanup of hmac_signatures failed'));
  });

  it('sweeps every minute between bootstrap and shutdown', () => {
    jest.useFakeTimers();
    try {
      const replay = stub([]);
      const cleaner = new ExpiredRowsCleaner(
        replay,
        stub([]) as unknown as RateLimiter,
        new ManualClock(NOW),
      );
      cleaner.onApplicationBootstrap();
      jest.advanceTimersByTime(60_000);
      expect(replay.deleteExpired).toHaveBeenCalledTimes(1);
      cleaner.onApplicationShutdown();
      jest.advanceTimersByTime(180_000);
      expect(replay.deleteExpired).toHaveBeenCalledTimes(1);
    } finally {
      jest.useRealTimers();
    }
  });
});
