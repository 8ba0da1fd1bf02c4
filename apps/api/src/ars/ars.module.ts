import { type DynamicModule, Module } from '@nestjs/common';

import { AuditModule } from '../audit/audit.module';
import { ReplayStore } from '../auth/hmac/replay.store';
import type { AppConfig } from '../config/app-config';
import { RateLimitModule } from '../rate-limit/rate-limit.module';
import { TelephonyModule } from '../telephony/telephony.module';
import { ArsController } from './ars.controller';
import { ArsRepository } from './ars.repository';
import { ArsService } from './ars.service';
import { TelephonyWebhookController } from './telephony-webhook.controller';

// One module object per configuration: should two places import `ArsModule.forConfig(config)`,
// Nest must see one module, not two copies registering the same routes.
const modulesByConfig = new WeakMap<AppConfig, DynamicModule>();

/**
 * The ARS second authentication: routes under `/users/v1/member/phone-number/ars`, the telephony
 * webhook `/telephony/v1/events`, and {@link ArsService}, provided globally so the phone-number
 * update, the development keypad and the CLI reach it without importing this module again. Needs
 * global providers of `APP_CONFIG`, `CLOCK` and `KYSELY`.
 */
@Module({})
export class ArsModule {
  static forConfig(config: AppConfig): DynamicModule {
    let module = modulesByConfig.get(config);
    if (!module) {
      module = {
        module: ArsModule,
        global: true,
        imports: [AuditModule, RateLimitModule, TelephonyModule.forConfig(config)],
        controllers: [ArsController, TelephonyWebhookController],
        // The webhook's replay records share the HMAC signatures' table: one sweep, one statement.
        providers: [ArsService, ArsRepository, ReplayStore],
        exports: [ArsService],
      };
      modulesByConfig.set(config, module);
    }
    return module;
  }
}
