import { Injectable, type BeforeApplicationShutdown } from '@nestjs/common';

/** Flips readiness to 503 as soon as shutdown starts, so a load balancer stops sending traffic. */
@Injectable()
export class ShutdownState implements BeforeApplicationShutdown {
  draining = false;

  beforeApplicationShutdown(): void {
    this.draining = true;
  }
}
