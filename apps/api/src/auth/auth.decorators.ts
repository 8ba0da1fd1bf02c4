import { createParamDecorator, type ExecutionContext, SetMetadata } from '@nestjs/common';
import type { MemberStatus } from '@member-phone/core';
import type { FastifyRequest } from 'fastify';

import type { AuthContext } from './auth-context';

export const PUBLIC_ROUTE = 'memberPhone:public';
export const REQUIRED_SCOPE = 'memberPhone:requiredScope';
export const ALLOWED_MEMBER_STATUSES = 'memberPhone:allowedMemberStatuses';

/** Opts a route out of the global default-deny auth guard (health, docs, signed webhooks). */
export const Public = () => SetMetadata(PUBLIC_ROUTE, true);

/** The permission the credential must carry (DESIGN section 2, step 2). */
export const RequireScope = (scope: string) => SetMetadata(REQUIRED_SCOPE, scope);

/** The member statuses allowed on the route (DESIGN section 2, step 3). */
export const AllowMemberStatus = (...statuses: MemberStatus[]) =>
  SetMetadata(ALLOWED_MEMBER_STATUSES, statuses);

/** The caller established by the guard. Only on routes that are not {@link Public}. */
export const Auth = createParamDecorator((_data: unknown, ctx: ExecutionContext): AuthContext => {
  const auth = ctx.switchToHttp().getRequest<FastifyRequest>().auth;
  if (!auth) throw new Error('@Auth() used on a route the auth guard did not authenticate');
  return auth;
});
