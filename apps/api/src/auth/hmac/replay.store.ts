import { Inject, Injectable } from '@nestjs/common';
import type { Kysely } from 'kysely';

import { compileOnce } from '../../app/compiled-query';
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
  /** Every signed request runs it: built and compiled once (app/compiled-query.ts). */
  private readonly claimQuery;

  constructor(
    @Inject(KYSELY) private readonly db: Kysely<Database>,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.claimQuery = compileOnce(['signature', 'apiKeyId', 'expiresAt', 'now'], (p) =>
      db
        .insertInto('hmac_signatures')
        .values({
          signature: p.signature,
          api_key_id: p.apiKeyId,
          expires_at: p.expiresAt as unknown as number,
        })
        .onConflict((oc) =>
          oc
            .column('signature')
            .doUpdateSet({ api_key_id: p.apiKeyId, expires_at: p.expiresAt as unknown as number })
            .where('hmac_signatures.expires_at', '<', p.now as unknown as number),
        )
        .returning('signature')
        .compile(),
    );
  }

  /**
   * Takes a signature for this request. One statement: insert, or take over a row whose record has
   * expired; it returns a row only to the request that took it, so of N parallel copies exactly one
   * gets `true`. Call it only after the signature verified, or a forger could burn good signatures.
   */
  async claim(use: SignatureUse): Promise<boolean> {
    const expiresAt = this.expiresAt(use.dateMs, use.now);
    const { rows } = await this.db.executeQuery(
      this.claimQuery({
        signature: use.signature.toLowerCase(),
        apiKeyId: use.apiKeyId,
        expiresAt,
        now: use.now,
      }),
    );
    return rows.length > 0;
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
