import type { Kysely, Migration } from 'kysely';

// The expired-rows cleaner looks ARS verifications up by `expire_at`; without an index each sweep
// would read the whole table.
export const verificationExpiryIndexMigration: Migration = {
  up: async (db: Kysely<unknown>) => {
    await db.schema
      .createIndex('ars_verifications_expire_idx')
      .on('ars_verifications')
      .column('expire_at')
      .execute();
  },
  down: async (db: Kysely<unknown>) => {
    await db.schema.dropIndex('ars_verifications_expire_idx').ifExists().execute();
  },
};
