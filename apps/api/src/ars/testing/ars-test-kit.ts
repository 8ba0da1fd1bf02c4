// Shared by the ars, audit, rate-limit and telephony specs. Production dependencies only, so it is
// harmless in the build output. The database comes from database/testing/test-database.ts: SQLite,
// or with TEST_DATABASE_URL=postgres://… a PostgreSQL database of its own, dropped afterwards.
import { AuditService } from '../../audit/audit.service';
import type { AuthContext } from '../../auth/auth-context';
import { testConfig } from '../../auth/testing/auth-test-kit';
import type { ManualClock } from '../../common/testing/manual-clock';
import type { AppConfig, ArsRateLimits, TelephonyConfig } from '../../config/app-config';
import type { DatabaseHandle } from '../../database/create-database';
import type { MemberRow } from '../../database/schema';
import { RateLimiter } from '../../rate-limit/rate-limiter';
import {
  type PlaceCallRequest,
  type PlaceCallResult,
  type TelephonyPort,
  TelephonyUnavailableError,
} from '../../telephony/telephony.port';
import { ArsRepository } from '../ars.repository';
import { ArsService } from '../ars.service';

export { insertMember } from '../../auth/testing/auth-test-kit';
export { openTestDatabase, type TestDatabase } from '../../database/testing/test-database';

/** Limits far above what a test reaches, so only the limit under test ever refuses. */
export const GENEROUS_LIMITS: ArsRateLimits = {
  memberCooldown: { limit: 1000, windowMs: 30_000 },
  memberDaily: { limit: 1000, windowMs: 86_400_000 },
  numberHourly: { limit: 1000, windowMs: 3_600_000 },
  numberDaily: { limit: 1000, windowMs: 86_400_000 },
  credentialDaily: { limit: 1000, windowMs: 86_400_000 },
  clientAddressHourly: { limit: 1000, windowMs: 3_600_000 },
  globalHourly: { limit: 1000, windowMs: 3_600_000 },
};

/** A development configuration with fresh keys; ARS limits generous unless some are given. */
export function arsTestConfig(
  options: { limits?: Partial<ArsRateLimits>; telephony?: TelephonyConfig; mode?: AppConfig['mode'] } = {},
): AppConfig {
  const base = testConfig();
  return {
    ...base,
    mode: options.mode ?? 'development',
    ars: { ...base.ars, limits: { ...GENEROUS_LIMITS, ...options.limits } },
    telephony: options.telephony ?? { adapter: 'simulator' },
  };
}

/** The auth context the guard would build for an API key of this member. */
export function authFor(member: MemberRow, credentialId = `apikey:key-of-${member.id}`): AuthContext {
  return { method: 'hmac', credentialId, member, scopes: 'all' };
}

/** A telephony adapter that remembers every call and can be told to fail. */
export class RecordingTelephony implements TelephonyPort {
  readonly calls: PlaceCallRequest[] = [];
  failWith: Error | undefined;

  placeCall(request: PlaceCallRequest): Promise<PlaceCallResult> {
    this.calls.push(request);
    if (this.failWith) return Promise.reject(this.failWith);
    return Promise.resolve({ providerCallId: `rec-${request.verificationId}` });
  }

  failNextCalls(error: Error = new TelephonyUnavailableError('provider down')): void {
    this.failWith = error;
  }
}

/** An {@link ArsService} over real repositories and a fake telephony, as the module would build it. */
export function buildArsService(
  config: AppConfig,
  handle: DatabaseHandle,
  clock: ManualClock,
  telephony: TelephonyPort = new RecordingTelephony(),
): ArsService {
  const db = handle.db;
  return new ArsService(
    config,
    clock,
    db,
    telephony,
    new ArsRepository(db),
    new RateLimiter(db),
    new AuditService(db),
  );
}
