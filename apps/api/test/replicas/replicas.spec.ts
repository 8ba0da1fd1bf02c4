import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { type ArsVerificationStarted, signHmacAuthorization } from '@member-phone/core';
import { sql } from 'kysely';

import { createDatabase, type DatabaseHandle } from '../../src/database/create-database';
import { knownMigrations } from '../../src/database/migrate';
import {
  createPostgresTestDatabase,
  type PostgresTestDatabase,
  testPostgresUrl,
} from '../../src/database/testing/test-database';
import {
  BUILT_CLI,
  BUILT_MAIN,
  cleanEnv,
  jsonLogLines,
  requireBuilt,
  type SpawnedProcess,
  spawnBuiltApp,
  spawnTracked,
  stopSpawned,
  waitUntilListening,
} from '../support/built-app';
import { call, type HttpAnswer } from '../support/http-client';

// Two built service processes on one PostgreSQL database, as N replicas behind a load balancer:
// whatever one replica remembers (a used signature, a consumed proof, a rate-limit hit) the other
// must honour. PostgreSQL only: under REQUIRE_POSTGRES=1 a missing TEST_DATABASE_URL is a failure.
let serverUrl: string | undefined;
let setupProblem: Error | undefined;
try {
  serverUrl = testPostgresUrl();
} catch (error) {
  setupProblem =
    error instanceof Error ? error : new Error('TEST_DATABASE_URL is unusable', { cause: error });
}

const ME = '/users/v1/member';
const PUT_PATH = '/users/v1/member/phone-number';
const ARS_PATH = '/users/v1/member/phone-number/ars';
/** Put in the URL's password slot: trust authentication ignores it, the logs must never show it. */
const URL_PASSWORD = `pw-${randomBytes(6).toString('hex')}`;

interface Credentials {
  memberId: string;
  apiKey: string;
  apiSecret: string;
}

const withPassword = (url: string) => {
  const target = new URL(url);
  target.password = URL_PASSWORD;
  return target.toString();
};

