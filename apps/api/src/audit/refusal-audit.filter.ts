import { type ArgumentsHost, Catch, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';

import { sendError } from '../common/errors/send-error';
import { RefusalAuditor } from './refusal-auditor';

/**
 * The one global filter: audits the refusal of an authenticated member (see {@link RefusalAuditor})
 * and only then answers in the catalog shape, so the audit row exists before the caller sees the
 * refusal. A filter instead of an interceptor: every global interceptor costs every request an
 * rxjs pipeline and an `AsyncResource` binding, about a tenth of a request's CPU (docs/performance.md),
 * while a filter costs nothing until something fails.
 */
@Catch()
export class RefusalAuditFilter implements ExceptionFilter {
  constructor(private readonly auditor: RefusalAuditor) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    if (!this.auditor.wouldRecord(request, exception)) {
      sendError(exception, request, reply);
      return;
    }
    // Nest hands Fastify the reply object for a failed request, so answering later is expected.
    void this.auditor.record(request, exception).finally(() => sendError(exception, request, reply));
  }
}
