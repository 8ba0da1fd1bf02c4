import { Inject, Injectable, Logger } from '@nestjs/common';
import {
  type ArsVerification,
  type ArsVerificationStarted,
  checkKoreanMobileNumber,
  maskPhoneNumber,
} from '@member-phone/core';
import type { Kysely } from 'kysely';

import { AuditService } from '../audit/audit.service';
import type { AuditDetails, AuditEvent } from '../audit/audit.types';
import type { AuthContext } from '../auth/auth-context';
import { ApiError } from '../common/api-error';
import { CLOCK, type Clock } from '../common/clock';
import type { RequestMeta } from '../common/request-meta';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { deriveKey } from '../crypto/derive-key';
import { KYSELY } from '../database/database.module';
import type { Executor } from '../database/executor';
import type { ArsVerificationRow, Database } from '../database/schema';
import type { RateLimitCheck } from '../rate-limit/rate-limit.types';
import { RateLimiter } from '../rate-limit/rate-limiter';
import type { TelephonyEvent } from '../telephony/telephony-event';
import { TELEPHONY_PORT, type TelephonyPort, TelephonyUnavailableError } from '../telephony/telephony.port';
import { arsCodeMatches, generateArsCode, hashArsCode } from './ars-code';
import { ArsRepository, type VerificationLookup } from './ars.repository';
import { isVerificationId, newVerificationId } from './verification-id';
import type {
  KeypadInput,
  KeypadOutcome,
  ProofClaim,
  SimulatedKeypadResult,
  TelephonyEventResult,
} from './ars.types';

type Actor = Pick<AuditEvent, 'memberId' | 'credentialId' | 'requestId' | 'clientIp'>;

interface NamedCheck extends RateLimitCheck {
  /** Written to the audit trail: the key itself may hold a phone number. */
  readonly name: string;
}

function lookupOf(
  input: Pick<KeypadInput, 'verificationId' | 'providerCallId'>,
): VerificationLookup | undefined {
  if (input.verificationId) {
    return isVerificationId(input.verificationId) ? { verificationId: input.verificationId } : undefined;
  }
  if (input.providerCallId) return { providerCallId: input.providerCallId };
  return undefined;
}

/**
 * The ARS second authentication: starts verifications and places their calls, takes keypad input,
 * and hands the phone-number update a proof it can consume exactly once.
 */
