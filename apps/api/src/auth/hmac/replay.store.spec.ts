import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { DatabaseHandle } from '../../database/create-database';
import { openTestDatabase, testConfig } from '../testing/auth-test-kit';
import { ReplayStore } from './replay.store';

const MINUTE = 60_000;
const NOW = Date.UTC(2025, 0, 15, 3, 0, 0);
const SIG = 'ab'.repeat(32);

describe('ReplayStore', () => {
  const config = testConfig();

  describe('on an in-memory database', () => {
    let handle: DatabaseHandle;
    let store: ReplayStore;

    beforeEach(async () => {
      handle = await openTestDatabase();
      store = new ReplayStore(handle.db, config);
    });

    afterEach(async () => {
      await handle.db.destroy();
    });

    const rows = () => handle.db.selectFrom('hmac_signatures').selectAll().orderBy('signature').execute();

    it('claims a new signature once, lower-cased, and refuses it in any letter case afterwards', async () => {
      expect(
        await store.claim({ signature: SIG.toUpperCase(), apiKeyId: 'MPA', dateMs: NOW, now: NOW }),
      ).toBe(true);
      expect(await store.claim({ signature: SIG, apiKeyId: 'MPA', dateMs: NOW, now: NOW + 1000 })).toBe(
        false,
      );
      expect(
        await store.claim({ signature: SIG.toUpperCase(), apiKeyId: 'MPB', dateMs: NOW, now: NOW + 1000 }),
      ).toBe(false);
      expect(await rows()).toEqual([{ signature: SIG, api_key_id: 'MPA', expires_at: NOW + 15 * MINUTE }]);
    });

    it('remembers a future-dated signature until date + max skew, past now + replay window', async () => {
      const dateMs = NOW + 14 * MINUTE;
      await store.claim({ signature: SIG, apiKeyId: 'MPA', dateMs, now: NOW });
      expect((await rows())[0]?.expires_at).toBe(dateMs + 15 * MINUTE);
      // Still clock-valid at date + 15 min, so still a duplicate then.
      expect(await store.claim({ signature: SIG, apiKeyId: 'MPA', dateMs, now: dateMs + 15 * MINUTE })).toBe(
        false,
      );
    });

    it('remembers a past-dated signature at least for the replay window from now', async () => {
      await store.claim({ signature: SIG, apiKeyId: 'MPA', dateMs: NOW - 14 * MINUTE, now: NOW });
      expect((await rows())[0]?.expires_at).toBe(NOW + 15 * MINUTE);
    });

    it('takes over an expired record in the same statement', async () => {
      await store.claim({ signature: SIG, apiKeyId: 'MPA', dateMs: NOW, now: NOW });
      const later = NOW + 15 * MINUTE + 1;
      expect(await store.claim({ signature: SIG, apiKeyId: 'MPB', dateMs: later, now: later })).toBe(true);
      expect(await rows()).toEqual([{ signature: SIG, api_key_id: 'MPB', expires_at: later + 15 * MINUTE }]);
    });

    it('deletes only expired records, at most `limit` per call', async () => {
      for (let i = 0; i < 5; i++) {
        await store.claim({
          signature: `${i}`.repeat(64),
          apiKeyId: 'MPA',
          dateMs: NOW + i * MINUTE,
          now: NOW,
        });
      }
      // Expiries are NOW+15..NOW+19 minutes; at NOW+17m30s three have expired.
      const at = NOW + 17.5 * MINUTE;
      expect(await store.deleteExpired(at, 2)).toBe(2);
      expect(await store.deleteExpired(at, 2)).toBe(1);
      expect(await store.deleteExpired(at, 2)).toBe(0);
      expect((await rows()).map((r) => r.signature)).toEqual(['3'.repeat(64), '4'.repeat(64)]);
    });
  });

  describe('on a SQLite file shared by several connections', () => {
    let dir: string;
    const handles: DatabaseHandle[] = [];

    beforeEach(() => {
      dir = mkdtempSync(join(tmpdir(), 'replay-store-'));
    });

    afterEach(async () => {
      await Promise.all(handles.splice(0).map((h) => h.db.destroy()));
      rmSync(dir, { recursive: true, force: true });
    });

    it('gives exactly one of N parallel claims of one signature', async () => {
      const file = join(dir, 'replay.sqlite');
      for (let i = 0; i < 4; i++) handles.push(await openTestDatabase(file));
      const stores = handles.map((h) => new ReplayStore(h.db, config));

      const results = await Promise.all(
        Array.from({ length: 40 }, (_, i) =>
          stores[i % stores.length]!.claim({ signature: SIG, apiKeyId: 'MPA', dateMs: NOW, now: NOW }),
        ),
      );

      expect(results.filter(Boolean)).toHaveLength(1);
      const stored = await handles[0]!.db.selectFrom('hmac_signatures').selectAll().execute();
      expect(stored).toEqual([{ signature: SIG, api_key_id: 'MPA', expires_at: NOW + 15 * MINUTE }]);
    });

    it('gives exactly one of N parallel take-overs of one expired record', async () => {
      const file = join(dir, 'replay.sqlite');
      for (let i = 0; i < 3; i++) handles.push(await openTestDatabase(file));
      const stores = handles.map((h) => new ReplayStore(h.db, config));
      await stores[0]!.claim({ signature: SIG, apiKeyId: 'MPA', dateMs: NOW, now: NOW });
      const later = NOW + 16 * MINUTE;

      const results = await Promise.all(
        Array.from({ length: 30 }, (_, i) =>
          stores[i % stores.length]!.claim({ signature: SIG, apiKeyId: `MP${i}`, dateMs: later, now: later }),
        ),
      );

      expect(results.filter(Boolean)).toHaveLength(1);
    });
  });
});
