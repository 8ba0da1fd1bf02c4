import { chmodSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

import SqliteDatabase from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import { Pool, types } from 'pg';

import type { AppConfig } from '../config/app-config';
import type { SqlDialect } from './dialect';
import type { Database } from './schema';
import { SqliteStatementCache } from './sqlite-statement-cache';

/** What the start-up log and readiness say about the database: never a password. */
export type DatabaseSettings =
  | {
      readonly dialect: 'sqlite';
      readonly file: string;
      readonly journalMode: 'wal';
      readonly synchronous: 'normal';
      readonly busyTimeoutMs: number;
    }
  | {
      readonly dialect: 'postgres';
      /** `host:port/database` as the URL names it, without user or password. */
      readonly server: string;
      readonly user?: string;
      readonly ssl: boolean;
      readonly poolMax: number;
      readonly connectTimeoutMs: number;
      readonly idleTimeoutMs: number;
      readonly statementTimeoutMs: number;
    };

/** The Kysely instance plus what the rest of the service needs to know about it. */
export interface DatabaseHandle {
  readonly db: Kysely<Database>;
  readonly dialect: SqlDialect;
  /** A one-line description for the start-up log (never the password). */
  readonly description: string;
  /** The same, structured, for JSON logs. */
  readonly settings: DatabaseSettings;
}

// BIGINT columns hold epoch milliseconds, well inside Number's exact range.
types.setTypeParser(types.builtins.INT8, (value) => Number(value));

/** Defaults for what PostgresPoolTuning leaves out: short enough that a lost server means a prompt 503. */
export const POSTGRES_POOL_DEFAULTS = {
  connectTimeoutMs: 5_000,
  idleTimeoutMs: 30_000,
  statementTimeoutMs: 10_000,
} as const;

// better-sqlite3 waits for a lock synchronously, stopping the whole event loop meanwhile: keep the
// wait short so another process holding the write lock costs a 503, not a frozen service.
const SQLITE_BUSY_TIMEOUT_MS = 1_000;

type PostgresConfig = Extract<AppConfig['database'], { dialect: 'postgres' }>;

/** The settings a pool will really use, with the URL reduced to what is safe to log. */
export function postgresSettings(config: PostgresConfig): Extract<DatabaseSettings, { dialect: 'postgres' }> {
  let server = 'postgres';
  let user: string | undefined;
  let ssl = false;
  try {
    const url = new URL(config.url);
    server = `${url.hostname}:${url.port || '5432'}${url.pathname}`;
    user = url.username ? decodeURIComponent(url.username) : undefined;
    const sslmode = url.searchParams.get('sslmode');
    ssl = url.searchParams.get('ssl') === 'true' || (sslmode !== null && sslmode !== 'disable');
  } catch {
    // A URL that pg itself accepts but WHATWG URL does not: log no details rather than guess.
  }
  return {
    dialect: 'postgres',
    server,
    ...(user ? { user } : {}),
    ssl,
    poolMax: config.poolMax,
    connectTimeoutMs: config.connectTimeoutMs ?? POSTGRES_POOL_DEFAULTS.connectTimeoutMs,
    idleTimeoutMs: config.idleTimeoutMs ?? POSTGRES_POOL_DEFAULTS.idleTimeoutMs,
    statementTimeoutMs: config.statementTimeoutMs ?? POSTGRES_POOL_DEFAULTS.statementTimeoutMs,
  };
}

/** One line for humans: `postgres app@db:5432/member_phone pool max 10, connect 5000 ms, …`. */
export function describeSettings(settings: DatabaseSettings): string {
  if (settings.dialect === 'sqlite') {
    return `sqlite ${settings.file} (WAL, synchronous=NORMAL, busy timeout ${settings.busyTimeoutMs} ms)`;
  }
  return (
    `postgres ${settings.user ? `${settings.user}@` : ''}${settings.server}${settings.ssl ? ' (ssl)' : ''} ` +
    `pool max ${settings.poolMax}, connect timeout ${settings.connectTimeoutMs} ms, ` +
    `idle timeout ${settings.idleTimeoutMs} ms, statement timeout ${settings.statementTimeoutMs} ms`
  );
}

/** Opens the configured database. Migrations are run separately: see database/migrate.ts. */
export function createDatabase(config: AppConfig['database']): DatabaseHandle {
  if (config.dialect === 'postgres') {
    const settings = postgresSettings(config);
    const pool = new Pool({
      connectionString: config.url,
      max: settings.poolMax,
      connectionTimeoutMillis: settings.connectTimeoutMs,
      idleTimeoutMillis: settings.idleTimeoutMs,
      statement_timeout: settings.statementTimeoutMs,
      // A server that vanished without closing the socket is noticed instead of waited on forever.
      keepAlive: true,
      application_name: 'member-phone',
    });
    // An idle client losing its server must not crash the process; the next query reports it.
    pool.on('error', () => undefined);
    // A client checked out mid-transaction whose server goes away emits 'error' itself; unheard, that
    // ends the process. The query in flight, or the next one, reports it and the request gets 503.
    pool.on('connect', (client) => client.on('error', () => undefined));
    return {
      db: new Kysely<Database>({ dialect: new PostgresDialect({ pool }) }),
      dialect: 'postgres',
      description: describeSettings(settings),
      settings,
    };
  }
  if (config.file !== ':memory:') mkdirSync(dirname(config.file), { recursive: true, mode: 0o700 });
  const sqlite = new SqliteDatabase(config.file);
  // The file holds sealed secrets and members' numbers: owner only. SQLite gives its -wal and -shm
  // files the main file's permissions.
  if (config.file !== ':memory:') chmodSync(config.file, 0o600);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma(`busy_timeout = ${SQLITE_BUSY_TIMEOUT_MS}`);
  const settings: DatabaseSettings = {
    dialect: 'sqlite',
    file: config.file,
    journalMode: 'wal',
    synchronous: 'normal',
    busyTimeoutMs: SQLITE_BUSY_TIMEOUT_MS,
  };
  return {
    db: new Kysely<Database>({ dialect: new SqliteDialect({ database: new SqliteStatementCache(sqlite) }) }),
    dialect: 'sqlite',
    description: describeSettings(settings),
    settings,
  };
}
