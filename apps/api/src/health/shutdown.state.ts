import { Injectable, type BeforeApplicationShutdown } from '@nestjs/common';

/**
 * Where the process is on its way out. `leaving`: a stop was asked for and readiness answers 503
 * so a load balancer takes the replica out, while requests are still served (the grace period,
 * `SHUTDOWN_GRACE_MS`). `draining`: the listener is closing; in-flight requests finish, new ones
 * get 503.
 */
@Injectable()
export class ShutdownState implements BeforeApplicationShutdown {
  leaving = false;
  draining = false;

  beforeApplicationShutdown(): void {
    this.draining = true;
  }
}
