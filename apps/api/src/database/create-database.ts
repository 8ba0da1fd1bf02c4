import { chmodSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

import SqliteDatabase from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import { Pool, types } from 'pg';

import type { AppConfig } from '../config/app-config';
import type { SqlDialect } from './dialect';
import type { Database } from './schema';

/** The Kysely instance plus what the rest of the service needs to know about it. */
export interface DatabaseHandle {
  readonly db: Kysely<Database>;
  readonly dialect: SqlDialect;
  /** A one-line description for the start-up log (never the password). */
  readonly description: string;
}

// BIGINT columns hold epoch milliseconds, well inside Number's exact range.
types.setTypeParser(types.builtins.INT8, (value) => Number(value));

function describePostgres(url: string, poolMax: number): string {
  try {
    const u = new URL(url);
    return `postgres ${u.hostname}:${u.port || '5432'}${u.pathname} pool max ${poolMax}`;
  } catch {
    return `postgres pool max ${poolMax}`;
  }
}

/** Opens the configured database. Migrations are run separately: see database/migrate.ts. */
export function createDatabase(config: AppConfig['database']): DatabaseHandle {
  if (config.dialect === 'postgres') {
    const pool = new Pool({
      connectionString: config.url,
      max: config.poolMax,
      connectionTimeoutMillis: 5_000,
      idleTimeoutMillis: 30_000,
      statement_timeout: 10_000,
    });
    // An idle client losing its server must not crash the process; the next query reports it.
    pool.on('error', () => undefined);
    return {
      db: new Kysely<Database>({ dialect: new PostgresDialect({ pool }) }),
      dialect: 'postgres',
      description: describePostgres(config.url, config.poolMax),
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
  sqlite.pragma('busy_timeout = 5000');
  return {
    db: new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) }),
    dialect: 'sqlite',
    description: `sqlite ${config.file} (WAL, synchronous=NORMAL)`,
  };
}
