import { type Kysely, type Migration, type MigrationProvider, Migrator } from 'kysely';

import type { SqlDialect } from './dialect';
import { initialMigration } from './migrations/0001-initial';
import type { Database } from './schema';

/** Migrations in order. Names sort; never rename or edit one that has shipped: add a new one. */
function migrations(dialect: SqlDialect): Record<string, Migration> {
  return {
    '0001-initial': initialMigration(dialect),
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
