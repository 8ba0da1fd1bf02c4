import { Inject, Injectable } from '@nestjs/common';
import type { Kysely } from 'kysely';

import { KYSELY } from '../database/database.module';
import type { Executor } from '../database/executor';
import type { Database, MemberRow, NewMemberRow } from '../database/schema';

/** All SQL about the `members` table. */
@Injectable()
export class MembersRepository {
  constructor(@Inject(KYSELY) private readonly db: Kysely<Database>) {}

  findById(id: string, executor: Executor = this.db): Promise<MemberRow | undefined> {
    return executor.selectFrom('members').selectAll().where('id', '=', id).executeTakeFirst();
  }

  findByEmail(email: string, executor: Executor = this.db): Promise<MemberRow | undefined> {
    return executor.selectFrom('members').selectAll().where('email', '=', email).executeTakeFirst();
  }

  async insert(row: NewMemberRow, executor: Executor = this.db): Promise<MemberRow> {
    return executor.insertInto('members').values(row).returningAll().executeTakeFirstOrThrow();
  }

  /** Sets the number while the member is still in `requiredStatus`; undefined when it is not. */
  async updatePhoneNumber(
    id: string,
    phoneNumber: string,
    now: number,
    requiredStatus: MemberRow['status'],
    executor: Executor = this.db,
  ): Promise<MemberRow | undefined> {
    return executor
      .updateTable('members')
      .set({ phone_number: phoneNumber, date_updated: now })
      .where('id', '=', id)
      .where('status', '=', requiredStatus)
      .returningAll()
      .executeTakeFirst();
  }

  async setStatus(id: string, status: MemberRow['status'], now: number, executor: Executor = this.db) {
    return executor
      .updateTable('members')
      .set({ status, date_updated: now })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirst();
  }

  async count(executor: Executor = this.db): Promise<number> {
    const row = await executor
      .selectFrom('members')
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }
}
