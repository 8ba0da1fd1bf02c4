import { Inject, Injectable } from '@nestjs/common';
import { checkKoreanMobileNumber, maskPhoneNumber, type Member } from '@member-phone/core';
import type { Kysely } from 'kysely';

import { ArsService } from '../ars/ars.service';
import { AuditService } from '../audit/audit.service';
import type { AuthContext } from '../auth/auth-context';
import { ApiError } from '../common/api-error';
import { CLOCK, type Clock } from '../common/clock';
import type { RequestMeta } from '../common/request-meta';
import { KYSELY } from '../database/database.module';
import type { Database } from '../database/schema';
import { toMember } from './member.mapper';
import { MembersRepository } from './members.repository';

type UpdateOutcome = { kind: 'changed'; member: Member } | { kind: 'refused' };

@Injectable()
export class MembersService {
  constructor(
    @Inject(KYSELY) private readonly db: Kysely<Database>,
    private readonly members: MembersRepository,
    private readonly ars: ArsService,
    private readonly audit: AuditService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  getMember(auth: AuthContext): Member {
    return toMember(auth.member);
  }

  /**
   * DESIGN section 2, steps 5 and 6: the same number is a no-op; a new one needs this member's
   * verified ARS proof for exactly that number from this credential. The proof's consumption, the
   * update and the audit record commit together or not at all.
   */
  async updatePhoneNumber(auth: AuthContext, rawPhoneNumber: string, meta: RequestMeta): Promise<Member> {
    const check = checkKoreanMobileNumber(rawPhoneNumber);
    if (!check.valid) throw new ApiError('InvalidPhoneNumber');
    const phoneNumber = check.phoneNumber;
    if (auth.member.phone_number === phoneNumber) return toMember(auth.member);

    const now = this.clock.now();
    const outcome = await this.db.transaction().execute(async (trx): Promise<UpdateOutcome> => {
      const proofId = await this.ars.consumeProof(trx, {
        memberId: auth.member.id,
        phoneNumber,
        credentialId: auth.credentialId,
        now,
      });
      // No usable proof, or a parallel request with the same proof won: refuse, change nothing.
      if (!proofId) return { kind: 'refused' };
      const updated = await this.members.updatePhoneNumber(auth.member.id, phoneNumber, now, 'ACTIVE', trx);
      if (!updated)
        throw new ApiError('InvalidMemberStatus', { detail: 'member left ACTIVE during the update' });
      await this.audit.record(
        trx,
        {
          type: 'phone.changed',
          memberId: auth.member.id,
          credentialId: auth.credentialId,
          requestId: meta.requestId,
          clientIp: meta.clientIp,
          details: {
            oldPhoneNumber: maskPhoneNumber(auth.member.phone_number),
            newPhoneNumber: maskPhoneNumber(phoneNumber),
            verificationId: proofId,
          },
        },
        now,
      );
      return { kind: 'changed', member: toMember(updated) };
    });

    if (outcome.kind !== 'refused') return outcome.member;
    await this.audit.record(
      this.db,
      {
        type: 'phone.refused',
        memberId: auth.member.id,
        credentialId: auth.credentialId,
        requestId: meta.requestId,
        clientIp: meta.clientIp,
        details: { reason: 'second_auth_required', newPhoneNumber: maskPhoneNumber(phoneNumber) },
      },
      now,
    );
    throw new ApiError('SecondAuthRequired');
  }
}
