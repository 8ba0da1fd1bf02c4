import { Inject, Injectable } from '@nestjs/common';
import { computeHmacSignature, type parseAuthorizationHeader, signaturesEqual } from '@member-phone/core';

import { scopesFromColumn } from '../../api-keys/api-key-scopes';
import { ApiKeysService } from '../../api-keys/api-keys.service';
import { ApiError } from '../../common/api-error';
import { CLOCK, type Clock } from '../../common/clock';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';
import type { AuthContext } from '../auth-context';
import { withDatabase } from '../../database/database-unavailable';
import { ReplayStore } from './replay.store';

/** A parsed `Authorization: HMAC-…` header, as `parseAuthorizationHeader` from the core lib returns it. */
export type HmacAuthorization = Extract<ReturnType<typeof parseAuthorizationHeader>, { scheme: 'hmac' }>;

/**
 * Verifies an API-key (HMAC) request, checking in DESIGN §3's order and stopping at the first
 * failure: key, clock, signature, replay. The replay record is written last, so a forged or stale
 * request can never use up a signature its owner has yet to send.
 */
@Injectable()
export class HmacVerifier {
  constructor(
    private readonly apiKeys: ApiKeysService,
    private readonly replay: ReplayStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async verify({ credentials, dateMs }: HmacAuthorization): Promise<AuthContext> {
    const now = this.clock.now();

    const key = await withDatabase('looking up the API key', () =>
      this.apiKeys.resolveSecret(credentials.apiKey),
    );
    if (!key) throw new ApiError('InvalidAPIKey', { detail: 'unknown or disabled API key' });
    const member = key.owner;
    // A deleted member's keys stop working without anyone having to disable them one by one.
    if (!member || member.status === 'DELETED') {
      throw new ApiError('InvalidAPIKey', { detail: 'the key owner is missing or deleted' });
    }

    if (!Number.isFinite(dateMs) || Math.abs(now - dateMs) > this.config.hmac.maxClockSkewMs) {
      throw new ApiError('RequestTimeTooSkewed', {
        detail: `signed date is ${Math.round((now - dateMs) / 1000)} s off`,
      });
    }

    // Over the date string exactly as the client sent it: re-formatting it would break every
    // client that signed `+09:00` or nanosecond dates.
    const expected = computeHmacSignature(
      credentials.algorithm,
      key.secret,
      credentials.date,
      credentials.salt,
    );
    if (!signaturesEqual(expected, credentials.signature)) {
      throw new ApiError('SignatureDoesNotMatch', { detail: `${credentials.algorithm} signature mismatch` });
    }

    const fresh = await withDatabase('recording the signature', () =>
      this.replay.claim({ signature: credentials.signature, apiKeyId: key.row.id, dateMs, now }),
    );
    if (!fresh) throw new ApiError('DuplicatedSignature', { detail: 'signature already used' });

    const scopes = scopesFromColumn(key.row.scopes);
    return {
      method: 'hmac',
      credentialId: `apikey:${key.row.id}`,
      member,
      scopes: scopes === null ? 'all' : new Set(scopes),
    };
  }
}
