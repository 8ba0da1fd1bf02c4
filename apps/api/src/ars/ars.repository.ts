import { Inject, Injectable } from '@nestjs/common';
import type { ExpressionBuilder, Kysely } from 'kysely';

import { KYSELY } from '../database/database.module';
import type { Executor } from '../database/executor';
import type { ArsVerificationRow, Database } from '../database/schema';

/** How an inbound keypad event names its verification: by our id or by the provider's call id. */
export type VerificationLookup = { readonly verificationId: string } | { readonly providerCallId: string };

/** A verification whose attempt was just counted. */
export type CountedAttempt = Pick<
  ArsVerificationRow,
  'id' | 'member_id' | 'phone_number' | 'credential_id' | 'code_hash' | 'attempts'
>;

/**
 * All SQL about `ars_verifications`. Every state change is one conditional UPDATE naming the state
 * it leaves, so concurrent requests cannot both win a transition.
 */
@Injectable()
export class ArsRepository {
  constructor(@Inject(KYSELY) private readonly db: Kysely<Database>) {}

  async insert(executor: Executor, row: ArsVerificationRow): Promise<void> {
    await executor.insertInto('ars_verifications').values(row).execute();
  }

  /** Cancels a member's verifications that could still become or serve as a proof. */
  async cancelOpen(executor: Executor, memberId: string, now: number): Promise<number> {
    const result = await executor
      .updateTable('ars_verifications')
      .set({ status: 'CANCELED', date_updated: now })
      .where('member_id', '=', memberId)
      .where('expire_at', '>', now)
      .where((eb) =>
        eb.or([
          eb('status', '=', 'CALLING'),
          eb.and([eb('status', '=', 'VERIFIED'), eb('consumed_at', 'is', null)]),
        ]),
      )
      .executeTakeFirst();
    return Number(result.numUpdatedRows);
  }

  findById(id: string, executor: Executor = this.db): Promise<ArsVerificationRow | undefined> {
    return executor.selectFrom('ars_verifications').selectAll().where('id', '=', id).executeTakeFirst();
  }

  findForMember(id: string, memberId: string): Promise<ArsVerificationRow | undefined> {
    return this.db
      .selectFrom('ars_verifications')
      .selectAll()
      .where('id', '=', id)
      .where('member_id', '=', memberId)
      .executeTakeFirst();
  }

  async setProviderCallId(
    executor: Executor,
    id: string,
    providerCallId: string,
    now: number,
  ): Promise<void> {
    await executor
      .updateTable('ars_verifications')
      .set({ provider_call_id: providerCallId, date_updated: now })
      .where('id', '=', id)
      .where('provider_call_id', 'is', null)
      .execute();
  }

  /** CALLING → FAILED. */
  async markFailed(
    executor: Executor,
    lookup: VerificationLookup,
    now: number,
  ): Promise<ArsVerificationRow | undefined> {
    return executor
      .updateTable('ars_verifications')
      .set({ status: 'FAILED', date_updated: now })
      .where((eb) => this.matches(eb, lookup))
      .where('status', '=', 'CALLING')
      .returningAll()
      .executeTakeFirst();
  }

  /** CALLING or VERIFIED past its `expire_at` → EXPIRED. */
  async markExpired(id: string, now: number): Promise<void> {
    await this.db
      .updateTable('ars_verifications')
      .set({ status: 'EXPIRED', date_updated: now })
      .where('id', '=', id)
      .where('status', 'in', ['CALLING', 'VERIFIED'])
      .where('expire_at', '<=', now)
      .execute();
  }

  /**
   * Uses up one keypad attempt of an open verification, before anything is compared, so parallel
   * guesses cannot exceed the allowance. Nothing comes back when it is not open or has none left.
   */
  countAttempt(
    executor: Executor,
    lookup: VerificationLookup,
    maxAttempts: number,
    now: number,
  ): Promise<CountedAttempt | undefined> {
    return executor
      .updateTable('ars_verifications')
      .set((eb) => ({ attempts: eb('attempts', '+', 1), date_updated: now }))
      .where((eb) => this.matches(eb, lookup))
      .where('status', '=', 'CALLING')
      .where('attempts', '<', maxAttempts)
      .where('expire_at', '>', now)
      .returning(['id', 'member_id', 'phone_number', 'credential_id', 'code_hash', 'attempts'])
      .executeTakeFirst();
  }

  /** CALLING → VERIFIED, starting the proof's lifetime. */
  async markVerified(executor: Executor, id: string, now: number, proofExpireAt: number): Promise<boolean> {
    const row = await executor
      .updateTable('ars_verifications')
      .set({ status: 'VERIFIED', verified_at: now, expire_at: proofExpireAt, date_updated: now })
      .where('id', '=', id)
      .where('status', '=', 'CALLING')
      .where('expire_at', '>', now)
      .returning('id')
      .executeTakeFirst();
    return row !== undefined;
  }

  /** VERIFIED, unused and unexpired, for exactly this member, number and credential → CONSUMED. */
  async consume(
    executor: Executor,
    proof: { memberId: string; phoneNumber: string; credentialId: string; now: number },
  ): Promise<string | undefined> {
    const row = await executor
      .updateTable('ars_verifications')
      .set({ status: 'CONSUMED', consumed_at: proof.now, date_updated: proof.now })
      .where('member_id', '=', proof.memberId)
      .where('phone_number', '=', proof.phoneNumber)
      .where('credential_id', '=', proof.credentialId)
      .where('status', '=', 'VERIFIED')
      .where('consumed_at', 'is', null)
      .where('expire_at', '>', proof.now)
      .returning('id')
      .executeTakeFirst();
    return row?.id;
  }

  private matches(eb: ExpressionBuilder<Database, 'ars_verifications'>, lookup: VerificationLookup) {
    return 'verificationId' in lookup
      ? eb('id', '=', lookup.verificationId)
      : eb('provider_call_id', '=', lookup.providerCallId);
  }
}
