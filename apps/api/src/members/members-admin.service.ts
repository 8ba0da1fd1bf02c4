import { Inject, Injectable } from '@nestjs/common';
import { checkKoreanMobileNumber, type MemberStatus } from '@member-phone/core';

import { CLOCK, type Clock } from '../common/clock';
import type { MemberRow } from '../database/schema';
import { newMemberId } from './member-id';
import { MembersRepository } from './members.repository';

export interface NewMember {
  name: string;
  email: string;
  phoneNumber: string;
  status?: MemberStatus;
}

/** Operator-side member management (CLI and first-start seed); the HTTP API never creates members. */
@Injectable()
export class MembersAdminService {
  constructor(
    private readonly members: MembersRepository,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async create(input: NewMember): Promise<MemberRow> {
    const phone = checkKoreanMobileNumber(input.phoneNumber);
    if (!phone.valid) throw new Error(`not a Korean mobile number (${phone.reason})`);
    const email = input.email.trim().toLowerCase();
    if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) throw new Error('not an email address');
    if (await this.members.findByEmail(email)) throw new Error(`a member with email ${email} exists`);
    const now = this.clock.now();
    for (let attempt = 0; ; attempt++) {
      const id = newMemberId(now);
      if (await this.members.findById(id)) {
        if (attempt < 5) continue;
        throw new Error('could not find a free member id');
      }
      return this.members.insert({
        id,
        name: input.name,
        email,
        phone_number: phone.phoneNumber,
        status: input.status ?? 'ACTIVE',
        selected_account_id: null,
        date_created: now,
        date_updated: now,
      });
    }
  }

  /** Finds a member by id or by email, as operators type either. */
  async find(idOrEmail: string): Promise<MemberRow | undefined> {
    return idOrEmail.includes('@')
      ? this.members.findByEmail(idOrEmail.trim().toLowerCase())
      : this.members.findById(idOrEmail.trim());
  }

  async setStatus(id: string, status: MemberStatus): Promise<MemberRow | undefined> {
    return this.members.setStatus(id, status, this.clock.now());
  }
}
