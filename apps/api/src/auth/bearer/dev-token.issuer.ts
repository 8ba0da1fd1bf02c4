import { randomBytes } from 'node:crypto';

import { Inject, Injectable } from '@nestjs/common';
import { SignJWT } from 'jose';

import { CLOCK, type Clock } from '../../common/clock';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';

/** `iss` of every development token; the bearer verifier requires it on HS256 tokens. */
export const DEV_TOKEN_ISSUER = 'member-phone-dev';

const DEFAULT_TTL_SECONDS = 30 * 24 * 60 * 60;
const SCOPE_PATTERN = /^[\x21-\x7e]+$/;

export interface DevTokenRequest {
  readonly memberId: string;
  readonly scopes: readonly string[];
  /** Lifetime; 30 days when omitted. */
  readonly ttlSeconds?: number;
}

/**
 * Issues HS256 bearer tokens signed with the embedded development secret, for the demo seed and
 * the operator CLI. Refuses in production, where tokens come from a real identity provider.
 */
@Injectable()
export class DevTokenIssuer {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async issue(request: DevTokenRequest): Promise<string> {
    if (this.config.mode === 'production') {
      throw new Error('development tokens are not issued in production mode');
    }
    const secret = this.config.bearer.hs256Secret;
    if (!secret) throw new Error('no HS256 development secret is configured');
    if (!this.config.bearer.algorithms.includes('HS256')) {
      throw new Error('HS256 is not among the accepted JWT algorithms: the token would not verify');
    }
    if (request.memberId.length === 0) throw new RangeError('memberId must not be empty');
    const bad = request.scopes.find((scope) => !SCOPE_PATTERN.test(scope));
    if (bad !== undefined)
      throw new RangeError(`scope ${JSON.stringify(bad)} must be visible ASCII without spaces`);
    const ttl = request.ttlSeconds ?? DEFAULT_TTL_SECONDS;
    if (!Number.isSafeInteger(ttl) || ttl <= 0)
      throw new RangeError('ttlSeconds must be a positive whole number');

    const issuedAt = Math.floor(this.clock.now() / 1000);
    return new SignJWT({ scope: request.scopes.join(' ') })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(request.memberId)
      .setJti(randomBytes(16).toString('hex'))
      .setIssuer(DEV_TOKEN_ISSUER)
      .setIssuedAt(issuedAt)
      .setExpirationTime(issuedAt + ttl)
      .sign(new Uint8Array(secret));
  }
}
