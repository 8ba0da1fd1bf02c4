import { Module } from '@nestjs/common';

import { AuthModule } from '../auth/auth.module';
import { RateLimitModule } from '../rate-limit/rate-limit.module';
import { ExpiredRowsCleaner } from './expired-rows.cleaner';
import { ExpiredVerifications } from './expired-verifications';

@Module({
  imports: [AuthModule, RateLimitModule],
  providers: [ExpiredRowsCleaner, ExpiredVerifications],
  exports: [ExpiredRowsCleaner],
})
export class MaintenanceModule {}
