import { Logger } from '@nestjs/common';

import { ReplayStore } from '../auth/hmac/replay.store';
import { insertMember, testConfig } from '../auth/testing/auth-test-kit';
import { ManualClock } from '../common/testing/manual-clock';
import type { ArsVerificationRow } from '../database/schema';
import { openTestDatabase, type TestDatabase } from '../database/testing/test-database';
import { RateLimiter } from '../rate-limit/rate-limiter';
import { CLEANUP_BATCH, ExpiredRowsCleaner } from './expired-rows.cleaner';
import { ExpiredVerifications, VERIFICATION_RETENTION_MS } from './expired-verifications';

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

/** A cleaner over stubs: replay records, rate-limit windows, verifications. */
function stubbedCleaner(replay: ReturnType<typeof stub>, limits = stub([]), verifications = stub([])) {
  return new ExpiredRowsCleaner(
    replay,
    limits as unknown as RateLimiter,
    verifications as unknown as ExpiredVerifications,
    new ManualClock(NOW),
  );
}

function verification(id: string, memberId: string, expireAt: number): ArsVerificationRow {
  return {
    id,
    member_id: memberId,
    phone_number: '01000000000',
    credential_id: 'apikey:MPA',
    code_hash: 'h'.repeat(64),
    status: 'CONSUMED',
    attempts: 1,
    provider_call_id: null,
    date_created: expireAt - 300_000,
    expire_at: expireAt,
    verified_at: expireAt - 300_000,
    consumed_at: expireAt - 200_000,
    date_updated: expireAt - 200_000,
  };
}

describe('ExpiredRowsCleaner', () => {
  let database: TestDatabase;

  beforeEach(async () => {
    database = await openTestDatabase();
  });

  afterEach(() => database.close());

  const realCleaner = () =>
    new ExpiredRowsCleaner(
      new ReplayStore(database.db, testConfig()),
      new RateLimiter(database.db),
      new ExpiredVerifications(database.db),
      new ManualClock(NOW),
    );

  it('deletes expired replay records, rate-limit windows and old verifications, and keeps the live ones', async () => {
    const { db } = database;
    const member = await insertMember(db);
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
    await db
      .insertInto('ars_verifications')
      .values([
        verification('ended-long-ago', member.id, NOW - VERIFICATION_RETENTION_MS - 1),
        verification('ended-today', member.id, NOW - 60_000),
        verification('still-usable', member.id, NOW + 60_000),
      ])
      .execute();

    expect(await realCleaner().sweep()).toBe(3);
    expect(await db.selectFrom('hmac_signatures').select('signature').execute()).toEqual([
      { signature: 'c'.repeat(64) },
    ]);
    expect(await db.selectFrom('rate_limit_buckets').select('bucket_key').execute()).toEqual([
      { bucket_key: 'live' },
    ]);
    expect(
      (await db.selectFrom('ars_verifications').select('id').orderBy('id').execute()).map((r) => r.id),
    ).toEqual(['ended-today', 'still-usable']);
  });

  it('works off a backlog larger than one batch and leaves nothing expired behind', async () => {
    const rows = Array.from({ length: CLEANUP_BATCH * 2 + 17 }, (_, i) => ({
      signature: i.toString(16).padStart(64, '0'),
      api_key_id: 'MPA',
      expires_at: NOW - 1 - i,
    }));
    for (let i = 0; i < rows.length; i += 200) {
      await database.db
        .insertInto('hmac_signatures')
        .values(rows.slice(i, i + 200))
        .execute();
    }
    await database.db
      .insertInto('hmac_signatures')
      .values({ signature: 'f'.repeat(64), api_key_id: 'MPA', expires_at: NOW + 1 })
      .execute();

    expect(await realCleaner().sweep()).toBe(rows.length);
    expect(await database.db.selectFrom('hmac_signatures').select('signature').execute()).toEqual([
      { signature: 'f'.repeat(64) },
    ]);
  });

  it('keeps deleting in batches until the backlog is gone', async () => {
    const replay = stub([CLEANUP_BATCH, CLEANUP_BATCH, 7]);
    const limits = stub([3]);
    const verifications = stub([2]);
    expect(await stubbedCleaner(replay, limits, verifications).sweep()).toBe(2 * CLEANUP_BATCH + 12);
    expect(replay.deleteExpired).toHaveBeenCalledTimes(3);
    expect(replay.deleteExpired).toHaveBeenCalledWith(NOW, CLEANUP_BATCH);
    expect(limits.deleteExpired).toHaveBeenCalledTimes(1);
    expect(verifications.deleteExpired).toHaveBeenCalledTimes(1);
  });

  it('goes on with the next table when one fails, and never throws', async () => {
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    const limits = stub([4]);
    expect(await stubbedCleaner(stub(new Error('SQLITE_BUSY')), limits).sweep()).toBe(4);
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('cleanup of hmac_signatures failed'));
  });

  it('sweeps once within the first minute, then every minute, until shutdown', async () => {
    jest.useFakeTimers();
    try {
      const replay = stub([]);
      const cleaner = stubbedCleaner(replay);
      cleaner.onApplicationBootstrap();
      await jest.advanceTimersByTimeAsync(60_000);
      expect(replay.deleteExpired).toHaveBeenCalledTimes(1);
      await jest.advanceTimersByTimeAsync(60_000);
      expect(replay.deleteExpired).toHaveBeenCalledTimes(2);
      cleaner.onApplicationShutdown();
      await jest.advanceTimersByTimeAsync(180_000);
      expect(replay.deleteExpired).toHaveBeenCalledTimes(2);
    } finally {
      jest.useRealTimers();
    }
  });

  it('starts each replica at a different point of the minute, so replicas do not sweep in step', () => {
    jest.useFakeTimers();
    const random = jest.spyOn(Math, 'random');
    try {
      const firstTicks = [0.1, 0.9].map((value) => {
        random.mockReturnValue(value);
        const replay = stub([]);
        const cleaner = stubbedCleaner(replay);
        cleaner.onApplicationBootstrap();
        jest.advanceTimersByTime(30_000);
        const swept = replay.deleteExpired.mock.calls.length;
        cleaner.onApplicationShutdown();
        return swept;
      });
      expect(firstTicks).toEqual([1, 0]);
    } finally {
      jest.useRealTimers();
    }
  });
});
