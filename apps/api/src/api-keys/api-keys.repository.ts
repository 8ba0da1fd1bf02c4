import { Inject, Injectable } from '@nestjs/common';
import type { Insertable, Kysely } from 'kysely';

import { KYSELY } from '../database/database.module';
import type { Executor } from '../database/executor';
import type { ApiKeyRow, ApiKeysTable, Database } from '../database/schema';

export type NewApiKeyRow = Insertable<ApiKeysTable>;

/** All SQL about the `api_keys` table. */
@Injectable()
export class ApiKeysRepository {
  constructor(@Inject(KYSELY) private readonly db: Kysely<Database>) {}

  /** Inserts the row unless its id is taken; tells which happened. */
  async insertIfAbsent(row: NewApiKeyRow, executor: Executor = this.db): Promise<boolean> {
    const inserted = await executor
      .insertInto('api_keys')
      .values(row)
      .onConflict((oc) => oc.column('id').doNothing())
      .returning('id')
      .executeTakeFirst();
    return inserted !== undefined;
  }

  findById(id: string, executor: Executor = this.db): Promise<ApiKeyRow | undefined> {
    return executor.selectFrom('api_keys').selectAll().where('id', '=', id).executeTakeFirst();
  }

  listByMember(memberId: string, executor: Executor = this.db): Promise<ApiKeyRow[]> {
    return executor
      .selectFrom('api_keys')
      .selectAll()
      .where('member_id', '=', memberId)
      .orderBy('date_created')
      .orderBy('id')
      .execute();
  }

  /** Marks the key disabled; `false` when no such key exists. Disabling twice is not an error. */
  async disable(id: string, executor: Executor = this.db): Promise<boolean> {
    const row = await executor
      .updateTable('api_keys')
      .set({ status: 'DISABLED' })
      .where('id', '=', id)
      .returning('id')
      .executeTakeFirst();
    return row !== undefined;
  }
}
