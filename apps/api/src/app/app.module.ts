import { type DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_PIPE } from '@nestjs/core';

import { ApiKeysModule } from '../api-keys/api-keys.module';
import { ArsDevModule } from '../ars/ars-dev.module';
import { ArsModule } from '../ars/ars.module';
import { AuditModule } from '../audit/audit.module';
import { RefusalAuditFilter } from '../audit/refusal-audit.filter';
import { AuthModule } from '../auth/auth.module';
import type { Clock } from '../common/clock';
import { BodyPipe } from '../common/http/body.pipe';
import type { AppConfig } from '../config/app-config';
import { ConfigModule } from '../config/config.module';
import { CryptoModule } from '../crypto/crypto.module';
import type { DatabaseHandle } from '../database/create-database';
import { DatabaseModule } from '../database/database.module';
import { HealthModule } from '../health/health.module';
import { MaintenanceModule } from '../maintenance/maintenance.module';
import { MembersModule } from '../members/members.module';

/** Everything the service is made of; the development keypad only outside production. */
@Module({})
export class AppModule {
  static forRoot(config: AppConfig, database: DatabaseHandle, clock: Clock): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forConfig(config, clock),
        DatabaseModule.forHandle(database),
        CryptoModule,
        AuditModule,
        ApiKeysModule,
        AuthModule,
        ArsModule.forConfig(config),
        MembersModule,
        HealthModule,
        MaintenanceModule,
        ...(config.mode === 'development' ? [ArsDevModule] : []),
      ],
      providers: [
        // No global interceptor on purpose: see RefusalAuditFilter.
        { provide: APP_FILTER, useClass: RefusalAuditFilter },
        { provide: APP_PIPE, useClass: BodyPipe },
      ],
    };
  }
}
