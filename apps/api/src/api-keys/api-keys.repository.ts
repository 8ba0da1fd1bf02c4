import { Inject, Injectable } from '@nestjs/common';
import type { InferResult, Insertable, Kysely } from 'kysely';

import { compileOnce } from '../app/compiled-query';
import { KYSELY } from '../database/database.module';
import type { Executor } from '../database/executor';
import type { ApiKeyRow, ApiKeysTable, Database, MemberRow } from '../database/schema';

export type NewApiKeyRow = Insertable<ApiKeysTable>;

/** A key row with its owner's row, `undefined` when the owner is gone. */
export interface ApiKeyWithOwner {
  readonly key: ApiKeyRow;
  readonly owner: MemberRow | undefined;
}

function keyWithOwnerQuery(db: Executor, id: string) {
  return db
    .selectFrom('api_keys')
    .leftJoin('members', 'members.id', 'api_keys.member_id')
    .select([
      'api_keys.id',
      'api_keys.member_id',
      'api_keys.secret_ciphertext',
      'api_keys.scopes',
      'api_keys.status',
      'api_keys.description',
      'api_keys.date_created',
      'members.id as owner_id',
      'members.name as owner_name',
      'members.email as owner_email',
      'members.phone_number as owner_phone_number',
      'members.status as owner_status',
      'members.selected_account_id as owner_selected_account_id',
      'members.date_created as owner_date_created',
      'members.date_updated as owner_date_updated',
    ])
    .where('api_keys.id', '=', id);
}
type KeyWithOwnerRow = InferResult<ReturnType<typeof keyWithOwnerQuery>>[number];

/** All SQL about the `api_keys` table. */
@Injectable()
export class ApiKeysRepository {
  private readonly keyWithOwner;

  constructor(@Inject(KYSELY) private readonly db: Kysely<Database>) {
    this.keyWithOwner = compileOnce(['id'], (p) => keyWithOwnerQuery(db, p.id).compile());
  }

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

  /**
   * The key and its owner in one statement: the HMAC verifier needs both on every request, and a
   * second round trip was a tenth of a signed request's time (docs/performance.md).
   */
  async findWithOwner(id: string, executor: Executor = this.db): Promise<ApiKeyWithOwner | undefined> {
    const { rows } = await executor.executeQuery<KeyWithOwnerRow>(this.keyWithOwner({ id }));
    const row = rows[0];
    if (!row) return undefined;
    const key: ApiKeyRow = {
      id: row.id,
      member_id: row.member_id,
      secret_ciphertext: row.secret_ciphertext,
      scopes: row.scopes,
      status: row.status,
      description: row.description,
      date_created: row.date_created,
    };
    const owner: MemberRow | undefined =
      row.owner_id === null
        ? undefined
        : {
            id: row.owner_id,
            name: row.owner_name!,
            email: row.owner_email!,
            phone_number: row.owner_phone_number!,
            status: row.owner_status!,
            selected_account_id: row.owner_selected_account_id ?? null,
            date_created: row.owner_date_created!,
            date_updated: row.owner_date_updated!,
          };
    return { key, owner };
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