@Injectable()
export class ArsService {
  private readonly logger = new Logger(ArsService.name);
  private readonly codeKey: Buffer;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(KYSELY) private readonly db: Kysely<Database>,
    @Inject(TELEPHONY_PORT) private readonly telephony: TelephonyPort,
    private readonly verifications: ArsRepository,
    private readonly rateLimiter: RateLimiter,
    private readonly audit: AuditService,
  ) {
    this.codeKey = deriveKey(config.masterKey, 'ars-code-hash');
  }

  /**
   * Starts a verification of `phoneNumber` for the caller and places the call. Any open
   * verification of the member is canceled. The answer carries the code to show on screen.
   */
  async start(auth: AuthContext, phoneNumber: string, meta: RequestMeta): Promise<ArsVerificationStarted> {
    const checked = checkKoreanMobileNumber(phoneNumber);
    if (!checked.valid) throw new ApiError('InvalidPhoneNumber', { detail: checked.reason });
    const number = checked.phoneNumber;
    const masked = maskPhoneNumber(number);
    const actor: Actor = {
      memberId: auth.member.id,
      credentialId: auth.credentialId,
      requestId: meta.requestId,
      clientIp: meta.clientIp,
    };
    const now = this.clock.now();

    await this.enforceRateLimits(auth, number, meta, actor, now);

    const verificationId = newVerificationId();
    const code = generateArsCode(this.config.ars.codeLength);
    const expireAt = now + this.config.ars.callWindowMs;
    await this.db.transaction().execute(async (trx) => {
      const canceled = await this.verifications.cancelOpen(trx, auth.member.id, now);
      await this.verifications.insert(trx, {
        id: verificationId,
        member_id: auth.member.id,
        phone_number: number,
        credential_id: auth.credentialId,
        code_hash: hashArsCode(this.codeKey, verificationId, code),
        status: 'CALLING',
        attempts: 0,
        provider_call_id: null,
        date_created: now,
        expire_at: expireAt,
        verified_at: null,
        consumed_at: null,
        date_updated: now,
      });
      await this.audit.record(
        trx,
        { ...actor, type: 'ars.requested', details: { verificationId, phoneNumber: masked, canceled } },
        now,
      );
    });

    await this.placeCall(verificationId, number, masked, actor, meta);

    return {
      verificationId,
      phoneNumber: number,
      code,
      status: 'CALLING',
      attemptsLeft: this.config.ars.maxAttempts,
      expireAt: new Date(expireAt).toISOString(),
    };
  }

  /** The caller's own verification, without the code. Anyone else's answers `ResourceNotFound`. */
  async get(auth: AuthContext, verificationId: string): Promise<ArsVerification> {
    if (!isVerificationId(verificationId)) throw new ApiError('ResourceNotFound');
    const row = await this.verifications.findForMember(verificationId, auth.member.id);
    if (!row) throw new ApiError('ResourceNotFound');
    return this.view(row, this.clock.now());
  }

  /**
   * Takes digits typed during a call. The attempt is counted before the comparison, in one
   * conditional update, so parallel guesses never get more than the allowed attempts.
   */
  async submitKeypad(
    input: KeypadInput,
    now: number,
    meta?: RequestMeta,
  ): Promise<{ outcome: KeypadOutcome }> {
    const lookup = lookupOf(input);
    if (!lookup) return { outcome: 'not_open' };
    const maxAttempts = this.config.ars.maxAttempts;
    const counted = await this.verifications.countAttempt(this.db, lookup, maxAttempts, now);
    if (!counted) return { outcome: 'not_open' };

    const actor = this.actorOf(counted, meta);
    const details: AuditDetails = {
      verificationId: counted.id,
      phoneNumber: maskPhoneNumber(counted.phone_number),
      attempt: counted.attempts,
    };

    if (arsCodeMatches(this.codeKey, counted.id, input.digits, counted.code_hash)) {
      const verified = await this.db.transaction().execute(async (trx) => {
        const changed = await this.verifications.markVerified(
          trx,
          counted.id,
          now,
          now + this.config.ars.proofLifetimeMs,
        );
        if (changed) await this.audit.record(trx, { ...actor, type: 'ars.verified', details }, now);
        return changed;
      });
      return { outcome: verified ? 'verified' : 'not_open' };
    }

    const exhausted = counted.attempts >= maxAttempts;
    await this.db.transaction().execute(async (trx) => {
      if (exhausted) await this.verifications.markFailed(trx, { verificationId: counted.id }, now);
      await this.audit.record(
        trx,
        {
          ...actor,
          type: 'ars.failed',
          details: {
            ...details,
            attemptsLeft: Math.max(0, maxAttempts - counted.attempts),
            reason: exhausted ? 'attempts_exhausted' : 'code_mismatch',
          },
        },
        now,
      );
    });
    return { outcome: exhausted ? 'failed' : 'mismatch' };
  }

  /** Acts on an inbound provider event whose signature has been checked. */
  async handleTelephonyEvent(
    event: TelephonyEvent,
    now: number,
    meta?: RequestMeta,
  ): Promise<TelephonyEventResult> {
    switch (event.type) {
      case 'keypad':
        return this.submitKeypad({ verificationId: event.callId, digits: event.digits }, now, meta);
      case 'call.failed':
        return this.failCall({ verificationId: event.callId }, now, meta);
      case 'ignored':
        return { outcome: 'ignored' };
    }
  }

  /** Development only: "presses" the keypad of a simulated call and reports the resulting status. */
  async simulateKeypad(
    verificationId: string,
    digits: string,
    meta?: RequestMeta,
  ): Promise<SimulatedKeypadResult> {
    if (!isVerificationId(verificationId)) throw new ApiError('ResourceNotFound');
    const now = this.clock.now();
    const { outcome } = await this.submitKeypad({ verificationId, digits }, now, meta);
    const row = await this.verifications.findById(verificationId);
    if (!row) throw new ApiError('ResourceNotFound');
    const { status } = await this.view(row, now);
    return { outcome, status };
  }

  /**
   * Marks the proof for exactly this member, number and credential as used, and returns its id;
   * `undefined` when there is no usable proof. One conditional update inside the caller's
   * transaction, so of two parallel updates on one proof exactly one gets the id.
   */
  consumeProof(trx: Executor, claim: ProofClaim): Promise<string | undefined> {
    return this.verifications.consume(trx, claim);
  }

  private rateLimitChecks(auth: AuthContext, number: string, meta: RequestMeta): NamedCheck[] {
    const limits = this.config.ars.limits;
    const member = auth.member.id;
    return [
      // Sliding: a cooldown measured from the last call, not from a clock-aligned window.
      {
        name: 'member_cooldown',
        key: `ars:member:${member}:cooldown`,
        rule: { ...limits.memberCooldown, sliding: true },
      },
      { name: 'member_daily', key: `ars:member:${member}:day`, rule: limits.memberDaily },
      { name: 'number_hourly', key: `ars:number:${number}:hour`, rule: limits.numberHourly },
      { name: 'number_daily', key: `ars:number:${number}:day`, rule: limits.numberDaily },
      {
        name: 'credential_daily',
        key: `ars:credential:${auth.credentialId}:day`,
        rule: limits.credentialDaily,
      },
      {
        name: 'client_address_hourly',
        key: `ars:ip:${meta.clientIp}:hour`,
        rule: limits.clientAddressHourly,
      },
      // Last, so the one row every request shares stays locked for the shortest time.
      { name: 'global_hourly', key: 'ars:global:hour', rule: limits.globalHourly },
    ];
  }

  private async enforceRateLimits(
    auth: AuthContext,
    number: string,
    meta: RequestMeta,
    actor: Actor,
    now: number,
  ): Promise<void> {
    const checks = this.rateLimitChecks(auth, number, meta);
    const verdict = await this.rateLimiter.consume(this.db, checks, now);
    if (verdict.allowed) return;
    const limit = checks.find((check) => check.key === verdict.key)?.name ?? 'unknown';
    await this.audit.record(
      this.db,
      {
        ...actor,
        type: 'ars.refused',
        details: {
          reason: 'rate_limited',
          limit,
          phoneNumber: maskPhoneNumber(number),
          retryAfterSeconds: verdict.retryAfterSeconds,
        },
      },
      now,
    );
    throw new ApiError('TooManyRequests', {
      headers: { 'Retry-After': String(verdict.retryAfterSeconds) },
      detail: `ARS rate limit ${limit}`,
    });
  }

  /** Places the call outside any transaction: a slow provider must not hold database locks. */
  private async placeCall(
    verificationId: string,
    number: string,
    masked: string,
    actor: Actor,
    meta: RequestMeta,
  ): Promise<void> {
    let providerCallId: string;
    try {
      ({ providerCallId } = await this.telephony.placeCall({
        verificationId,
        to: number,
        requestId: meta.requestId,
      }));
    } catch (error) {
      const unavailable = error instanceof TelephonyUnavailableError;
      const failedAt = this.clock.now();
      await this.db.transaction().execute(async (trx) => {
        await this.verifications.markFailed(trx, { verificationId }, failedAt);
        await this.audit.record(
          trx,
          {
            ...actor,
            type: 'ars.refused',
            details: {
              reason: unavailable ? 'telephony_unavailable' : 'telephony_error',
              verificationId,
              phoneNumber: masked,
            },
          },
          failedAt,
        );
      });
      if (!unavailable) throw error;
      this.logger.warn(`telephony unavailable for verification ${verificationId}: ${error.message}`);
      throw new ApiError('ServiceUnavailable', { detail: 'telephony provider unavailable', cause: error });
    }

    const placedAt = this.clock.now();
    await this.db.transaction().execute(async (trx) => {
      await this.verifications.setProviderCallId(trx, verificationId, providerCallId, placedAt);
      await this.audit.record(
        trx,
        {
          ...actor,
          type: 'ars.call_placed',
          details: { verificationId, providerCallId, phoneNumber: masked },
        },
        placedAt,
      );
    });
  }

  private async failCall(
    lookup: VerificationLookup,
    now: number,
    meta?: RequestMeta,
  ): Promise<TelephonyEventResult> {
    return this.db.transaction().execute(async (trx) => {
      const row = await this.verifications.markFailed(trx, lookup, now);
      if (!row) return { outcome: 'not_open' as const };
      await this.audit.record(
        trx,
        {
          ...this.actorOf(row, meta),
          type: 'ars.failed',
          details: {
            verificationId: row.id,
            phoneNumber: maskPhoneNumber(row.phone_number),
            reason: 'call_failed',
          },
        },
        now,
      );
      return { outcome: 'failed' as const };
    });
  }

  private actorOf(row: Pick<ArsVerificationRow, 'member_id' | 'credential_id'>, meta?: RequestMeta): Actor {
    return {
      memberId: row.member_id,
      credentialId: row.credential_id,
      requestId: meta?.requestId ?? null,
      clientIp: meta?.clientIp ?? null,
    };
  }

  private async view(row: ArsVerificationRow, now: number): Promise<ArsVerification> {
    let status = row.status;
    if ((status === 'CALLING' || status === 'VERIFIED') && now >= row.expire_at) {
      await this.verifications.markExpired(row.id, now);
      status = 'EXPIRED';
    }
    return {
      verificationId: row.id,
      phoneNumber: row.phone_number,
      status,
      // Attempts only mean something while the call waits for the keypad.
      attemptsLeft: status === 'CALLING' ? Math.max(0, this.config.ars.maxAttempts - row.attempts) : 0,
      expireAt: new Date(row.expire_at).toISOString(),
    };
  }
}
