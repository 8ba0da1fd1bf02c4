import type { ArsVerificationStatus, MemberStatus } from '@member-phone/core';
import type { Generated, Insertable, Selectable, Updateable } from 'kysely';

/**
 * Table types for Kysely. Every timestamp is epoch milliseconds in a BIGINT column, read back as
 * a JS number on both dialects (the PostgreSQL pool parses int8 as a number). Booleans do not
 * appear: SQLite has none, so state lives in text status columns and nullable timestamps.
 */
export interface MembersTable {
  id: string;
  name: string;
  email: string;
  phone_number: string;
  status: MemberStatus;
  selected_account_id: string | null;
  date_created: number;
  date_updated: number;
}

export interface ApiKeysTable {
  /** The public key id sent as `apiKey=` in the Authorization header. */
  id: string;
  member_id: string;
  /** AES-256-GCM envelope of the secret: see crypto/secret-box.ts. */
  secret_ciphertext: string;
  /** Space-separated scopes, or null for "all permissions". */
  scopes: string | null;
  status: 'ACTIVE' | 'DISABLED';
  description: string | null;
  date_created: number;
}

export interface HmacSignaturesTable {
  /** Lower-case hex signature, unique: the replay record. */
  signature: string;
  api_key_id: string;
  expires_at: number;
}

export interface ArsVerificationsTable {
  id: string;
  member_id: string;
  phone_number: string;
  /** Which credential started it, e.g. `apikey:<id>` or `bearer:<jti>`. */
  credential_id: string;
  code_hash: string;
  status: ArsVerificationStatus;
  attempts: number;
  provider_call_id: string | null;
  date_created: number;
  /** End of the call window while CALLING, end of the proof's lifetime once VERIFIED. */
  expire_at: number;
  verified_at: number | null;
  consumed_at: number | null;
  date_updated: number;
}

export interface RateLimitBucketsTable {
  /** e.g. `ars:member:<id>:day`. */
  bucket_key: string;
  /** Start of the fixed window, epoch ms. */
  window_start: number;
  hits: number;
  expires_at: number;
}

export interface AuditEventsTable {
  id: Generated<number>;
  member_id: string | null;
  event_type: string;
  credential_id: string | null;
  request_id: string | null;
  client_ip: string | null;
  /** JSON object, with phone numbers already masked. */
  details: string;
  date_created: number;
}

export interface Database {
  members: MembersTable;
  api_keys: ApiKeysTable;
  hmac_signatures: HmacSignaturesTable;
  ars_verifications: ArsVerificationsTable;
  rate_limit_buckets: RateLimitBucketsTable;
  audit_events: AuditEventsTable;
}

export type MemberRow = Selectable<MembersTable>;
export type NewMemberRow = Insertable<MembersTable>;
export type MemberUpdate = Updateable<MembersTable>;
export type ApiKeyRow = Selectable<ApiKeysTable>;
export type ArsVerificationRow = Selectable<ArsVerificationsTable>;
export type AuditEventRow = Selectable<AuditEventsTable>;
