import { Logger } from '@nestjs/common';

import { openTestDatabase, ManualClock, testConfig } from '../testing/auth-test-kit';
import { ReplayCleanupTask } from './replay-cleanup.task';
import { ReplayStore } from './replay.store';

const NOW = Date.UTC(2025, 0, 15, 3, 0, 0);

describe('ReplayCleanupTask', () => {
  it('deletes the expired replay records and keeps the live ones', async () => {
    const { db } = await openTestDatabase();
    const store = new ReplayStore(db, testConfig());
    await db
      .insertInto('hmac_signatures')
      .values([
        { signature: 'a'.repeat(64), api_key_id: 'MPA', expires_at: NOW - 2 },
        { signature: 'b'.repeat(64), api_key_id: 'MPA', expires_at: NOW - 1 },
        { signature: 'c'.repeat(64), api_key_id: 'MPA', expires_at: NOW },
      ])
      .execute();

    const deleted = await new ReplayCleanupTask(store, new ManualClock(NOW)).sweep();

    expect(deleted).toBe(2);
    expect(await db.selectFrom('hmac_signatures').select('signature').execute()).toEqual([
      { signature: 'c'.repeat(64) },
    ]);
    await db.destroy();
  });

  it('keeps deleting in batches until the backlog is gone', async () => {
    const deleteExpired = jest
      .fn()
      .mockResolvedValueOnce(1000)
      .mockResolvedValueOnce(1000)
      .mockResolvedValueOnce(7);
    const task = new ReplayCleanupTask({ deleteExpired } as unknown as ReplayStore, new ManualClock(NOW));

    expect(await task.sweep()).toBe(2007);
    expect(deleteExpired).toHaveBeenCalledTimes(3);
    expect(deleteExpired).toHaveBeenCalledWith(NOW, 1000);
  });

  it('survives a failing database and reports nothing deleted', async () => {
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    const deleteExpired = jest.fn().mockRejectedValue(new Error('SQLITE_BUSY'));
    const task = new ReplayCleanupTask({ deleteExpired } as unknown as ReplayStore, new ManualClock(NOW));

    expect(await task.sweep()).toBe(0);
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('replay record cleanup failed'));
  });

  it('sweeps every minute between bootstrap and shutdown', () => {
    jest.useFakeTimers();
    try {
      const deleteExpired = jest.fn().mockResolvedValue(0);
      const task = new ReplayCleanupTask({ deleteExpired } as unknown as ReplayStore, new ManualClock(NOW));
      task.onApplicationBootstrap();
      jest.advanceTimersByTime(60_000);
      expect(deleteExpired).toHaveBeenCalledTimes(1);
      task.onApplicationShutdown();
      jest.advanceTimersByTime(180_000);
      expect(deleteExpired).toHaveBeenCalledTimes(1);
    } finally {
      jest.useRealTimers();
    }
  });
});
