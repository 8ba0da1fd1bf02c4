import { createServer, type Server, type Socket } from 'node:net';

import { Logger } from '@nestjs/common';
import { sql } from 'kysely';

import { ApiError } from '../common/api-error';
import { createDatabase, type DatabaseHandle } from '../database/create-database';
import { knownMigrations } from '../database/migrate';
import { openTestDatabase, type TestDatabase } from '../database/testing/test-database';
import { HealthController } from './health.controller';
import { ShutdownState } from './shutdown.state';

const refusal = async (promise: Promise<unknown>) => {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ApiError);
  return error as ApiError;
};

/** A server that accepts connections and never says a word: a hung database. */
async function silentServer(): Promise<{ url: string; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => sockets.add(socket));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `postgres://member:hunter2-secret@127.0.0.1:${port}/db`,
    close: () => {
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

describe('HealthController', () => {
  let database: TestDatabase;
  let shutdown: ShutdownState;

  beforeEach(async () => {
    database = await openTestDatabase();
    shutdown = new ShutdownState();
  });

  afterEach(() => database.close());

  it('is live without asking the database', () => {
    const broken = { ...database, db: undefined } as unknown as DatabaseHandle;
    expect(new HealthController(broken, shutdown).health()).toEqual({ status: 'ok' });
  });

  it('is ready on a reachable database at the latest migration, and says which dialect and level', async () => {
    expect(await new HealthController(database, shutdown).ready()).toEqual({
      status: 'ready',
      database: database.dialect,
      migration: knownMigrations().at(-1),
      pendingMigrations: 0,
    });
  });

  it('is not ready while a migration this build expects is missing', async () => {
    const latest = knownMigrations().at(-1)!;
    await sql`delete from kysely_migration where name = ${latest}`.execute(database.db);
    const error = await refusal(new HealthController(database, shutdown).ready());
    expect(error).toMatchObject({ code: 'ServiceUnavailable', status: 503 });
    expect(error.options.detail).toBe(`migrations pending: ${latest}`);
  });

  it('is not ready once shutdown started', async () => {
    shutdown.beforeApplicationShutdown();
    expect(await refusal(new HealthController(database, shutdown).ready())).toMatchObject({
      code: 'ServiceUnavailable',
      options: { detail: 'shutting down' },
    });
  });

  it('is not ready when the database refuses connections, and logs that once, without the password', async () => {
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    const unreachable = createDatabase({
      dialect: 'postgres',
      url: 'postgres://member:hunter2-secret@127.0.0.1:1/db',
      poolMax: 1,
    });
    try {
      const controller = new HealthController(unreachable, shutdown);
      for (let probe = 0; probe < 3; probe++) {
        expect(await refusal(controller.ready())).toMatchObject({
          code: 'ServiceUnavailable',
          options: { detail: 'postgres database not reachable' },
        });
      }
      expect(warn).toHaveBeenCalledTimes(1);
      expect(warn.mock.calls[0]![0]).toMatch(/^not ready: postgres database not reachable/);
      expect(JSON.stringify(warn.mock.calls)).not.toContain('hunter2-secret');
    } finally {
      await unreachable.db.destroy();
    }
  });

  it('answers within its probe timeout when the database accepts connections but never answers', async () => {
    const hung = await silentServer();
    const handle = createDatabase({
      dialect: 'postgres',
      url: hung.url,
      poolMax: 1,
      connectTimeoutMs: 30_000,
    });
    try {
      const started = Date.now();
      expect(await refusal(new HealthController(handle, shutdown).ready())).toMatchObject({
        code: 'ServiceUnavailable',
      });
      expect(Date.now() - started).toBeLessThan(10_000);
    } finally {
      await hung.close();
      await handle.db.destroy().catch(() => undefined);
    }
  });
});
