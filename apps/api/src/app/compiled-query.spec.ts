import type { Kysely } from 'kysely';

import { insertMember, openTestDatabase } from '../auth/testing/auth-test-kit';
import type { Database, MemberRow } from '../database/schema';
import { compileOnce } from './compiled-query';

describe('compileOnce', () => {
  let db: Kysely<Database>;
  let member: MemberRow;

  beforeEach(async () => {
    db = (await openTestDatabase()).db;
    member = await insertMember(db);
  });
  afterEach(() => db.destroy());

  it('runs the compiled query with the values of each call, in a transaction too', async () => {
    const rename = compileOnce(['id', 'name'], (p) =>
      db.updateTable('members').set({ name: p.name }).where('id', '=', p.id).returning('name').compile(),
    );

    const first = await db.executeQuery<{ name: string }>(rename({ id: member.id, name: 'first' }));
    const second = await db
      .transaction()
      .execute((trx) => trx.executeQuery<{ name: string }>(rename({ id: member.id, name: 'second' })));
    const missing = await db.executeQuery(rename({ id: 'nobody', name: 'third' }));

    expect(first.rows).toEqual([{ name: 'first' }]);
    expect(second.rows).toEqual([{ name: 'second' }]);
    expect(missing.rows).toEqual([]);
    const row = await db.selectFrom('members').select('name').where('id', '=', member.id).executeTakeFirst();
    expect(row?.name).toBe('second');
  });

  it('keeps values out of the SQL text: a quote in a value is data', async () => {
    const rename = compileOnce(['id', 'name'], (p) =>
      db.updateTable('members').set({ name: p.name }).where('id', '=', p.id).compile(),
    );
    await db.executeQuery(rename({ id: member.id, name: "x'); DROP TABLE members; --" }));
    const row = await db.selectFrom('members').select('name').where('id', '=', member.id).executeTakeFirst();
    expect(row?.name).toBe("x'); DROP TABLE members; --");
  });

  it('keeps the fixed values the builder was given', async () => {
    const activeById = compileOnce(['id'], (p) =>
      db.selectFrom('members').select('id').where('id', '=', p.id).where('status', '=', 'ACTIVE').compile(),
    );
    await db.updateTable('members').set({ status: 'INACTIVE' }).where('id', '=', member.id).execute();
    expect((await db.executeQuery(activeById({ id: member.id }))).rows).toEqual([]);
  });

  it('refuses a placeholder the builder did not turn into a bind parameter', () => {
    expect(() =>
      compileOnce(['id', 'unused'], (p) =>
        db.selectFrom('members').select('id').where('id', '=', p.id).compile(),
      ),
    ).toThrow(/unused is not a bind parameter/);
  });
});
