import type { TestApp } from './test-app';

/** Every row of every table a request could write to, in a stable order. */
export interface DatabaseSnapshot {
  members: unknown[];
  apiKeys: unknown[];
  arsVerifications: unknown[];
  auditEvents: unknown[];
  hmacSignatures: unknown[];
  rateLimitBuckets: unknown[];
}

/**
 * Reads the whole database. Specs compare a snapshot taken before a refused request with one taken
 * after it to prove the refusal wrote nothing: no member change, no verification, no audit row, no
 * replay record, no rate-limit hit. The one row a refusal does write, the `request.refused` audit
 * entry that records it, is left out here and checked by the audit specs.
 */
export async function snapshotDatabase(t: TestApp): Promise<DatabaseSnapshot> {
  const [members, apiKeys, arsVerifications, auditEvents, hmacSignatures, rateLimitBuckets] =
    await Promise.all([
      t.db.selectFrom('members').selectAll().orderBy('id').execute(),
      t.db.selectFrom('api_keys').selectAll().orderBy('id').execute(),
      t.db.selectFrom('ars_verifications').selectAll().orderBy('id').execute(),
      t.db
        .selectFrom('audit_events')
        .selectAll()
        .where('event_type', '!=', 'request.refused')
        .orderBy('id')
        .execute(),
      t.db.selectFrom('hmac_signatures').selectAll().orderBy('signature').execute(),
      t.db
        .selectFrom('rate_limit_buckets')
        .selectAll()
        .orderBy('bucket_key')
        .orderBy('window_start')
        .execute(),
    ]);
  return { members, apiKeys, arsVerifications, auditEvents, hmacSignatures, rateLimitBuckets };
}
