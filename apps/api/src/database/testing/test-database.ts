// The one way specs get a database: a migrated SQLite file by default or, with TEST_DATABASE_URL
// set to a PostgreSQL server, a fresh database of its own on that server, dropped when closed. Used
// by specs only, from production dependencies only, so it is harmless should it be built.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { Pool } from 'pg';

import { createDatabase, type DatabaseHandle } from '../create-database';
import type { SqlDialect } from '../dialect';
import { knownMigrations, migrateToLatest } from '../migrate';

const POSTGRES_URL = /^postgres(ql)?:\/\//i;

/** True when the run must use PostgreSQL (CI's PostgreSQL pass): a missing URL is then an error. */
export function postgresRequired(): boolean {
  return ['1', 'true', 'yes'].includes((process.env['REQUIRE_POSTGRES'] ?? '').trim().toLowerCase());
}

/**
 * The PostgreSQL server to run database specs on instead of SQLite (TEST_DATABASE_URL), or
 * undefined for SQLite. Throws rather than quietly falling back when the URL is not a postgres one,
 * or when REQUIRE_POSTGRES=1 and no URL is given: a pass meant for PostgreSQL must not go green on
 * SQLite.
 */
export function testPostgresUrl(): string | undefined {
  const url = process.env['TEST_DATABASE_URL']?.trim();
  if (url) {
    if (!POSTGRES_URL.test(url)) {
      throw new Error('TEST_DATABASE_URL must be a postgres:// or postgresql:// URL (unset it for SQLite)');
    }
    return url;
  }
  if (postgresRequired()) {
    throw new Error(
      'REQUIRE_POSTGRES=1 but TEST_DATABASE_URL is not set: start a server with ' +
        '`node tools/postgres/cluster.js start <dir>` and export the URL it prints',
    );
  }
  return undefined;
}

/** The dialect this run's database specs use. */
export function testDialect(): SqlDialect {
  return testPostgresUrl() ? 'postgres' : 'sqlite';
}

/** A database created on a PostgreSQL server for one test, and its removal. */
export interface PostgresTestDatabase {
  readonly name: string;
  readonly url: string;
  /** Drops the database, ending any session still on it. Idempotent. */
  drop(): Promise<void>;
}

/** Creates an empty database with a random name on the server of `serverUrl`. */
export async function createPostgresTestDatabase(serverUrl: string): Promise<PostgresTestDatabase> {
  const name = `member_phone_test_${randomBytes(6).toString('hex')}`;
  const admin = new Pool({ connectionString: serverUrl, max: 1, idleTimeoutMillis: 1_000 });
  admin.on('error', () => undefined);
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const target = new URL(serverUrl);
  target.pathname = `/${name}`;
  let dropping: Promise<void> | undefined;
  return {
    name,
    url: target.toString(),
    drop: () =>
      (dropping ??= (async () => {
        // A fresh connection: the server may have restarted since the database was created.
        const pool = new Pool({ connectionString: serverUrl, max: 1 });
        pool.on('error', () => undefined);
        try {
          await pool.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        } finally {
          await pool.end();
        }
      })()),
  };
}

/** A migrated database for a spec. It is its own {@link DatabaseHandle}, so `db.destroy()` also cleans up. */
export interface TestDatabase extends DatabaseHandle {
  /** The same object, for specs that pass "the handle" around. */
  readonly handle: DatabaseHandle;
  /** Closes the connections and removes the database (file or PostgreSQL database). Idempotent. */
  close(): Promise<void>;
}

export interface OpenTestDatabaseOptions {
  /**
   * Several handles opened with the same key share one database, as replicas do: one SQLite file or
   * one PostgreSQL database per key, removed when its last handle closes.
   */
  shared?: string;
  /** PostgreSQL pool size (default 10). */
  poolMax?: number;
}

interface SharedDatabase {
  refs: number;
  ready: Promise<PostgresTestDatabase>;
}

const sharedPostgres = new Map<string, SharedDatabase>();
/** Every database this spec file opened and did not close yet: closed after the file's last test. */
const open = new Set<TestDatabase>();
/**
 * Emptied PostgreSQL databases kept for the next spec of this file: creating one costs a
 * checkpoint-heavy CREATE DATABASE (about 0.4 s with fsync on), emptying one a single TRUNCATE.
 * Only kept when the file-level cleanup below is registered, so none outlives its spec file.
 */
const spare: PostgresTestDatabase[] = [];
let fileCleanupRegistered = false;

try {
  // A spec that forgets to close must not leave databases behind on the server.
  afterAll(async () => {
    await Promise.all([...open].map((database) => database.close()));
    await Promise.all(spare.splice(0).map((database) => database.drop()));
  });
  fileCleanupRegistered = true;
} catch {
  // Imported outside a spec file's top level (no jest, or inside a test): the spec closes its own.
}

