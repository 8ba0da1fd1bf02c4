import type { ApiKeyRow, MemberRow } from '../database/schema';

export interface CreateApiKeyInput {
  readonly memberId: string;
  /** `null` or omitted: every permission. An empty list: none. */
  readonly scopes?: readonly string[] | null;
  readonly description?: string;
}

/** What {@link ApiKeysService.create} hands back once; the secret cannot be read again afterwards. */
export interface CreatedApiKey {
  readonly apiKey: string;
  readonly apiSecret: string;
  readonly scopes: string[] | null;
}

/** A key as listed for its owner: never the secret. */
export interface ApiKeySummary {
  readonly apiKey: string;
  readonly memberId: string;
  readonly scopes: string[] | null;
  readonly status: ApiKeyRow['status'];
  readonly description: string | null;
  /** ISO 8601, UTC. */
  readonly dateCreated: string;
}

/** An active key with its decrypted secret and its owner, for the HMAC verifier only. */
export interface ResolvedApiKey {
  readonly secret: string;
  readonly row: ApiKeyRow;
  /** The owner's row as read with the key; `undefined` when it is gone. */
  readonly owner: MemberRow | undefined;
}
