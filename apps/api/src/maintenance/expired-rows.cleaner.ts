import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';

import { ReplayStore } from '../auth/hmac/replay.store';
import { CLOCK, type Clock } from '../common/clock';
import { RateLimiter } from '../rate-limit/rate-limiter';
import { ExpiredVerifications } from './expired-verifications';

const INTERVAL_MS = 60_000;
/**
 * Small enough that one DELETE holds SQLite's write lock (or PostgreSQL's row locks) for a few
 * milliseconds, so requests queue behind it at most that long.
 */
export const CLEANUP_BATCH = 500;
/** Bounds one sweep, so a large backlog is worked off over several ticks rather than one long run. */
const MAX_BATCHES_PER_TABLE = 40;

/** A table whose rows stop mattering at some time: replay records, rate-limit windows, verifications. */
export interface ExpiringRows {
  deleteExpired(now: number, limit: number): Promise<number>;
}

/** Lets requests waiting for the database go first between two batches. */
const yieldToRequests = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Deletes expired replay records, rate-limit windows and old ARS verifications once a minute, off
 * the request path and in small batches with a pause between them. Every store already ignores
 * expired rows, so a late sweep is harmless, and every replica may run it at once: the deletes are
 * idempotent. Each replica starts at a random point of the minute so N replicas do not sweep in
 * step. The timers never keep a process alive.
 */
@Injectable()
export class ExpiredRowsCleaner implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(ExpiredRowsCleaner.name);
  private readonly tables: ReadonlyArray<readonly [string, ExpiringRows]>;
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  private stopped = false;

  constructor(
    replay: ReplayStore,
    rateLimiter: RateLimiter,
    verifications: ExpiredVerifications,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {
    this.tables = [
      ['hmac_signatures', replay],
      ['rate_limit_buckets', rateLimiter],
      ['ars_verifications', verifications],
    ];
  }

  onApplicationBootstrap(): void {
    this.stopped = false;
    const first = 1 + Math.floor(Math.random() * (INTERVAL_MS - 1));
    this.timer = setTimeout(() => {
      void this.sweep();
      if (this.stopped) return;
      this.timer = setInterval(() => void this.sweep(), INTERVAL_MS);
      this.timer.unref();
    }, first);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    this.stopped = true;
    // clearTimeout and clearInterval accept either kind of timer.
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** One sweep over every table; returns the rows deleted. Never throws: the next tick retries. */
  async sweep(): Promise<number> {
    if (this.running) return 0;
    this.running = true;
    let total = 0;
    try {
      for (const [name, table] of this.tables) {
        try {
          for (let batch = 0; batch < MAX_BATCHES_PER_TABLE && !this.stopped; batch++) {
            const deleted = await table.deleteExpired(this.clock.now(), CLEANUP_BATCH);
            total += deleted;
            if (deleted < CLEANUP_BATCH) break;
            await yieldToRequests();
          }
        } catch (error) {
          this.logger.warn(
            `cleanup of ${name} failed: ${error instanceof Error ? error.message : String(error)}`,
          );
        }
      }
    } finally {
      this.running = false;
    }
    return total;
  }
}
