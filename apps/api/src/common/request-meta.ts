import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';

/** What the audit trail and the rate limits need to know about the request itself. */
export interface RequestMeta {
  readonly requestId: string;
  /** The client's address; behind a trusted proxy, the first `X-Forwarded-For` hop. */
  readonly clientIp: string;
}

export function requestMetaOf(request: FastifyRequest): RequestMeta {
  return { requestId: String(request.id), clientIp: request.ip };
}

/** Injects the {@link RequestMeta} of the current request into a handler. */
export const Meta = createParamDecorator(
  (_data: unknown, ctx: ExecutionContext): RequestMeta =>
    requestMetaOf(ctx.switchToHttp().getRequest<FastifyRequest>()),
);
