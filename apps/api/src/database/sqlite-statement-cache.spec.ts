import SqliteDatabase from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';

import { SqliteStatementCache } from './sqlite-statement-cache';

describe('SqliteStatementCache', () => {
  let sqlite: SqliteDatabase.Database;
  beforeEach(() => {
    sqlite = new SqliteDatabase(':memory:');
  });
  afterEach(() => {
    if (sqlite.open) sqlite.close();
  });

  it('hands back the same prepared statement for the same SQL text', () => {
    const cache = new SqliteStatementCache(sqlite);
    const first = cache.prepare('SELECT 1 AS one');
    expect(cache.prepare('SELECT 1 AS one')).toBe(first);
    expect(cache.prepare('SELECT 2 AS two')).not.toBe(first);
    expect(cache.size).toBe(2);
  });

  it('drops the least recently used statement past its capacity', () => {
    const cache = new SqliteStatementCache(sqlite, 2);
    const a = cache.prepare('SELECT 1');
    const b = cache.prepare('SELECT 2');
    expect(cache.prepare('SELECT 1')).toBe(a); // now 2 is the oldest
    cache.prepare('SELECT 3');
    expect(cache.size).toBe(2);
    expect(cache.prepare('SELECT 1')).toBe(a);
    expect(cache.prepare('SELECT 2')).not.toBe(b);
  });

  it('gives Kysely correct results for repeated, parameterised queries and writes', async () => {
    const db = new Kysely<{ t: { id: number; v: string } }>({
      dialect: new SqliteDialect({ database: new SqliteStatementCache(sqlite) }),
    });
    await db.schema
      .createTable('t')
      .addColumn('id', 'integer', (c) => c.primaryKey())
      .addColumn('v', 'text')
      .execute();
    for (let i = 1; i <= 5; i++)
      await db
        .insertInto('t')
        .values({ id: i, v: `v${i}` })
        .execute();
    const updated = await db.updateTable('t').set({ v: 'x' }).where('id', '<=', 2).executeTakeFirst();
    expect(updated.numUpdatedRows).toBe(2n);
    const rows = await db.selectFrom('t').select(['id', 'v']).where('id', '>', 3).orderBy('id').execute();
    expect(rows).toEqual([
      { id: 4, v: 'v4' },
      { id: 5, v: 'v5' },
    ]);
    expect(await db.selectFrom('t').select('v').where('id', '=', 1).executeTakeFirst()).toEqual({ v: 'x' });
    await db.destroy();
    expect(sqlite.open).toBe(false);
  });
});
