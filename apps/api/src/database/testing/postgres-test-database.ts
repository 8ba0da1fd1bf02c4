// Used by specs only; production dependencies only, so it is harmless should it be built.
import { randomBytes } from 'node:crypto';

import { Pool } from 'pg';

/** The server to run database specs on instead of SQLite, e.g. `postgres://postgres@127.0.0.1:5432/postgres`. */
export function testPostgresUrl(): string | undefined {
  const url = process.env['TEST_DATABASE_URL'];
  return url && /^postgres(ql)?:\/\//i.test(url) ? url : undefined;
}

/** A fresh, empty database on that server, and a way to drop it again. */
export async function createPostgresTestDatabase(
  serverUrl: string,
): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `member_phone_test_${randomBytes(6).toString('hex')}`;
  const admin = new Pool({ connectionString: serverUrl, max: 1 });
  await admin.query(`CREATE DATABASE ${name}`);
  const target = new URL(serverUrl);
  target.pathname = `/${name}`;
  return {
    url: target.toString(),
    drop: async () => {
      try {
        await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await admin.end();
      }
    },
  };
}
