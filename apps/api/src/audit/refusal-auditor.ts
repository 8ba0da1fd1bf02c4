import { Inject, Injectable, Logger } from '@nestjs/common';
import type { ErrorCode } from '@member-phone/core';
import type { FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';

import { ApiError } from '../common/api-error';
import { CLOCK, type Clock } from '../common/clock';
import { requestMetaOf } from '../common/request-meta';
import { KYSELY } from '../database/database.module';
import type { Database } from '../database/schema';
import { AuditService } from './audit.service';

/**
 * Codes whose refusal this records. The others are recorded where they are decided, with more
 * detail (`SecondAuthRequired` as phone.refused, `TooManyRequests` and provider failures as
 * ars.refused), or are not a refusal of the member (outages, bugs, bad credentials: no member yet).
 */
const RECORDED: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'Forbidden',
  'InvalidMemberStatus',
  'ValidationError',
  'InvalidPhoneNumber',
  'UnsupportedMediaType',
  'ResourceNotFound',
]);

/**
 * Writes `request.refused` for an authenticated member's request that was refused: who asked, on
 * which route, with which code. A failure to write is logged and never replaces the refusal itself.
 */
@Injectable()
export class RefusalAuditor {
  private readonly logger = new Logger(RefusalAuditor.name);
  /** The guard records its refusals itself; the global filter then sees the same error again. */
  private readonly recorded = new WeakSet<ApiError>();

  constructor(
    @Inject(KYSELY) private readonly db: Kysely<Database>,
    private readonly audit: AuditService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** Whether {@link record} would write anything: lets the error path skip a promise when not. */
  wouldRecord(request: FastifyRequest, error: unknown): error is ApiError {
    return (
      request.auth !== undefined &&
      error instanceof ApiError &&
      RECORDED.has(error.code) &&
      !this.recorded.has(error)
    );
  }

  async record(request: FastifyRequest, error: unknown): Promise<void> {
    if (!this.wouldRecord(request, error)) return;
    this.recorded.add(error);
    const auth = request.auth!;
    const meta = requestMetaOf(request);
    try {
      await this.audit.record(
        this.db,
        {
          type: 'request.refused',
          memberId: auth.member.id,
          credentialId: auth.credentialId,
          requestId: meta.requestId,
          clientIp: meta.clientIp,
          details: {
            errorCode: error.code,
            route: `${request.method} ${request.routeOptions.url ?? request.url}`,
          },
        },
        this.clock.now(),
      );
    } catch (writeError) {
      this.logger.warn(
        `could not audit a refused request: ${writeError instanceof Error ? writeError.message : String(writeError)}`,
      );
    }
  }
}
