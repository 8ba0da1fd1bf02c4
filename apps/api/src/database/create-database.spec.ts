import {
  createDatabase,
  describeSettings,
  POSTGRES_POOL_DEFAULTS,
  postgresSettings,
} from './create-database';

describe('postgresSettings', () => {
  it('keeps server, user and pool settings, and drops the password and query of the URL', () => {
    const settings = postgresSettings({
      dialect: 'postgres',
      url: 'postgres://app:s3cret@db.internal:6432/member_phone?application_name=x&password=also-secret',
      poolMax: 20,
      connectTimeoutMs: 2_000,
    });
    expect(settings).toEqual({
      dialect: 'postgres',
      server: 'db.internal:6432/member_phone',
      user: 'app',
      ssl: false,
      poolMax: 20,
      connectTimeoutMs: 2_000,
      idleTimeoutMs: POSTGRES_POOL_DEFAULTS.idleTimeoutMs,
      statementTimeoutMs: POSTGRES_POOL_DEFAULTS.statementTimeoutMs,
    });
    const line = describeSettings(settings);
    expect(line).toBe(
      'postgres app@db.internal:6432/member_phone pool max 20, connect timeout 2000 ms, ' +
        'idle timeout 30000 ms, statement timeout 10000 ms',
    );
    expect(JSON.stringify(settings) + line).not.toMatch(/secret/);
  });

  it('reports TLS when the URL asks for it, and the default port when it names none', () => {
    expect(
      postgresSettings({
        dialect: 'postgres',
        url: 'postgresql://db/member_phone?sslmode=require',
        poolMax: 1,
      }),
    ).toMatchObject({ server: 'db:5432/member_phone', ssl: true });
    expect(
      postgresSettings({ dialect: 'postgres', url: 'postgres://db/x?sslmode=disable', poolMax: 1 }),
    ).toMatchObject({ ssl: false });
  });
});

describe('createDatabase', () => {
  it('describes a PostgreSQL handle by its effective settings without connecting', async () => {
    const handle = createDatabase({ dialect: 'postgres', url: 'postgres://u:pw@127.0.0.1:1/db', poolMax: 3 });
    try {
      expect(handle.dialect).toBe('postgres');
      expect(handle.settings).toMatchObject({ dialect: 'postgres', poolMax: 3, connectTimeoutMs: 5_000 });
      expect(handle.description).not.toContain('pw');
    } finally {
      await handle.db.destroy();
    }
  });

  it('describes a SQLite handle by its file and journal settings', async () => {
    const handle = createDatabase({ dialect: 'sqlite', file: ':memory:' });
    try {
      expect(handle.settings).toEqual({
        dialect: 'sqlite',
        file: ':memory:',
        journalMode: 'wal',
        synchronous: 'normal',
        busyTimeoutMs: 1_000,
      });
      expect(handle.description).toBe('sqlite :memory: (WAL, synchronous=NORMAL, busy timeout 1000 ms)');
    } finally {
      await handle.db.destroy();
    }
  });
});
