import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';

import { type MemberStatus, signHmacAuthorization } from '@member-phone/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Kysely } from 'kysely';
import pino from 'pino';

import { ApiKeysService } from '../../src/api-keys/api-keys.service';
import { createApp } from '../../src/app/create-app';
import { DevTokenIssuer } from '../../src/auth/bearer/dev-token.issuer';
import type { Clock } from '../../src/common/clock';
import type { AppConfig } from '../../src/config/app-config';
import { loadConfig } from '../../src/config/load-config';
import type { DatabaseHandle } from '../../src/database/create-database';
import type { Database, MemberRow } from '../../src/database/schema';
import { createPostgresTestDatabase, testPostgresUrl } from '../../src/database/testing/test-database';
import { MembersAdminService } from '../../src/members/members-admin.service';

/** Every log line the app wrote, parsed, plus the raw text (to search for leaked secrets). */
export class LogCapture extends Writable {
  readonly lines: string[] = [];
  override _write(chunk: Buffer, _encoding: string, callback: () => void): void {
    this.lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    callback();
  }
  get text(): string {
    return this.lines.join('\n');
  }
}

export interface TestMember {
  row: MemberRow;
  apiKey: string;
  apiSecret: string;
  /** A fresh HMAC Authorization header on every call. */
  hmac: () => string;
  /** A bearer token with the given scopes (default users:read users:write). */
  bearer: (scopes?: string[]) => Promise<string>;
}

export interface TestApp {
  app: NestFastifyApplication;
  config: AppConfig;
  database: DatabaseHandle;
  db: Kysely<Database>;
  logs: LogCapture;
  dataDir: string;
  /** Base URL once `listen()` was called. */
  baseUrl: string;
  createMember(input?: {
    email?: string;
    phoneNumber?: string;
    status?: MemberStatus;
    scopes?: string[] | null;
  }): Promise<TestMember>;
  close(): Promise<void>;
}

let counter = 0;

/**
 * Starts the real app on a real SQLite file in a fresh folder, listening on an ephemeral port of
 * 127.0.0.1. `env` overrides the configuration as the environment would. With TEST_DATABASE_URL
 * set to a PostgreSQL server, each app gets a fresh database there instead, dropped on close.
 */
export async function startTestApp(
  options: { env?: Record<string, string>; clock?: Clock; listen?: boolean } = {},
): Promise<TestApp> {
  const dataDir = mkdtempSync(join(tmpdir(), 'member-phone-test-'));
  const postgresServer = testPostgresUrl();
  const postgres = postgresServer ? await createPostgresTestDatabase(postgresServer) : undefined;
  const config = loadConfig(
    {
      ...(postgres ? { DATABASE_URL: postgres.url } : {}),
      DATA_DIR: dataDir,
      MASTER_KEY: randomBytes(32).toString('base64'),
      JWT_HS256_SECRET: randomBytes(32).toString('base64'),
      LOG_LEVEL: 'info',
      SEED_DEMO: 'false',
      ...options.env,
    },
    dataDir,
  );
  const logs = new LogCapture();
  const { app, database } = await createApp(config, {
    logger: pino({ level: 'info' }, logs),
    ...(options.clock ? { clock: options.clock } : {}),
  });
  let baseUrl = '';
  if (options.listen !== false) {
    await app.listen({ host: '127.0.0.1', port: 0 });
    const address = app.getHttpServer().address();
    baseUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  } else {
    await app.getHttpAdapter().getInstance().ready();
  }

  const createMember: TestApp['createMember'] = async (input = {}) => {
    counter += 1;
    const row = await app.get(MembersAdminService).create({
      name: 'nickName',
      email: input.email ?? `member${counter}-${Date.now()}@example.com`,
      phoneNumber: input.phoneNumber ?? '01012345678',
      status: 'ACTIVE',
    });
    const key = await app
      .get(ApiKeysService)
      .create({ memberId: row.id, scopes: input.scopes === undefined ? null : input.scopes });
    if (input.status && input.status !== 'ACTIVE') {
      await database.db
        .updateTable('members')
        .set({ status: input.status })
        .where('id', '=', row.id)
        .execute();
    }
    const fresh = await database.db
      .selectFrom('members')
      .selectAll()
      .where('id', '=', row.id)
      .executeTakeFirstOrThrow();
    return {
      row: fresh,
      apiKey: key.apiKey,
      apiSecret: key.apiSecret,
      hmac: () =>
        signHmacAuthorization(
          { apiKey: key.apiKey, apiSecret: key.apiSecret },
          options.clock ? { date: new Date(options.clock.now()) } : {},
        ),
      bearer: (scopes = ['users:read', 'users:write']) =>
        app.get(DevTokenIssuer).issue({ memberId: row.id, scopes }),
    };
  };

  return {
    app,
    config,
    database,
    db: database.db,
    logs,
    dataDir,
    baseUrl,
    createMember,
    close: async () => {
      await app.close();
      await postgres?.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
