import { type Kysely, type Migration, type MigrationProvider, Migrator, sql } from 'kysely';

import type { SqlDialect } from './dialect';
import { initialMigration } from './migrations/0001-initial';
import { verificationExpiryIndexMigration } from './migrations/0002-verification-expiry-index';
import type { Database } from './schema';

/** Migrations in order. Names sort; never rename or edit one that has shipped: add a new one. */
function migrations(dialect: SqlDialect): Record<string, Migration> {
  return {
    '0001-initial': initialMigration(dialect),
    '0002-verification-expiry-index': verificationExpiryIndexMigration,
  };
}

class InCodeMigrationProvider implements MigrationProvider {
  constructor(private readonly dialect: SqlDialect) {}

  getMigrations(): Promise<Record<string, Migration>> {
    return Promise.resolve(migrations(this.dialect));
  }
}

/** Brings the schema up to date. Safe to run from several replicas at once (Kysely takes a lock). */
export async function migrateToLatest(db: Kysely<Database>, dialect: SqlDialect): Promise<string[]> {
  const migrator = new Migrator({ db, provider: new InCodeMigrationProvider(dialect) });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error('migration failed', { cause: error });
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

/** The migrations this build knows, in the order they run. */
export function knownMigrations(): string[] {
  return Object.keys(migrations('sqlite')).sort();
}

/** Where the schema stands against this build: what ran, what this build still expects, what it does not know. */
export interface MigrationStatus {
  /** The last migration that ran, or null on an empty database. */
  readonly current: string | null;
  readonly applied: readonly string[];
  /** Known to this build but not applied: the schema is older than the code. */
  readonly pending: readonly string[];
  /** Applied but unknown to this build: a newer replica migrated first (normal in a rolling deploy). */
  readonly unknown: readonly string[];
}

/** Reads Kysely's migration log; an empty database (no log table yet) has everything pending. */
export async function migrationStatus(db: Kysely<Database>): Promise<MigrationStatus> {
  const known = knownMigrations();
  let applied: string[];
  try {
    const result = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(db);
    applied = result.rows.map((row) => row.name);
  } catch (error) {
    // Only "no such table" means "never migrated"; an unreachable database must surface as such.
    if (!/kysely_migration/.test(error instanceof Error ? error.message : '')) throw error;
    applied = [];
  }
  return {
    current: applied.at(-1) ?? null,
    applied,
    pending: known.filter((name) => !applied.includes(name)),
    unknown: applied.filter((name) => !known.includes(name)),
  };
}
