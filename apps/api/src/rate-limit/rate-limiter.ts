import { Inject, Injectable } from '@nestjs/common';
import { type Kysely, sql, type Transaction } from 'kysely';

import { KYSELY } from '../database/database.module';
import type { Executor } from '../database/executor';
import type { Database } from '../database/schema';
import type { RateLimitCheck, RateLimitRule, RateLimitVerdict } from './rate-limit.types';

/** Thrown inside the transaction only to roll it back; never leaves this file. */
class Refusal extends Error {
  constructor(readonly verdict: Extract<RateLimitVerdict, { allowed: false }>) {
    super('rate limit refused');
  }
}

function windowStartOf(now: number, rule: RateLimitRule): number {
  return Math.floor(now / rule.windowMs) * rule.windowMs;
}

// A sliding bucket is one row per key; its window runs from its first hit to `expires_at`.
const SLIDING_WINDOW_START = 0;

function secondsUntil(windowEnd: number, now: number): number {
  return Math.max(1, Math.ceil((windowEnd - now) / 1000));
}

/**
 * Window counters in `rate_limit_buckets`, shared by every replica through the database. Each hit
 * is one `INSERT … ON CONFLICT DO UPDATE … WHERE hits < limit` (a sliding bucket also restarts
 * there once its window ended), so the check and the increment are one atomic statement on both
 * dialects.
 */
@Injectable()
export class RateLimiter {
  constructor(@Inject(KYSELY) private readonly db: Kysely<Database>) {}

  /**
   * Takes one hit from every bucket, or none at all: the first full bucket rolls back the hits
   * already taken, so a refused request never eats into the other limits. Given an open
   * transaction, it works inside a savepoint and leaves the outer transaction usable.
   */
  async consume(
    executor: Executor,
    checks: readonly RateLimitCheck[],
    now: number,
  ): Promise<RateLimitVerdict> {
    if (checks.length === 0) return { allowed: true };
    try {
      if (executor.isTransaction) {
        await this.consumeInSavepoint(executor as Transaction<Database>, checks, now);
      } else {
        await executor.transaction().execute((trx) => this.takeAll(trx, checks, now));
      }
      return { allowed: true };
    } catch (error) {
      if (error instanceof Refusal) return error.verdict;
      throw error;
    }
  }

  /** Removes up to `limit` buckets whose window ended; returns how many went. */
  async deleteExpired(now: number, limit: number): Promise<number> {
    const batch = Math.max(1, Math.trunc(limit));
    const result = await this.db
      .deleteFrom('rate_limit_buckets')
      .where((eb) =>
        eb(
          eb.refTuple('bucket_key', 'window_start'),
          'in',
          eb
            .selectFrom('rate_limit_buckets')
            .select(['bucket_key', 'window_start'])
            .where('expires_at', '<=', now)
            .limit(batch)
            .$asTuple('bucket_key', 'window_start'),
        ),
      )
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  private async consumeInSavepoint(
    trx: Transaction<Database>,
    checks: readonly RateLimitCheck[],
    now: number,
  ) {
    await sql`savepoint rate_limit_consume`.execute(trx);
    try {
      await this.takeAll(trx, checks, now);
    } catch (error) {
      await sql`rollback to savepoint rate_limit_consume`.execute(trx);
      throw error;
    } finally {
      await sql`release savepoint rate_limit_consume`.execute(trx);
    }
  }

  private async takeAll(executor: Executor, checks: readonly RateLimitCheck[], now: number): Promise<void> {
    for (const check of checks) {
      const taken = check.rule.sliding
        ? await this.takeSliding(executor, check, now)
        : await this.takeOne(executor, check, now);
      if (!taken) {
        throw new Refusal({
          allowed: false,
          key: check.key,
          retryAfterSeconds: await this.retryAfterSeconds(executor, check, now),
        });
      }
    }
  }

  private async retryAfterSeconds(executor: Executor, { key, rule }: RateLimitCheck, now: number) {
    if (!rule.sliding) return secondsUntil(windowStartOf(now, rule) + rule.windowMs, now);
    const row = await executor
      .selectFrom('rate_limit_buckets')
      .select('expires_at')
      .where('bucket_key', '=', key)
      .where('window_start', '=', SLIDING_WINDOW_START)
      .executeTakeFirst();
    return secondsUntil(row ? Number(row.expires_at) : now + rule.windowMs, now);
  }

  /** A hit on a sliding bucket: counted while its window runs, or restarting it once it ended. */
  private async takeSliding(executor: Executor, { key, rule }: RateLimitCheck, now: number) {
    if (rule.limit < 1) return false;
    const row = await executor
      .insertInto('rate_limit_buckets')
      .values({
        bucket_key: key,
        window_start: SLIDING_WINDOW_START,
        hits: 1,
        expires_at: now + rule.windowMs,
      })
      .onConflict((oc) =>
        oc
          .columns(['bucket_key', 'window_start'])
          .doUpdateSet((eb) => {
            const ended = eb('rate_limit_buckets.expires_at', '<=', now);
            return {
              hits: eb
                .case()
                .when(ended)
                .then(1)
                .else(eb(eb.ref('rate_limit_buckets.hits'), '+', 1))
                .end(),
              expires_at: eb
                .case()
                .when(ended)
                .then(now + rule.windowMs)
                .else(eb.ref('rate_limit_buckets.expires_at'))
                .end(),
            };
          })
          .where((eb) =>
            eb.or([
              eb('rate_limit_buckets.expires_at', '<=', now),
              eb('rate_limit_buckets.hits', '<', rule.limit),
            ]),
          ),
      )
      .returning('hits')
      .executeTakeFirst();
    return row !== undefined;
  }

  private async takeOne(executor: Executor, { key, rule }: RateLimitCheck, now: number): Promise<boolean> {
    if (rule.limit < 1) return false;
    const windowStart = windowStartOf(now, rule);
    const row = await executor
      .insertInto('rate_limit_buckets')
      .values({
        bucket_key: key,
        window_start: windowStart,
        hits: 1,
        expires_at: windowStart + rule.windowMs,
      })
      .onConflict((oc) =>
        oc
          .columns(['bucket_key', 'window_start'])
          .doUpdateSet((eb) => ({ hits: eb(eb.ref('rate_limit_buckets.hits'), '+', 1) }))
          .where('rate_limit_buckets.hits', '<', rule.limit),
      )
      .returning('hits')
      .executeTakeFirst();
    return row !== undefined;
  }
}
