import { type CallHandler, type ExecutionContext, Injectable, type NestInterceptor } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { catchError, from, mergeMap, type Observable, throwError } from 'rxjs';

import { RefusalAuditor } from './refusal-auditor';

/**
 * Audits refusals raised after the guard: the body pipe's (`ValidationError`, `InvalidPhoneNumber`,
 * `UnsupportedMediaType`) and the handlers'. The guard audits its own refusals itself, since it runs
 * before any interceptor.
 */
@Injectable()
export class RefusalAuditInterceptor implements NestInterceptor {
  constructor(private readonly auditor: RefusalAuditor) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    return next
      .handle()
      .pipe(
        catchError((error: unknown) =>
          from(this.auditor.record(request, error)).pipe(mergeMap(() => throwError(() => error))),
        ),
      );
  }
}
