import { Inject, Injectable } from '@nestjs/common';
import type { Kysely } from 'kysely';

import { APP_CONFIG, type AppConfig } from '../../config/app-config';
import { KYSELY } from '../../database/database.module';
import type { Database } from '../../database/schema';

export interface SignatureUse {
  /** The verified signature, in any case: it is stored lower-cased. */
  readonly signature: string;
  readonly apiKeyId: string;
  /** The signed date, epoch ms. */
  readonly dateMs: number;
  /** Server time of this request, epoch ms. */
  readonly now: number;
}

/**
 * Remembers used HMAC signatures in the database, so every replica sees the same history and a
 * replay is refused wherever it lands.
 */
@Injectable()
export class ReplayStore {
  constructor(
    @Inject(KYSELY) private readonly db: Kysely<Database>,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * Takes a signature for this request. One statement: insert, or take over a row whose record has
   * expired; it returns a row only to the request that took it, so of N parallel copies exactly one
   * gets `true`. Call it only after the signature verified, or a forger could burn good signatures.
   */
  async claim(use: SignatureUse): Promise<boolean> {
    const expiresAt = this.expiresAt(use.dateMs, use.now);
    const taken = await this.db
      .insertInto('hmac_signatures')
      .values({ signature: use.signature.toLowerCase(), api_key_id: use.apiKeyId, expires_at: expiresAt })
      .onConflict((oc) =>
        oc
          .column('signature')
          .doUpdateSet({ api_key_id: use.apiKeyId, expires_at: expiresAt })
          .where('hmac_signatures.expires_at', '<', use.now),
      )
      .returning('signature')
      .executeTakeFirst();
    return taken !== undefined;
  }

  /**
   * The record must outlive the signature's clock validity: a signature dated in the future stays
   * acceptable until `date + maxClockSkew`, so remembering it only from "now" would reopen it.
   */
  expiresAt(dateMs: number, now: number): number {
    return Math.max(dateMs + this.config.hmac.maxClockSkewMs, now + this.config.hmac.replayWindowMs);
  }

  /** Deletes up to `limit` expired records; returns how many went. Portable: no DELETE … LIMIT. */
  async deleteExpired(now: number, limit: number): Promise<number> {
    const result = await this.db
      .deleteFrom('hmac_signatures')
      .where('signature', 'in', (eb) =>
        eb.selectFrom('hmac_signatures').select('signature').where('expires_at', '<', now).limit(limit),
      )
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
