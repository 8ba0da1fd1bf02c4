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

/**
 * Deletes replay records and rate-limit windows that can no longer matter, a bounded batch at a
 * time off the request path. Expired rows are harmless meanwhile: both stores ignore them.
 */
@Injectable()
export class ExpiredRowsCleaner implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(ExpiredRowsCleaner.name);
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(
    private readonly replay: ReplayStore,
    private readonly rateLimiter: RateLimiter,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.runOnce(), INTERVAL_MS);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }

  /** One pass; returns how many rows went. Skipped while a previous pass still runs. */
  async runOnce(): Promise<number> {
    if (this.running) return 0;
    let removed = 0;
    this.running = (async () => {
      try {
        const now = this.clock.now();
        removed += await this.replay.deleteExpired(now, BATCH);
        removed += await this.rateLimiter.deleteExpired(now, BATCH);
      } catch (error) {
        this.logger.warn({ err: error, msg: 'expired-row cleanup failed; will retry' });
      }
    })();
    await this.running;
    this.running = undefined;
    return removed;
  }
}
