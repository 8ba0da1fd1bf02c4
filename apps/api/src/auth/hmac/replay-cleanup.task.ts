import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';

import { CLOCK, type Clock } from '../../common/clock';
import { ReplayStore } from './replay.store';

const INTERVAL_MS = 60_000;
const BATCH = 1_000;
/** Bounds one sweep, so a huge backlog is worked off over several ticks instead of one long lock. */
const MAX_BATCHES_PER_SWEEP = 20;

/**
 * Deletes expired replay records once a minute. Each replica runs it; the deletes are idempotent,
 * so running it on several at once is harmless. The timer is unref'd: it never keeps a process alive.
 */
@Injectable()
export class ReplayCleanupTask implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(ReplayCleanupTask.name);
  private timer: NodeJS.Timeout | undefined;
  private running = false;

  constructor(
    private readonly store: ReplayStore,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.sweep(), INTERVAL_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** One sweep; returns the number of records deleted. Never throws: the next tick retries. */
  async sweep(): Promise<number> {
    if (this.running) return 0;
    this.running = true;
    let total = 0;
    try {
      for (let batch = 0; batch < MAX_BATCHES_PER_SWEEP; batch++) {
        const deleted = await this.store.deleteExpired(this.clock.now(), BATCH);
        total += deleted;
        if (deleted < BATCH) break;
      }
    } catch (error) {
      this.logger.warn(
        `replay record cleanup failed: ${error instanceof Error ? error.message : String(error)}`,
      );
    } finally {
      this.running = false;
    }
    return total;
  }
}
