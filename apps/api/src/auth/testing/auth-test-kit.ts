// Shared by the auth, api-keys and crypto specs: a real configuration, a migrated database (SQLite,
// or PostgreSQL with TEST_DATABASE_URL: see database/testing/test-database.ts) and a clock the test
// moves. Uses production dependencies only, so it is harmless in the build output.
import { randomBytes } from 'node:crypto';

import type { Kysely } from 'kysely';

import type { AppConfig } from '../../config/app-config';
import { loadConfig } from '../../config/load-config';
import type { Database, MemberRow } from '../../database/schema';
import { openTestDatabase as openDatabase, type TestDatabase } from '../../database/testing/test-database';

/** A development configuration with fresh keys, no files written. */
export function testConfig(overrides: Partial<AppConfig> = {}): AppConfig {
  const base = loadConfig(
    {
      MASTER_KEY: randomBytes(32).toString('hex'),
      JWT_HS256_SECRET: randomBytes(32).toString('hex'),
      DATABASE_URL: 'sqlite::memory:',
      SEED_DEMO: 'false',
    },
    '/nonexistent-test-cwd',
  );
  return { ...base, ...overrides };
}

/**
 * Opens and migrates a database of its own; `db.destroy()` closes and removes it. Handles opened
 * with the same `shared` name share one database, like replicas (the name is only a key: the
 * database lives in a temporary folder, or on the PostgreSQL test server).
 */
export function openTestDatabase(shared?: string): Promise<TestDatabase> {
  return openDatabase(shared ? { shared } : {});
}

let memberSequence = 0;

/** Inserts a member (ACTIVE unless told otherwise) and returns the row. */
export async function insertMember(
  db: Kysely<Database>,
  fields: Partial<MemberRow> = {},
): Promise<MemberRow> {
  memberSequence += 1;
  const id = fields.id ?? `2501150000${String(memberSequence).padStart(4, '0')}`;
  return db
    .insertInto('members')
    .values({
      id,
      name: 'tester',
      email: `member-${id}@example.com`,
      phone_number: '01012345678',
      status: 'ACTIVE',
      selected_account_id: null,
      date_created: 1_700_000_000_000,
      date_updated: 1_700_000_000_000,
      ...fields,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}
