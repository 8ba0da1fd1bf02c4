import type { Kysely, Migration } from 'kysely';

import type { SqlDialect } from '../dialect';

// Portable DDL: the same statements run on SQLite and PostgreSQL. The one place the dialects
// differ is the audit log's auto-increment key, so the migration is built for a dialect.
// Timestamps are BIGINT epoch milliseconds; ids are text.
export const initialMigration = (dialect: SqlDialect): Migration => ({
  up: (db) => up(db, dialect),
  down,
});

async function up(db: Kysely<unknown>, dialect: SqlDialect): Promise<void> {
  await db.schema
    .createTable('members')
    .addColumn('id', 'varchar(32)', (c) => c.primaryKey())
    .addColumn('name', 'varchar(200)', (c) => c.notNull())
    .addColumn('email', 'varchar(320)', (c) => c.notNull().unique())
    .addColumn('phone_number', 'varchar(16)', (c) => c.notNull())
    .addColumn('status', 'varchar(16)', (c) => c.notNull())
    .addColumn('selected_account_id', 'varchar(64)')
    .addColumn('date_created', 'bigint', (c) => c.notNull())
    .addColumn('date_updated', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('api_keys')
    .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
    .addColumn('member_id', 'varchar(32)', (c) => c.notNull().references('members.id'))
    .addColumn('secret_ciphertext', 'text', (c) => c.notNull())
    .addColumn('scopes', 'text')
    .addColumn('status', 'varchar(16)', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('date_created', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('api_keys_member_idx').on('api_keys').column('member_id').execute();

  await db.schema
    .createTable('hmac_signatures')
    .addColumn('signature', 'varchar(128)', (c) => c.primaryKey())
    .addColumn('api_key_id', 'varchar(64)', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('hmac_signatures_expires_idx')
    .on('hmac_signatures')
    .column('expires_at')
    .execute();

  await db.schema
    .createTable('ars_verifications')
    .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
    .addColumn('member_id', 'varchar(32)', (c) => c.notNull().references('members.id'))
    .addColumn('phone_number', 'varchar(16)', (c) => c.notNull())
    .addColumn('credential_id', 'varchar(128)', (c) => c.notNull())
    .addColumn('code_hash', 'varchar(128)', (c) => c.notNull())
    .addColumn('status', 'varchar(16)', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('provider_call_id', 'varchar(128)')
    .addColumn('date_created', 'bigint', (c) => c.notNull())
    .addColumn('expire_at', 'bigint', (c) => c.notNull())
    .addColumn('verified_at', 'bigint')
    .addColumn('consumed_at', 'bigint')
    .addColumn('date_updated', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('ars_verifications_member_idx')
    .on('ars_verifications')
    .columns(['member_id', 'status'])
    .execute();
  await db.schema
    .createIndex('ars_verifications_call_idx')
    .on('ars_verifications')
    .column('provider_call_id')
    .execute();

  await db.schema
    .createTable('rate_limit_buckets')
    .addColumn('bucket_key', 'varchar(200)', (c) => c.notNull())
    .addColumn('window_start', 'bigint', (c) => c.notNull())
    .addColumn('hits', 'integer', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('rate_limit_buckets_pk', ['bucket_key', 'window_start'])
    .execute();
  await db.schema
    .createIndex('rate_limit_buckets_expires_idx')
    .on('rate_limit_buckets')
    .column('expires_at')
    .execute();

  await db.schema
    .createTable('audit_events')
    .addColumn('id', dialect === 'postgres' ? 'bigint' : 'integer', (c) =>
      dialect === 'postgres' ? c.primaryKey().generatedByDefaultAsIdentity() : c.primaryKey().autoIncrement(),
    )
    .addColumn('member_id', 'varchar(32)')
    .addColumn('event_type', 'varchar(64)', (c) => c.notNull())
    .addColumn('credential_id', 'varchar(128)')
    .addColumn('request_id', 'varchar(128)')
    .addColumn('client_ip', 'varchar(64)')
    .addColumn('details', 'text', (c) => c.notNull())
    .addColumn('date_created', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('audit_events_member_idx')
    .on('audit_events')
    .columns(['member_id', 'id'])
    .execute();
}

async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    'audit_events',
    'rate_limit_buckets',
    'ars_verifications',
    'hmac_signatures',
    'api_keys',
    'members',
  ]) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
