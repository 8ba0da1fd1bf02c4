import { Module } from '@nestjs/common';

import { RateLimiter } from './rate-limiter';

/** Provides {@link RateLimiter}. Needs the global `DatabaseModule` (token `KYSELY`). */
@Module({
  providers: [RateLimiter],
  exports: [RateLimiter],
})
export class RateLimitModule {}
