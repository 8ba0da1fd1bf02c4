import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { Pool } from 'pg';

import { isDatabaseUnavailable } from '../../src/database/database-unavailable';
import { postgresRequired } from '../../src/database/testing/test-database';
import { REPO_ROOT } from '../support/built-app';
import { type PostgresCluster, postgresBinariesInstalled, startCluster } from '../support/postgres-cluster';

// The cluster tool itself: CI starts its PostgreSQL with it and the fault specs stop and start a
// database under load with it. Needs the server binaries; without them the spec is skipped, unless
// REQUIRE_POSTGRES=1 says this run is about PostgreSQL.
const runnable = postgresBinariesInstalled() || postgresRequired();
const CLUSTER_TOOL = join(REPO_ROOT, 'tools/postgres/cluster.js');

function pool(url: string): Pool {
  const created = new Pool({ connectionString: url, max: 4, connectionTimeoutMillis: 5_000 });
  created.on('error', () => undefined);
  return created;
}

(runnable ? describe : describe.skip)('tools/postgres/cluster.js', () => {
  let work: string;
  let cluster: PostgresCluster;

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'member-phone-cluster-'));
    cluster = await startCluster({ dir: join(work, 'pg') });
  }, 120_000);

  afterAll(async () => {
    await cluster?.destroy();
    rmSync(work, { recursive: true, force: true });
  }, 60_000);

  it('serves a durable cluster on 127.0.0.1 only, at the URL it reports', async () => {
    expect(cluster.url).toBe(`postgres://postgres@127.0.0.1:${cluster.port}/postgres`);
    const client = pool(cluster.url);
    try {
      const settings = await client.query<{ name: string; setting: string }>(
        `select name, setting from pg_settings
          where name in ('fsync', 'synchronous_commit', 'listen_addresses', 'port') order by name`,
      );
      expect(settings.rows).toEqual([
        { name: 'fsync', setting: 'on' },
        { name: 'listen_addresses', setting: '127.0.0.1' },
        { name: 'port', setting: String(cluster.port) },
        { name: 'synchronous_commit', setting: 'on' },
      ]);
    } finally {
      await client.end();
    }
  });

  it('stops under load, failing queries as "database unavailable", and comes back with every committed row', async () => {
    const client = pool(cluster.url);
    try {
      await client.query('create table if not exists ticks (n integer primary key)');
      let attempted = 0;
      let acknowledged = 0;
      let failures: unknown[] = [];
      let running = true;
      const load = (async () => {
        while (running) {
          try {
            await client.query('insert into ticks (n) values ($1)', [++attempted]);
            acknowledged += 1;
          } catch (error) {
            failures.push(error);
            await new Promise((resolve) => setTimeout(resolve, 20));
          }
        }
      })();
      await new Promise((resolve) => setTimeout(resolve, 300));
      await cluster.stop();
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(failures.length).toBeGreaterThan(0);
      expect(failures.filter((error) => !isDatabaseUnavailable(error))).toEqual([]);

      await cluster.start();
      failures = [];
      await new Promise((resolve) => setTimeout(resolve, 300));
      running = false;
      await load;
      expect(failures).toEqual([]);
      // Every acknowledged insert is there; one cut off mid-answer may be there too.
      const count = Number((await client.query<{ c: string }>('select count(*) as c from ticks')).rows[0]!.c);
      expect(count).toBeGreaterThanOrEqual(acknowledged);
      expect(count).toBeLessThanOrEqual(attempted);
    } finally {
      await client.end();
    }
  }, 120_000);

  it('recovers from an immediate stop (a crash to PostgreSQL) with every committed row', async () => {
    const client = pool(cluster.url);
    try {
      await client.query('create table crash_rows (n integer primary key)');
      await client.query('insert into crash_rows select generate_series(1, 500)');
      await cluster.stop('immediate');
      await cluster.start();
      const count = await client.query<{ c: string }>('select count(*) as c from crash_rows');
      expect(Number(count.rows[0]!.c)).toBe(500);
    } finally {
      await client.end();
    }
  }, 120_000);

  it('serialises racing stop and start calls, ending in the state of the last call', async () => {
    await Promise.all([cluster.stop(), cluster.start(), cluster.stop(), cluster.start()]);
    const client = pool(cluster.url);
    try {
      expect((await client.query<{ one: number }>('select 1 as one')).rows).toEqual([{ one: 1 }]);
    } finally {
      await client.end();
    }
  }, 120_000);

  it('runs from the command line: start prints only the URL and leaves the server running, stop ends it', async () => {
    const dir = join(work, 'cli');
    const started = spawnSync(process.execPath, [CLUSTER_TOOL, 'start', dir], {
      encoding: 'utf8',
      timeout: 120_000,
    });
    expect(started.status).toBe(0);
    const match = /^TEST_DATABASE_URL=(postgres:\/\/postgres@127\.0\.0\.1:\d+\/postgres)\n$/.exec(
      started.stdout,
    );
    expect(match).not.toBeNull();
    const client = pool(match![1]!);
    try {
      expect((await client.query<{ one: number }>('select 1 as one')).rows).toEqual([{ one: 1 }]);
    } finally {
      await client.end();
    }

    const stopped = spawnSync(process.execPath, [CLUSTER_TOOL, 'stop', dir], {
      encoding: 'utf8',
      timeout: 120_000,
    });
    expect(stopped.status).toBe(0);
    const after = pool(match![1]!);
    try {
      const error = await after.query('select 1').then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(isDatabaseUnavailable(error)).toBe(true);
    } finally {
      await after.end();
    }
    const destroyed = spawnSync(process.execPath, [CLUSTER_TOOL, 'destroy', dir], { encoding: 'utf8' });
    expect(destroyed.status).toBe(0);
    expect(existsSync(dir)).toBe(false);
  }, 240_000);
});
