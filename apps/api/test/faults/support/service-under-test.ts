import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import SqliteDatabase from 'better-sqlite3';
import pino from 'pino';

import { ApiKeysService } from '../../../src/api-keys/api-keys.service';
import { createApp } from '../../../src/app/create-app';
import { DevTokenIssuer } from '../../../src/auth/bearer/dev-token.issuer';
import { loadConfig } from '../../../src/config/load-config';
import { createDatabase, type DatabaseHandle } from '../../../src/database/create-database';
import {
  createPostgresTestDatabase,
  testDialect,
  testPostgresUrl,
} from '../../../src/database/testing/test-database';
import { MembersAdminService } from '../../../src/members/members-admin.service';
import { type SpawnedProcess, spawnBuiltApp, waitUntilListening } from '../../support/built-app';

/**
 * Rate limits high enough that a fault or race run is never refused for calling too often: those
 * runs test what happens to state, and the limits have their own specs.
 */
export const GENEROUS_ARS_LIMITS: Readonly<Record<string, string>> = {
  ARS_MEMBER_COOLDOWN_SECONDS: '1',
  ARS_MEMBER_DAILY_LIMIT: '1000000',
  ARS_NUMBER_HOURLY_LIMIT: '1000000',
  ARS_NUMBER_DAILY_LIMIT: '1000000',
  ARS_CREDENTIAL_DAILY_LIMIT: '999999',
  ARS_CLIENT_ADDRESS_HOURLY_LIMIT: '1000000',
  ARS_GLOBAL_HOURLY_LIMIT: '1000000',
};

/** Which database a run uses: the embedded SQLite file, or a fresh PostgreSQL database. */
export type FaultDialect = 'sqlite' | 'postgres';

/** The dialect of this jest run: PostgreSQL when TEST_DATABASE_URL names a server, else SQLite. */
export function runDialect(): FaultDialect {
  return testDialect();
}

/**
 * A service's home: a private folder, a database and the secrets every start of the service and
 * every inspection from the spec share, so a restarted process reads what the killed one wrote.
 */
export interface ServiceHome {
  readonly dialect: FaultDialect;
  readonly folder: string;
  /** The service's environment (database, master key, token secret), without any limit. */
  readonly env: Readonly<Record<string, string>>;
  /** The SQLite file, when the dialect is SQLite. */
  readonly sqliteFile?: string;
  /** Opens a connection of the spec's own on the service's database. */
  open(): DatabaseHandle;
  /** Removes the folder and drops the PostgreSQL database. */
  dispose(): Promise<void>;
}

/**
 * Creates a {@link ServiceHome} on the run's dialect (see {@link runDialect}), or on a database of
 * the PostgreSQL server at `postgresServerUrl` (a cluster the spec owns and may stop).
 */
export async function createServiceHome(options: { postgresServerUrl?: string } = {}): Promise<ServiceHome> {
  const folder = mkdtempSync(join(tmpdir(), 'member-phone-fault-'));
  const server = options.postgresServerUrl ?? testPostgresUrl();
  const postgres = server ? await createPostgresTestDatabase(server) : undefined;
  const env: Record<string, string> = {
    DATA_DIR: join(folder, 'data'),
    MASTER_KEY: randomBytes(32).toString('base64'),
    JWT_HS256_SECRET: randomBytes(32).toString('base64'),
    SEED_DEMO: 'false',
    LOG_LEVEL: 'warn',
    ...(postgres ? { DATABASE_URL: postgres.url } : {}),
  };
  const config = loadConfig(env, folder);
  return {
    dialect: postgres ? 'postgres' : 'sqlite',
    folder,
    env,
    ...(config.database.dialect === 'sqlite' ? { sqliteFile: config.database.file } : {}),
    open: () => createDatabase(config.database),
    dispose: async () => {
      await postgres?.drop();
      rmSync(folder, { recursive: true, force: true });
    },
  };
}

/** A member created before the service starts, with a long-lived bearer token. */
export interface SeededMember {
  readonly id: string;
  readonly initialPhoneNumber: string;
  readonly authorization: string;
  /** An HMAC API key of the same member, for specs that need a second credential. */
  readonly apiKey: { readonly apiKey: string; readonly apiSecret: string };
}

/**
 * Migrates the home's database and creates `count` ACTIVE members, each with a bearer token and an
 * API key, through the service's own admin services (what the operator CLI uses), then closes.
 */
export async function seedMembers(
  home: ServiceHome,
  count: number,
  prefix = 'fault',
): Promise<SeededMember[]> {
  const config = loadConfig(home.env, home.folder);
  const { app } = await createApp(config, { logger: pino({ level: 'silent' }) });
  try {
    const admin = app.get(MembersAdminService);
    const keys = app.get(ApiKeysService);
    const tokens = app.get(DevTokenIssuer);
    const members: SeededMember[] = [];
    for (let index = 0; index < count; index++) {
      const initialPhoneNumber = `0109${String(index).padStart(7, '0')}`;
      const row = await admin.create({
        name: 'nickName',
        email: `${prefix}-${index}-${randomBytes(4).toString('hex')}@example.com`,
        phoneNumber: initialPhoneNumber,
      });
      const key = await keys.create({ memberId: row.id, scopes: null });
      const token = await tokens.issue({ memberId: row.id, scopes: ['users:read', 'users:write'] });
      members.push({
        id: row.id,
        initialPhoneNumber,
        authorization: `Bearer ${token}`,
        apiKey: { apiKey: key.apiKey, apiSecret: key.apiSecret },
      });
    }
    return members;
  } finally {
    await app.close();
  }
}

/** A running built service (`node apps/api/dist/main.js`) on the home's database. */
export interface RunningService {
  readonly process: SpawnedProcess;
  readonly baseUrl: string;
}

/** Starts the built service on the home, with `extra` added to its environment. */
export async function startService(
  home: ServiceHome,
  extra: Record<string, string> = {},
): Promise<RunningService> {
  const spawned = spawnBuiltApp({ cwd: home.folder, env: { ...home.env, ...extra } });
  const baseUrl = await waitUntilListening(spawned);
  return { process: spawned, baseUrl };
}

/** `PRAGMA integrity_check` of a SQLite file, opened by the spec after the service stopped. */
export function sqliteIntegrity(file: string): string[] {
  const db = new SqliteDatabase(file);
  try {
    return (db.pragma('integrity_check') as Array<{ integrity_check: string }>).map(
      (row) => row.integrity_check,
    );
  } finally {
    db.close();
  }
}
