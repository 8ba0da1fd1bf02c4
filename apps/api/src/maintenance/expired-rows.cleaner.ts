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

const INTERVAL_MS = 60_000;
const BATCH = 1_000;
/** Bounds one sweep, so a large backlog is worked off over several ticks rather than one long lock. */
const MAX_BATCHES_PER_TABLE = 20;

/** A table whose rows stop mattering at some time: replay records, rate-limit windows. */
export interface ExpiringRows {
  deleteExpired(now: number, limit: number): Promise<number>;
}

/**
 * Deletes expired replay records and rate-limit windows once a minute, off the request path and in
 * bounded batches. Both stores already ignore expired rows, so a late sweep is harmless, and every
 * replica may run it at once: the deletes are idempotent. The timer never keeps a process alive.
 */
@Injectable()
export class ExpiredRowsCleaner implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(ExpiredRowsCleaner.name);
  private readonly tables: ReadonlyArray<readonly [string, ExpiringRows]>;
  private timer: NodeJS.Timeout | undefined;
  private running = false;

  constructor(
    replay: ReplayStore,
    rateLimiter: RateLimiter,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {
    this.tables = [
      ['hmac_signatures', replay],
      ['rate_limit_buckets', rateLimiter],
    ];
  }

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.sweep(), INTERVAL_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
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
          for (let batch = 0; batch < MAX_BATCHES_PER_TABLE; batch++) {
            const deleted = await table.deleteExpired(this.clock.now(), BATCH);
            total += deleted;
            if (deleted < BATCH) break;
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