if (setupProblem) {
  describe('two replicas on one PostgreSQL', () => {
    it('needs a PostgreSQL server (TEST_DATABASE_URL)', () => {
      throw setupProblem;
    });
  });
} else {
  (serverUrl ? describe : describe.skip)('two replicas on one PostgreSQL', () => {
    // Each test creates its member with two runs of the built CLI: seconds on a busy machine.
    jest.setTimeout(60_000);

    let database: PostgresTestDatabase;
    let reader: DatabaseHandle;
    let work: string;
    let env: Record<string, string>;
    const replicas: SpawnedProcess[] = [];
    let urls: [string, string];
    let counter = 0;

    /** Runs the built operator CLI against the shared database and returns its JSON output. */
    async function cli<T>(args: string[]): Promise<T> {
      const run = spawnTracked(process.execPath, [BUILT_CLI, ...args, '--json'], {
        cwd: work,
        env: cleanEnv({ ...env, DATA_DIR: join(work, 'cli') }),
      });
      const exit = await run.waitForExit(30_000);
      if (exit.code !== 0) throw new Error(`cli ${args.join(' ')} failed\n${run.output()}`);
      return JSON.parse(run.stdout) as T;
    }

    async function newMember(): Promise<Credentials> {
      counter += 1;
      const member = await cli<{ memberId: string }>([
        'members',
        'create',
        '--email',
        `replica${counter}-${Date.now()}@example.com`,
        '--name',
        'replica tester',
        '--phone',
        '01012345678',
      ]);
      const key = await cli<{ apiKey: string; apiSecret: string }>([
        'api-keys',
        'create',
        '--member',
        member.memberId,
      ]);
      return { memberId: member.memberId, apiKey: key.apiKey, apiSecret: key.apiSecret };
    }

    const hmac = (who: Credentials) =>
      signHmacAuthorization({ apiKey: who.apiKey, apiSecret: who.apiSecret });

    const json = (method: string, url: string, authorization: string | undefined, body?: unknown) =>
      call(url, {
        method,
        headers: {
          ...(authorization ? { authorization } : {}),
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });

    const codes = (answers: HttpAnswer[]) =>
      answers.map((a) => `${a.status} ${(a.body as { errorCode?: string }).errorCode ?? 'ok'}`).sort();

    beforeAll(async () => {
      requireBuilt(BUILT_MAIN, BUILT_CLI);
      database = await createPostgresTestDatabase(serverUrl!);
      work = mkdtempSync(join(tmpdir(), 'member-phone-replicas-'));
      env = {
        DATABASE_URL: withPassword(database.url),
        DATABASE_POOL_MAX: '5',
        // Every replica must share the master key (sealed API secrets) and the token key.
        MASTER_KEY: randomBytes(32).toString('base64'),
        JWT_HS256_SECRET: randomBytes(32).toString('base64'),
        SEED_DEMO: 'true',
        LOG_LEVEL: 'info',
      };
      // Both start at once on the empty database: the migrations must run once and the demo data be
      // seeded once, neither failing a start.
      for (const name of ['a', 'b']) {
        const folder = join(work, name);
        mkdirSync(folder);
        replicas.push(spawnBuiltApp({ cwd: folder, env: { ...env, DATA_DIR: join(folder, 'data') } }));
      }
      urls = (await Promise.all(replicas.map((replica) => waitUntilListening(replica)))) as [string, string];
      reader = createDatabase({ dialect: 'postgres', url: database.url, poolMax: 2 });
    }, 90_000);

    afterAll(async () => {
      await stopSpawned();
      await reader?.db.destroy();
      await database?.drop();
      if (work) rmSync(work, { recursive: true, force: true });
    });

    it('both start on the empty database at once, migrate and seed it once, and report it ready at the same level', async () => {
      const banners = replicas.filter((replica) => replica.stdout.includes('demo credentials (shown once)'));
      expect(banners).toHaveLength(1);
      const demo = await reader.db.selectFrom('members').select('email').execute();
      expect(demo).toEqual([{ email: 'member@example.com' }]);

      const applied = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(
        reader.db,
      );
      expect(applied.rows.map((row) => row.name)).toEqual(knownMigrations());
      for (const url of urls) {
        expect(await call(`${url}/ready`)).toMatchObject({
          status: 200,
          body: {
            status: 'ready',
            database: 'postgres',
            migration: knownMigrations().at(-1),
            pendingMigrations: 0,
          },
        });
      }
    });

    it('log the dialect and pool settings at start, and never the password of the URL', () => {
      for (const replica of replicas) {
        const listening = jsonLogLines(replica.stdout)
          .map((line) => JSON.parse(line) as { msg?: string; database?: unknown })
          .find((line) => line.msg === 'member-phone listening');
        expect(listening?.database).toEqual({
          dialect: 'postgres',
          server: expect.stringMatching(/^127\.0\.0\.1:\d+\/member_phone_test_[0-9a-f]+$/),
          user: 'postgres',
          ssl: false,
          poolMax: 5,
          connectTimeoutMs: 5000,
          idleTimeoutMs: 30000,
          statementTimeoutMs: 10000,
        });
        expect(replica.stdout + replica.stderr).not.toContain(URL_PASSWORD);
      }
    });

    it('accept one signature exactly once, whichever replica each copy reaches', async () => {
      const member = await newMember();
      const authorization = hmac(member);
      const answers = await Promise.all(
        Array.from({ length: 8 }, (_, i) => json('GET', `${urls[i % 2]}${ME}`, authorization)),
      );
      expect(codes(answers)).toEqual(['200 ok', ...Array<string>(7).fill('403 DuplicatedSignature')]);
      expect(answers.find((a) => a.status === 200)?.body).toMatchObject({ memberId: member.memberId });
    });

    it('let one ARS proof change the number once across parallel PUTs through both, and store what was answered', async () => {
      const member = await newMember();
      const newNumber = '01055556666';
      const started = await json('POST', `${urls[0]}${ARS_PATH}`, hmac(member), { phoneNumber: newNumber });
      expect(started.status).toBe(201);
      const verification = started.body as ArsVerificationStarted;
      // The keypad event lands on the other replica, as a provider's webhook would.
      expect(
        await json('POST', `${urls[1]}/dev/ars/${verification.verificationId}/keypad`, undefined, {
          digits: verification.code,
        }),
      ).toMatchObject({ status: 200, body: { outcome: 'verified' } });

      const answers = await Promise.all(
        Array.from({ length: 8 }, (_, i) =>
          json('PUT', `${urls[i % 2]}${PUT_PATH}`, hmac(member), { phoneNumber: newNumber }),
        ),
      );

      // One PUT consumes the proof. The others are refused (the proof is gone) or, if they were
      // authenticated after that commit, find the number already in place: PUT is idempotent and
      // such an answer changes nothing (one change, one audit entry, one date below).
      const changes = await reader.db
        .selectFrom('audit_events')
        .select(['details'])
        .where('member_id', '=', member.memberId)
        .where('event_type', '=', 'phone.changed')
        .execute();
      expect(changes).toHaveLength(1);
      const verificationRow = await reader.db
        .selectFrom('ars_verifications')
        .select(['status', 'consumed_at'])
        .where('id', '=', verification.verificationId)
        .executeTakeFirstOrThrow();
      expect(verificationRow).toEqual({ status: 'CONSUMED', consumed_at: expect.any(Number) });

      const stored = await reader.db
        .selectFrom('members')
        .select(['phone_number', 'date_updated'])
        .where('id', '=', member.memberId)
        .executeTakeFirstOrThrow();
      const successes = answers.filter((a) => a.status === 200);
      expect(successes.length).toBeGreaterThanOrEqual(1);
      for (const answer of answers.filter((a) => a.status !== 200)) {
        expect({ status: answer.status, body: answer.body }).toEqual({
          status: 403,
          body: { errorCode: 'SecondAuthRequired', errorMessage: expect.any(String) },
        });
      }
      for (const success of successes) {
        expect(success.body).toMatchObject({
          memberId: member.memberId,
          phoneNumber: stored.phone_number,
          dateUpdated: new Date(stored.date_updated).toISOString(),
        });
      }
      expect(stored.phone_number).toBe(newNumber);
    });

    it('hold a rate limit reached through one replica on the other', async () => {
      const member = await newMember();
      // The member cooldown allows one call per 30 s: six parallel starts through both replicas.
      const answers = await Promise.all(
        Array.from({ length: 6 }, (_, i) =>
          json('POST', `${urls[i % 2]}${ARS_PATH}`, hmac(member), { phoneNumber: '01077778888' }),
        ),
      );
      expect(codes(answers)).toEqual(['201 ok', ...Array<string>(5).fill('429 TooManyRequests')]);
      const first = answers.findIndex((a) => a.status === 201);
      const other = urls[(first + 1) % 2]!;
      const again = await json('POST', `${other}${ARS_PATH}`, hmac(member), { phoneNumber: '01077778888' });
      expect(again.status).toBe(429);
      expect(again.body).toMatchObject({ errorCode: 'TooManyRequests' });
      expect(again.headers.get('retry-after')).toMatch(/^[1-9]\d*$/);

      const calls = await reader.db
        .selectFrom('ars_verifications')
        .select('id')
        .where('member_id', '=', member.memberId)
        .execute();
      expect(calls).toHaveLength(1);
    });
  });
}
