import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { type MemberStatus, parseAuthorizationHeader } from '@member-phone/core';
import type { FastifyRequest } from 'fastify';

import { RefusalAuditor } from '../audit/refusal-auditor';
import { ApiError } from '../common/api-error';
import { unauthorized } from './auth-challenge';
import { type AuthContext, hasScope } from './auth-context';
import { ALLOWED_MEMBER_STATUSES, PUBLIC_ROUTE, REQUIRED_SCOPE } from './auth.decorators';
import { BearerVerifier } from './bearer/bearer.verifier';
import { HmacVerifier } from './hmac/hmac.verifier';

/** Statuses allowed on a route that does not say otherwise. */
const DEFAULT_ALLOWED_STATUSES: readonly MemberStatus[] = ['ACTIVE'];

/**
 * The global default-deny guard: every route needs credentials unless it is marked `@Public()`.
 * Checks in DESIGN §2's order and stops at the first failure: authentication (HMAC or bearer,
 * by scheme), then the route's `@RequireScope`, then its `@AllowMemberStatus` (ACTIVE by default).
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly hmac: HmacVerifier,
    private readonly bearer: BearerVerifier,
    private readonly refusals: RefusalAuditor,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean | undefined>(PUBLIC_ROUTE, targets) === true) return true;
    if (context.getType() !== 'http') return false;

    const request = context.switchToHttp().getRequest<FastifyRequest>();
    if (authorizationHeaderCount(request.raw.rawHeaders) > 1) {
      throw unauthorized('several Authorization headers');
    }
    const auth = await this.authenticate(request.headers.authorization);
    // Attached before the permission checks, so a refusal can still be logged and audited with who asked.
    request.auth = auth;

    try {
      this.authorize(auth, targets);
    } catch (refusal) {
      await this.refusals.record(request, refusal);
      throw refusal;
    }
    return true;
  }

  /** Steps 2 and 3 of DESIGN §2: the route's permission, then the member's status. */
  private authorize(auth: AuthContext, targets: Parameters<Reflector['getAllAndOverride']>[1]): void {
    const scope = this.reflector.getAllAndOverride<string | undefined>(REQUIRED_SCOPE, targets);
    if (scope !== undefined && !hasScope(auth, scope)) {
      throw new ApiError('Forbidden', { detail: `credential lacks ${scope}` });
    }
    const statuses =
      this.reflector.getAllAndOverride<readonly MemberStatus[] | undefined>(
        ALLOWED_MEMBER_STATUSES,
        targets,
      ) ?? DEFAULT_ALLOWED_STATUSES;
    if (!statuses.includes(auth.member.status)) {
      throw new ApiError('InvalidMemberStatus', { detail: `member status ${auth.member.status}` });
    }
  }

  private authenticate(header: string | undefined): Promise<AuthContext> {
    const parsed = parseAuthorizationHeader(header);
    if (!parsed.ok) return Promise.reject(unauthorized(`Authorization header: ${parsed.reason}`));
    return parsed.scheme === 'hmac' ? this.hmac.verify(parsed) : this.bearer.verify(parsed.token);
  }
}

/**
 * Node keeps the first of several `Authorization` headers and drops the rest. Which credential the
 * client meant is then a guess, and a proxy in front may have guessed the other way: refuse them.
 */
function authorizationHeaderCount(rawHeaders: readonly string[]): number {
  let count = 0;
  for (let i = 0; i < rawHeaders.length; i += 2) {
    const name = rawHeaders[i];
    if (name !== undefined && name.length === 13 && name.toLowerCase() === 'authorization') count += 1;
  }
  return count;
}
