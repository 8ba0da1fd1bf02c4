import { createHash, createPublicKey, type KeyObject } from 'node:crypto';

import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import {
  createRemoteJWKSet,
  decodeProtectedHeader,
  errors,
  importSPKI,
  type JWTPayload,
  jwtVerify,
  type JWTVerifyOptions,
  type KeyLike,
} from 'jose';

import { ApiError } from '../../common/api-error';
import { CLOCK, type Clock } from '../../common/clock';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';
import { MembersRepository } from '../../members/members.repository';
import { unauthorized } from '../auth-challenge';
import type { AuthContext } from '../auth-context';
import { isDatabaseUnavailable, withDatabase } from '../../database/database-unavailable';
import { DEV_TOKEN_ISSUER } from './dev-token.issuer';
import { keyFitsAlgorithm } from './public-key';

/** A `jti` goes into credential ids and audit rows (128 characters); longer or odd ones are hashed. */
const JTI_PATTERN = /^[\x21-\x7e]{1,96}$/;

function invalidToken(detail: string, cause?: unknown): ApiError {
  return unauthorized(`bearer token rejected: ${detail}`, { invalidBearerToken: true, cause });
}

/** `scope` as a space-separated string (RFC 8693) or, as some providers send it, an array. */
function scopesOf(claim: unknown): string[] | undefined {
  if (claim === undefined) return [];
  if (typeof claim === 'string') return claim.split(/\s+/).filter((scope) => scope.length > 0);
  if (Array.isArray(claim) && claim.every((scope): scope is string => typeof scope === 'string'))
    return claim;
  return undefined;
}

function credentialIdOf(token: string, jti: unknown): string {
  if (typeof jti === 'string' && JTI_PATTERN.test(jti)) return `bearer:${jti}`;
  return `bearer:${createHash('sha256').update(token).digest('hex').slice(0, 32)}`;
}

/** The JWKS could not be fetched or read: the token cannot be judged, so it is not the caller's fault. */
function isKeySetUnavailable(error: unknown): boolean {
  if (error instanceof errors.JWKSTimeout || error instanceof errors.JWKSInvalid) return true;
  // jose raises the bare JOSEError only for a non-200 or non-JSON JWKS response.
  if (error instanceof errors.JOSEError && error.code === errors.JOSEError.code) return true;
  return !(error instanceof errors.JOSEError) && isDatabaseUnavailable(error);
}

/** A key set fetched over plain HTTP could be swapped in transit, so production insists on HTTPS. */
function jwksUrlOf(raw: string, mode: AppConfig['mode']): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch (error) {
    throw new Error('JWT_JWKS_URL is not a URL', { cause: error });
  }
  const allowed = mode === 'production' ? ['https:'] : ['https:', 'http:'];
  if (!allowed.includes(url.protocol)) throw new Error(`JWT_JWKS_URL must use ${allowed.join(' or ')}`);
  return url;
}

/**
 * Verifies `Authorization: Bearer <JWT>`. The token's `alg` picks the key: `HS256` only with the
 * embedded development secret (and only for tokens of the development issuer), asymmetric
 * algorithms with the configured public key, else the JWKS. Every algorithm must be allow-listed.
 */
@Injectable()
export class BearerVerifier implements OnModuleInit {
  private readonly allowed: ReadonlySet<string>;
  private readonly devSecret: Uint8Array | undefined;
  private readonly keySet: ReturnType<typeof createRemoteJWKSet> | undefined;
  private readonly publicKeys = new Map<string, KeyLike>();

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly members: MembersRepository,
  ) {
    this.allowed = new Set(config.bearer.algorithms.filter((alg) => alg !== 'none'));
    this.devSecret =
      config.mode === 'development' && config.bearer.hs256Secret && this.allowed.has('HS256')
        ? new Uint8Array(config.bearer.hs256Secret)
        : undefined;
    // Created once: jose caches the key set and rate-limits refetches on unknown `kid`s.
    this.keySet =
      !config.bearer.publicKeyPem && config.bearer.jwksUrl
        ? createRemoteJWKSet(jwksUrlOf(config.bearer.jwksUrl, config.mode))
        : undefined;
  }

  /** Imports the configured public key once per algorithm it can serve; a bad key stops the boot. */
  async onModuleInit(): Promise<void> {
    const pem = this.config.bearer.publicKeyPem;
    if (!pem) return;
    let key: KeyObject;
    try {
      key = createPublicKey(pem);
    } catch (error) {
      throw new Error('JWT_PUBLIC_KEY is not a PEM public key', { cause: error });
    }
    for (const alg of this.allowed) {
      if (keyFitsAlgorithm(key, alg)) this.publicKeys.set(alg, await importSPKI(pem, alg));
    }
    if (this.publicKeys.size === 0) {
      throw new Error(`JWT_PUBLIC_KEY (${key.asymmetricKeyType}) fits none of the accepted algorithms`);
    }
  }

  async verify(token: string): Promise<AuthContext> {
    const payload = await this.verifyToken(token);

    if (typeof payload.sub !== 'string' || payload.sub.length === 0) throw invalidToken('no sub claim');
    const scopes = scopesOf(payload.scope);
    if (scopes === undefined) throw invalidToken('scope claim is neither a string nor a list of strings');
    const memberId = payload.sub;
    const member = await withDatabase('loading the token subject', () => this.members.findById(memberId));
    if (!member || member.status === 'DELETED') throw invalidToken('subject is missing or deleted');

    return {
      method: 'bearer',
      credentialId: credentialIdOf(token, payload.jti),
      member,
      scopes: new Set(scopes),
    };
  }

  private async verifyToken(token: string): Promise<JWTPayload> {
    let alg: unknown;
    try {
      alg = decodeProtectedHeader(token).alg;
    } catch (error) {
      throw invalidToken('malformed', error);
    }
    if (typeof alg !== 'string' || !this.allowed.has(alg)) throw invalidToken('algorithm not allowed');

    // A token without an expiry would be a credential forever: `exp` (and `sub`) are required.
    const base: JWTVerifyOptions = {
      algorithms: [alg],
      currentDate: new Date(this.clock.now()),
      requiredClaims: ['exp', 'sub'],
    };
    const external: JWTVerifyOptions = {
      ...base,
      ...(this.config.bearer.issuer ? { issuer: this.config.bearer.issuer } : {}),
      ...(this.config.bearer.audience ? { audience: this.config.bearer.audience } : {}),
    };
    try {
      if (alg.startsWith('HS')) {
        if (alg !== 'HS256' || !this.devSecret) throw invalidToken('no local secret for this algorithm');
        return (await jwtVerify(token, this.devSecret, { ...base, issuer: DEV_TOKEN_ISSUER })).payload;
      }
      if (this.config.bearer.publicKeyPem) {
        const key = this.publicKeys.get(alg);
        if (!key) throw invalidToken('algorithm does not fit the configured public key');
        return (await jwtVerify(token, key, external)).payload;
      }
      if (this.keySet) return (await jwtVerify(token, this.keySet, external)).payload;
      throw invalidToken('no verification key is configured for asymmetric tokens');
    } catch (error) {
      if (error instanceof ApiError) throw error;
      if (isKeySetUnavailable(error)) {
        throw new ApiError('ServiceUnavailable', { detail: 'the JWKS could not be fetched', cause: error });
      }
      if (error instanceof errors.JOSEError) throw invalidToken(error.code, error);
      throw error;
    }
  }
}