function takePostgresDatabase(serverUrl: string): Promise<PostgresTestDatabase> {
  const reused = spare.pop();
  return reused ? Promise.resolve(reused) : createPostgresTestDatabase(serverUrl);
}

/** Empties every table the migrations made (the migration log stays) and keeps the database for reuse. */
async function givePostgresDatabaseBack(database: PostgresTestDatabase): Promise<void> {
  if (!fileCleanupRegistered) return database.drop();
  const pool = new Pool({ connectionString: database.url, max: 1 });
  pool.on('error', () => undefined);
  try {
    // A spec that edited the migration log (to test readiness, say) leaves a schema not worth reusing.
    const log = await pool.query<{ name: string }>('SELECT name FROM kysely_migration ORDER BY name');
    if (log.rows.map((row) => row.name).join() !== knownMigrations().join())
      throw new Error('schema changed');
    const { rows } = await pool.query<{ name: string }>(
      `SELECT quote_ident(tablename) AS name FROM pg_tables
        WHERE schemaname = 'public' AND tablename NOT LIKE 'kysely!_%' ESCAPE '!'`,
    );
    if (rows.length > 0) {
      await pool.query(`TRUNCATE ${rows.map((row) => row.name).join(', ')} RESTART IDENTITY CASCADE`);
    }
    spare.push(database);
  } catch {
    await database.drop();
  } finally {
    await pool.end();
  }
}

/** Opens and migrates a database for a spec: see the file comment and {@link OpenTestDatabaseOptions}. */
export async function openTestDatabase(options: OpenTestDatabaseOptions = {}): Promise<TestDatabase> {
  const serverUrl = testPostgresUrl();
  const opened = serverUrl ? await openPostgres(serverUrl, options) : await openSqlite(options);
  const handle = opened.handle;
  const destroy = handle.db.destroy.bind(handle.db);
  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      open.delete(database);
      try {
        await destroy();
      } finally {
        await opened.cleanup();
      }
    })());
  // Specs (and DatabaseModule on app.close()) end a database with db.destroy(): make that clean up too.
  handle.db.destroy = close;
  const database: TestDatabase = {
    db: handle.db,
    dialect: handle.dialect,
    description: handle.description,
    settings: handle.settings,
    get handle() {
      return database;
    },
    close,
  };
  open.add(database);
  return database;
}

/** Folders of shared SQLite files by key, removed when the last handle on one closes. */
const sharedSqlite = new Map<string, { dir: string; refs: number }>();

async function openSqlite(
  options: OpenTestDatabaseOptions,
): Promise<{ handle: DatabaseHandle; cleanup(): Promise<void> }> {
  // The key only names the database: the file always lives in a temporary folder of ours.
  const key = options.shared;
  let entry = key === undefined ? undefined : sharedSqlite.get(key);
  if (!entry) {
    entry = { dir: mkdtempSync(join(tmpdir(), 'member-phone-db-')), refs: 0 };
    if (key !== undefined) sharedSqlite.set(key, entry);
  }
  entry.refs += 1;
  const current = entry;
  const release = () => {
    current.refs -= 1;
    if (current.refs > 0) return;
    if (key !== undefined) sharedSqlite.delete(key);
    rmSync(current.dir, { recursive: true, force: true });
  };
  const handle = createDatabase({ dialect: 'sqlite', file: join(current.dir, 'test.sqlite') });
  try {
    await migrateToLatest(handle.db, handle.dialect);
  } catch (error) {
    await handle.db.destroy();
    release();
    throw error;
  }
  return {
    handle,
    cleanup: () => {
      release();
      return Promise.resolve();
    },
  };
}

async function openPostgres(
  serverUrl: string,
  options: OpenTestDatabaseOptions,
): Promise<{ handle: DatabaseHandle; cleanup(): Promise<void> }> {
  let target: PostgresTestDatabase;
  let release: () => Promise<void>;
  if (options.shared) {
    const key = options.shared;
    let entry = sharedPostgres.get(key);
    if (!entry) {
      entry = { refs: 0, ready: takePostgresDatabase(serverUrl) };
      sharedPostgres.set(key, entry);
    }
    entry.refs += 1;
    const current = entry;
    target = await current.ready;
    release = async () => {
      current.refs -= 1;
      if (current.refs === 0) {
        sharedPostgres.delete(key);
        await givePostgresDatabaseBack(target);
      }
    };
  } else {
    target = await takePostgresDatabase(serverUrl);
    release = () => givePostgresDatabaseBack(target);
  }
  const handle = createDatabase({ dialect: 'postgres', url: target.url, poolMax: options.poolMax ?? 10 });
  try {
    // Several handles on one shared database race to migrate it; Kysely's migration lock serialises them.
    await migrateToLatest(handle.db, handle.dialect);
  } catch (error) {
    await handle.db.destroy();
    await release();
    throw error;
  }
  return { handle, cleanup: release };
}
