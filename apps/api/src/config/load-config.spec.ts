import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { ConfigError, loadConfig } from './load-config';

const KEY = randomBytes(32).toString('base64');
const PRODUCTION = {
  NODE_ENV: 'production',
  MASTER_KEY: KEY,
  TELEPHONY_ADAPTER: 'http',
  TELEPHONY_CALL_URL: 'https://telephony.example/calls',
  TELEPHONY_SECRET: 'x'.repeat(40),
};

describe('loadConfig', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'member-phone-config-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('defaults to the embedded development setup: SQLite under ./data, simulator, HS256 dev tokens', () => {
    const config = loadConfig({}, dir);
    expect(config.mode).toBe('development');
    expect(config.host).toBe('127.0.0.1');
    expect(config.port).toBe(3000);
    expect(config.database).toEqual({ dialect: 'sqlite', file: join(dir, 'data', 'member-phone.sqlite') });
    expect(config.telephony).toEqual({ adapter: 'simulator' });
    expect(config.bearer.algorithms).toContain('HS256');
    expect(config.bearer.hs256Secret).toHaveLength(32);
    expect(config.seedDemo).toBe(true);
    expect(config.ars).toMatchObject({ callWindowMs: 180_000, proofLifetimeMs: 300_000, maxAttempts: 5 });
  });

  it('generates the master key once into the data folder, readable by the owner only', () => {
    const first = loadConfig({}, dir);
    const file = join(dir, 'data', 'master.key');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(Buffer.from(readFileSync(file, 'utf8').trim(), 'base64')).toEqual(first.masterKey);
    expect(loadConfig({}, dir).masterKey).toEqual(first.masterKey);
    expect(statSync(join(dir, 'data', 'jwt-hs256.key')).mode & 0o777).toBe(0o600);
  });

  it('takes the master key from the environment, base64 or hex, and refuses a wrong length', () => {
    const raw = randomBytes(32);
    expect(loadConfig({ MASTER_KEY: raw.toString('base64') }, dir).masterKey).toEqual(raw);
    expect(loadConfig({ MASTER_KEY: raw.toString('hex') }, dir).masterKey).toEqual(raw);
    expect(() => loadConfig({ MASTER_KEY: randomBytes(16).toString('base64') }, dir)).toThrow(/MASTER_KEY/);
  });

  it('selects PostgreSQL for a postgres URL and SQLite for a sqlite: URL', () => {
    expect(
      loadConfig({ DATABASE_URL: 'postgres://u:p@127.0.0.1:5432/db', DATABASE_POOL_MAX: '4' }, dir).database,
    ).toEqual({
      dialect: 'postgres',
      url: 'postgres://u:p@127.0.0.1:5432/db',
      poolMax: 4,
    });
    expect(loadConfig({ DATABASE_URL: 'sqlite::memory:' }, dir).database).toEqual({
      dialect: 'sqlite',
      file: ':memory:',
    });
    expect(() => loadConfig({ DATABASE_URL: 'mysql://x' }, dir)).toThrow(/DATABASE_URL/);
  });

  it('reads the PostgreSQL pool timeouts only when given, and refuses out-of-range ones', () => {
    const url = 'postgres://u:p@127.0.0.1:5432/db';
    expect(
      loadConfig(
        {
          DATABASE_URL: url,
          DATABASE_CONNECT_TIMEOUT_MS: '2500',
          DATABASE_IDLE_TIMEOUT_MS: '60000',
          DATABASE_STATEMENT_TIMEOUT_MS: '4000',
        },
        dir,
      ).database,
    ).toEqual({
      dialect: 'postgres',
      url,
      poolMax: 10,
      connectTimeoutMs: 2500,
      idleTimeoutMs: 60_000,
      statementTimeoutMs: 4000,
    });
    expect(Object.keys(loadConfig({ DATABASE_URL: url }, dir).database).sort()).toEqual([
      'dialect',
      'poolMax',
      'url',
    ]);
    expect(() => loadConfig({ DATABASE_URL: url, DATABASE_CONNECT_TIMEOUT_MS: '5' }, dir)).toThrow(
      /DATABASE_CONNECT_TIMEOUT_MS/,
    );
    expect(() => loadConfig({ DATABASE_URL: url, DATABASE_STATEMENT_TIMEOUT_MS: 'soon' }, dir)).toThrow(
      /DATABASE_STATEMENT_TIMEOUT_MS/,
    );
  });

  it('requires every secret and a real telephony adapter in production, and refuses HS256 there', () => {
    const config = loadConfig(PRODUCTION, dir);
    expect(config.mode).toBe('production');
    expect(config.seedDemo).toBe(false);
    expect(config.bearer.hs256Secret).toBeUndefined();
    expect(config.bearer.algorithms).not.toContain('HS256');
    expect(() => loadConfig({ ...PRODUCTION, MASTER_KEY: '' }, dir)).toThrow(/MASTER_KEY is required/);
    expect(() => loadConfig({ ...PRODUCTION, TELEPHONY_ADAPTER: 'simulator' }, dir)).toThrow(/simulator/);
    expect(() => loadConfig({ ...PRODUCTION, TELEPHONY_SECRET: 'short' }, dir)).toThrow(/TELEPHONY_SECRET/);
    expect(() => loadConfig({ ...PRODUCTION, JWT_ALGORITHMS: 'HS256' }, dir)).toThrow(/JWT_ALGORITHMS/);
  });

  it('names the variable of a malformed value', () => {
    const cases: Array<[Record<string, string>, RegExp]> = [
      [{ PORT: 'eighty' }, /PORT/],
      [{ PORT: '70000' }, /PORT/],
      [{ TRUST_PROXY: 'maybe' }, /TRUST_PROXY/],
      [{ ARS_MEMBER_DAILY_LIMIT: '0' }, /ARS_MEMBER_DAILY_LIMIT/],
      [{ JWT_ALGORITHMS: 'none' }, /JWT_ALGORITHMS/],
      [{ TELEPHONY_ADAPTER: 'carrier-pigeon' }, /TELEPHONY_ADAPTER/],
    ];
    for (const [env, message] of cases) {
      expect(() => loadConfig({ MASTER_KEY: KEY, ...env }, dir)).toThrow(ConfigError);
      expect(() => loadConfig({ MASTER_KEY: KEY, ...env }, dir)).toThrow(message);
    }
  });

  it('refuses a NODE_ENV it does not know instead of falling back to development', () => {
    expect(loadConfig({ NODE_ENV: 'test' }, dir).mode).toBe('development');
    for (const value of ['Production', 'prod', 'staging']) {
      expect(() => loadConfig({ ...PRODUCTION, NODE_ENV: value }, dir)).toThrow(/NODE_ENV/);
    }
  });

  it('trusts no proxy by default, and a hop count or address list when told, never everyone', () => {
    expect(loadConfig({}, dir).http.trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: '1' }, dir).http.trustProxy).toBe(1);
    expect(loadConfig({ TRUST_PROXY: '10.0.0.0/8, 127.0.0.1' }, dir).http.trustProxy).toEqual([
      '10.0.0.0/8',
      '127.0.0.1',
    ]);
    expect(() => loadConfig({ TRUST_PROXY: 'true' }, dir)).toThrow(/TRUST_PROXY/);
  });

  it('keeps the per-credential cap under the per-member cap, so it can refuse', () => {
    const { limits } = loadConfig({}, dir).ars;
    expect(limits.credentialDaily.limit).toBeLessThan(limits.memberDaily.limit);
  });

  it('reads the rate limits from the environment', () => {
    const { limits } = loadConfig(
      { ARS_MEMBER_COOLDOWN_SECONDS: '5', ARS_GLOBAL_HOURLY_LIMIT: '7' },
      dir,
    ).ars;
    expect(limits.memberCooldown).toEqual({ limit: 1, windowMs: 5000 });
    expect(limits.globalHourly).toEqual({ limit: 7, windowMs: 3_600_000 });
  });
});
