import type BetterSqlite3 from 'better-sqlite3';
import type { SqliteDatabase, SqliteStatement } from 'kysely';

/**
 * Hands Kysely's SQLite dialect the same prepared statement for the same SQL text, instead of
 * preparing every query anew (SQLite's prepare was a tenth of an update's CPU time). Least
 * recently used statements are dropped past `capacity`, so queries whose text varies (IN lists of
 * different lengths) cannot grow it without bound. Reuse is safe because better-sqlite3 runs each
 * statement to completion synchronously; the one exception, a statement still being iterated by a
 * streaming query, does not occur here (nothing streams).
 */
export class SqliteStatementCache implements SqliteDatabase {
  private readonly statements = new Map<string, BetterSqlite3.Statement>();

  constructor(
    private readonly sqlite: BetterSqlite3.Database,
    private readonly capacity = 256,
  ) {}

  get size(): number {
    return this.statements.size;
  }

  prepare(sql: string): SqliteStatement {
    const cached = this.statements.get(sql);
    if (cached) {
      // Map order is insertion order: re-inserting marks the statement as most recently used.
      this.statements.delete(sql);
      this.statements.set(sql, cached);
      return cached;
    }
    const statement = this.sqlite.prepare(sql);
    if (this.statements.size >= this.capacity) {
      const oldest = this.statements.keys().next();
      if (!oldest.done) this.statements.delete(oldest.value);
    }
    this.statements.set(sql, statement);
    return statement;
  }

  close(): void {
    this.statements.clear();
    this.sqlite.close();
  }
}
