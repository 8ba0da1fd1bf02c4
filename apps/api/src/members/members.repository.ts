import { Inject, Injectable } from '@nestjs/common';
import type { Kysely } from 'kysely';

import { compileOnce } from '../app/compiled-query';
import { KYSELY } from '../database/database.module';
import type { Executor } from '../database/executor';
import type { Database, MemberRow, NewMemberRow } from '../database/schema';

/** All SQL about the `members` table. */
@Injectable()
export class MembersRepository {
  // The two queries of the hot paths (bearer authentication, the phone update), compiled once.
  private readonly byId;
  private readonly setPhoneNumber;

  constructor(@Inject(KYSELY) private readonly db: Kysely<Database>) {
    this.byId = compileOnce(['id'], (p) =>
      db.selectFrom('members').selectAll().where('id', '=', p.id).compile(),
    );
    this.setPhoneNumber = compileOnce(['id', 'phoneNumber', 'now', 'requiredStatus'], (p) =>
      db
        .updateTable('members')
        .set({ phone_number: p.phoneNumber, date_updated: p.now as unknown as number })
        .where('id', '=', p.id)
        .where('status', '=', p.requiredStatus as MemberRow['status'])
        .returningAll()
        .compile(),
    );
  }

  async findById(id: string, executor: Executor = this.db): Promise<MemberRow | undefined> {
    const { rows } = await executor.executeQuery<MemberRow>(this.byId({ id }));
    return rows[0];
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
    const { rows } = await executor.executeQuery<MemberRow>(
      this.setPhoneNumber({ id, phoneNumber, now, requiredStatus }),
    );
    return rows[0];
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
