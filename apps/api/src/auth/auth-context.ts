import type { MemberRow } from '../database/schema';

/** Who is calling, as established by the auth guard and attached to the request as `request.auth`. */
export interface AuthContext {
  readonly method: 'hmac' | 'bearer';
  /** Stable id of the credential: `apikey:<keyId>` or `bearer:<jti or token hash>`. */
  readonly credentialId: string;
  readonly member: MemberRow;
  /** `'all'` for an API key created without a scope list. */
  readonly scopes: ReadonlySet<string> | 'all';
}

export function hasScope(auth: AuthContext, scope: string): boolean {
  return auth.scopes === 'all' || auth.scopes.has(scope);
}
