import { Inject, Injectable } from '@nestjs/common';
import type { Kysely } from 'kysely';

import { KYSELY } from '../database/database.module';
import type { Database } from '../database/schema';
import type { ExpiringRows } from './expired-rows.cleaner';

/**
 * How long an ARS verification is kept after its call window or proof lifetime ended. Long enough
 * for a late provider event or a support question the same day; the audit trail keeps the history.
 */
export const VERIFICATION_RETENTION_MS = 24 * 60 * 60 * 1000;

/**
 * ARS verifications past any use: every status, since an unused proof past `expire_at` can no
 * longer be consumed (the consuming UPDATE checks it) and a CALLING one can no longer be verified.
 */
@Injectable()
export class ExpiredVerifications implements ExpiringRows {
  constructor(@Inject(KYSELY) private readonly db: Kysely<Database>) {}

  /** Deletes up to `limit` verifications that ended more than the retention ago. Portable: no DELETE … LIMIT. */
  async deleteExpired(now: number, limit: number): Promise<number> {
    const cutoff = now - VERIFICATION_RETENTION_MS;
    const result = await this.db
      .deleteFrom('ars_verifications')
      .where('id', 'in', (eb) =>
        eb
          .selectFrom('ars_verifications')
          .select('id')
          .where('expire_at', '<', cutoff)
          .limit(Math.max(1, Math.trunc(limit))),
      )
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
