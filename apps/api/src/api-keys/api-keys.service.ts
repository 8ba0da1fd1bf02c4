import { Inject, Injectable } from '@nestjs/common';

import { ApiError } from '../common/api-error';
import { CLOCK, type Clock } from '../common/clock';
import { ALPHANUMERIC, randomString, UPPER_ALPHANUMERIC } from '../crypto/random-string';
import { SecretBox } from '../crypto/secret-box';
import { MembersRepository } from '../members/members.repository';
import { normalizeScopes, scopesFromColumn, scopesToColumn } from './api-key-scopes';
import type { ApiKeyRow } from '../database/schema';
import type { ApiKeySummary, CreateApiKeyInput, CreatedApiKey, ResolvedApiKey } from './api-key.types';
import { ApiKeysRepository } from './api-keys.repository';

const KEY_PREFIX = 'MP';
const KEY_RANDOM_LENGTH = 14;
const SECRET_LENGTH = 32;
const MAX_DESCRIPTION_LENGTH = 500;
/** Longest id the column holds; anything longer cannot be a key, so it is not looked up. */
const MAX_KEY_LENGTH = 64;
/** 36^14 ids make a collision all but impossible; a few retries turn "all but" into "never in practice". */
const MAX_ID_ATTEMPTS = 5;
/** Opened secrets kept in memory; past this, the oldest is dropped. */
const MAX_OPENED_SECRETS = 10_000;

/** Issues, lists and disables members' API keys, and hands the HMAC verifier a key's secret. */
@Injectable()
export class ApiKeysService {
  /**
   * Secrets already opened, by key id, with the envelope they came from. Opening an envelope on
   * every signed request cost a cipher set-up each time; the row is still read every time, so a
   * disabled key stops at once, and a changed envelope is opened (and checked) afresh.
   */
  private readonly opened = new Map<string, { envelope: string; secret: string }>();

  constructor(
    private readonly keys: ApiKeysRepository,
    private readonly members: MembersRepository,
    private readonly box: SecretBox,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /**
   * Creates a key for a member. The secret is returned here once and stored only sealed; scopes
   * `null` (or omitted) grant every permission.
   */
  async create(input: CreateApiKeyInput): Promise<CreatedApiKey> {
    const member = await this.members.findById(input.memberId);
    if (!member)
      throw new ApiError('ResourceNotFound', { detail: `member ${input.memberId} does not exist` });
    if (member.status === 'DELETED') {
      throw new ApiError('InvalidMemberStatus', { detail: 'a deleted member cannot get an API key' });
    }

    let scopes: string[] | null = null;
    if (input.scopes !== undefined && input.scopes !== null) {
      const normalized = normalizeScopes(input.scopes);
      if (!normalized.ok) {
        throw new ApiError('ValidationError', {
          detail: `scope ${JSON.stringify(normalized.invalid)} must be 1-64 visible ASCII characters`,
        });
      }
      scopes = normalized.scopes;
    }
    const description = input.description?.trim() || null;
    if (description !== null && description.length > MAX_DESCRIPTION_LENGTH) {
      throw new ApiError('ValidationError', {
        detail: `description is longer than ${MAX_DESCRIPTION_LENGTH}`,
      });
    }

    const apiSecret = randomString(SECRET_LENGTH, ALPHANUMERIC);
    for (let attempt = 0; attempt < MAX_ID_ATTEMPTS; attempt++) {
      const apiKey = KEY_PREFIX + randomString(KEY_RANDOM_LENGTH, UPPER_ALPHANUMERIC);
      const inserted = await this.keys.insertIfAbsent({
        id: apiKey,
        member_id: member.id,
        // Sealed against its own id, so the envelope cannot be replayed onto another key row.
        secret_ciphertext: this.box.seal(apiSecret, apiKey),
        scopes: scopesToColumn(scopes),
        status: 'ACTIVE',
        description,
        date_created: this.clock.now(),
      });
      if (inserted) return { apiKey, apiSecret, scopes };
    }
    throw new Error(`could not find a free API key id in ${MAX_ID_ATTEMPTS} attempts`);
  }

  /** Disables a key at once: its next request gets `InvalidAPIKey`. `false` when the key is unknown. */
  disable(apiKey: string): Promise<boolean> {
    this.opened.delete(apiKey);
    return this.keys.disable(apiKey);
  }

  /** The member's keys, oldest first, without their secrets. */
  async list(memberId: string): Promise<ApiKeySummary[]> {
    const rows = await this.keys.listByMember(memberId);
    return rows.map((row) => ({
      apiKey: row.id,
      memberId: row.member_id,
      scopes: scopesFromColumn(row.scopes),
      status: row.status,
      description: row.description,
      dateCreated: new Date(row.date_created).toISOString(),
    }));
  }

  /**
   * The decrypted secret of an ACTIVE key, or `undefined` for an unknown or disabled one (a
   * disabled key's secret is never decrypted). A row whose envelope does not open throws: that is
   * a wrong master key or a tampered row, not a caller's mistake.
   */
  async resolveSecret(apiKey: string): Promise<ResolvedApiKey | undefined> {
    if (apiKey.length === 0 || apiKey.length > MAX_KEY_LENGTH) return undefined;
    const found = await this.keys.findWithOwner(apiKey);
    if (!found || found.key.status !== 'ACTIVE') {
      this.opened.delete(apiKey);
      return undefined;
    }
    const { key: row, owner } = found;
    return { secret: this.secretOf(row), row, owner };
  }

  private secretOf(row: ApiKeyRow): string {
    const cached = this.opened.get(row.id);
    if (cached && cached.envelope === row.secret_ciphertext) return cached.secret;
    const secret = this.box.open(row.secret_ciphertext, row.id);
    this.opened.delete(row.id);
    if (this.opened.size >= MAX_OPENED_SECRETS) {
      const oldest = this.opened.keys().next().value;
      if (oldest !== undefined) this.opened.delete(oldest);
    }
    this.opened.set(row.id, { envelope: row.secret_ciphertext, secret });
    return secret;
  }
}
