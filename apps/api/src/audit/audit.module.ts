import { Global, Module } from '@nestjs/common';

import { AuditService } from './audit.service';
import { RefusalAuditor } from './refusal-auditor';

/**
 * Provides {@link AuditService} to every module: auditing cuts across features like the clock
 * does. Needs the global `DatabaseModule` (token `KYSELY`).
 */
@Global()
@Module({
  providers: [AuditService, RefusalAuditor],
  exports: [AuditService, RefusalAuditor],
})
export class AuditModule {}
