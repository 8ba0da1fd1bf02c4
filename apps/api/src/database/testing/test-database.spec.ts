import { existsSync } from 'node:fs';

import { insertMember } from '../../auth/testing/auth-test-kit';
import { openTestDatabase, testDialect, testPostgresUrl } from './test-database';

function withEnv<T>(env: Record<string, string | undefined>, body: () => T): T {
  const saved = Object.fromEntries(Object.keys(env).map((name) => [name, process.env[name]]));
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  try {
    return body();
  } finally {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  }
}

describe('testPostgresUrl', () => {
  it('is undefined for SQLite runs, the URL for PostgreSQL runs', () => {
    expect(
      withEnv({ TEST_DATABASE_URL: undefined, REQUIRE_POSTGRES: undefined }, testPostgresUrl),
    ).toBeUndefined();
    expect(withEnv({ TEST_DATABASE_URL: ' postgres://h/db ', REQUIRE_POSTGRES: '1' }, testPostgresUrl)).toBe(
      'postgres://h/db',
    );
  });

  it('fails loudly when REQUIRE_POSTGRES=1 has no URL, or the URL is not a PostgreSQL one', () => {
    expect(() => withEnv({ TEST_DATABASE_URL: undefined, REQUIRE_POSTGRES: '1' }, testPostgresUrl)).toThrow(
      /REQUIRE_POSTGRES=1 but TEST_DATABASE_URL is not set/,
    );
    expect(() =>
      withEnv({ TEST_DATABASE_URL: 'mysql://h/db', REQUIRE_POSTGRES: undefined }, testPostgresUrl),
    ).toThrow(/postgres:\/\//);
  });
});

describe('openTestDatabase', () => {
  it(`opens a migrated ${testDialect()} database that is gone once closed`, async () => {
    const database = await openTestDatabase();
    expect(database.dialect).toBe(testDialect());
    expect(database.handle).toBe(database);
    const member = await insertMember(database.db);
    expect(await database.db.selectFrom('members').select('id').execute()).toEqual([{ id: member.id }]);

    const serverUrl = testPostgresUrl();
    const where = database.settings.dialect === 'sqlite' ? database.settings.file : '';
    await database.db.destroy();
    if (serverUrl) {
      // Emptied and kept for the next spec of this file, or dropped: either way no row survives.
      const next = await openTestDatabase();
      expect(await next.db.selectFrom('members').select('id').execute()).toEqual([]);
      await next.close();
    } else {
      expect(existsSync(where)).toBe(false);
    }
  });

  it('gives handles opened with one shared key the same database, as replicas share one', async () => {
    const first = await openTestDatabase({ shared: 'replicas' });
    const second = await openTestDatabase({ shared: 'replicas' });
    const other = await openTestDatabase();
    try {
      const member = await insertMember(first.db);
      expect(await second.db.selectFrom('members').select('id').execute()).toEqual([{ id: member.id }]);
      expect(await other.db.selectFrom('members').select('id').execute()).toEqual([]);
    } finally {
      await Promise.all([first.close(), second.close(), other.close()]);
    }
  });

  it('closes once however often it is told to', async () => {
    const database = await openTestDatabase();
    await Promise.all([database.close(), database.close(), database.db.destroy()]);
    await expect(database.close()).resolves.toBeUndefined();
  });
});
