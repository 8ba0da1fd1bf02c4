import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import {
  type ArsVerificationStarted,
  type Member,
  MEMBER_FIELDS,
  signHmacAuthorization,
} from '@member-phone/core';
import request from 'supertest';

import { runCommand, USAGE } from '../src/cli/commands';
import type { AppConfig } from '../src/config/app-config';
import {
  BUILT_CLI,
  cleanEnv,
  requireBuilt,
  type SpawnedProcess,
  spawnTracked,
  stopSpawned,
} from './support/built-app';
import { ManualClock } from '../src/common/testing/manual-clock';
import { startTestApp, type TestApp } from './support/test-app';

// Every command the USAGE text lists, as `<group> <action>`; a test below proves this list is USAGE's.
const COVERED = [
  'members create',
  'members show',
  'members set-status',
  'api-keys create',
  'api-keys list',
  'api-keys disable',
  'tokens issue',
  'audit',
  'ars keypad',
];

describe('operator CLI commands (runCommand) against the real app on a real SQLite file', () => {
  let t: TestApp;
  let counter = 0;

  beforeAll(async () => {
    t = await startTestApp({ env: { ARS_MEMBER_COOLDOWN_SECONDS: '1' } });
  });
  afterAll(() => t.close());

  /** Runs one command; returns its exit code and everything it printed. */
  async function cli(argv: string[], config: AppConfig = t.config): Promise<{ code: number; out: string }> {
    const lines: string[] = [];
    const code = await runCommand(t.app, config, argv, (line) => lines.push(line));
    return { code, out: lines.join('\n') };
  }
  async function cliJson<T>(argv: string[]): Promise<T> {
    const { code, out } = await cli([...argv, '--json']);
    expect({ code, out }).toEqual({ code: 0, out: expect.any(String) });
    return JSON.parse(out) as T;
  }
  const server = () => t.app.getHttpServer();
  const freshEmail = () => `cli${++counter}-${Date.now()}@example.com`;
  const createMember = async (email = freshEmail()) =>
    cliJson<Member>([
      'members',
      'create',
      '--email',
      email,
      '--name',
      'Operator Made',
      '--phone',
      '010-2222-3333',
    ]);
  const getMember = (authorization: string) =>
    request(server()).get('/users/v1/member').set('Authorization', authorization);
  const putNumber = (authorization: string, phoneNumber = '01055556666') =>
    request(server())
      .put('/users/v1/member/phone-number')
      .set('Authorization', authorization)
      .send({ phoneNumber });

  it('covers every command of the USAGE text', () => {
    const listed = [...USAGE.matchAll(/npm run cli -- (\S+)(?: ([a-z][\w-]*))?/g)].map(([, group, action]) =>
      action ? `${group} ${action}` : group,
    );
    expect(listed.sort()).toEqual([...COVERED].sort());
  });

  it('members create stores an ACTIVE member with the number in national digits and prints it', async () => {
    const email = freshEmail();
    const human = await cli([
      'members',
      'create',
      '--email',
      email,
      '--name',
      'Kim',
      '--phone',
      '+82 10-2222-3333',
    ]);
    expect(human.code).toBe(0);
    expect(human.out).toMatch(
      new RegExp(`^created member \\d{14} \\(${email.replace('.', '\\.')}, ACTIVE\\)$`),
    );

    const row = await t.db
      .selectFrom('members')
      .selectAll()
      .where('email', '=', email)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ name: 'Kim', phone_number: '01022223333', status: 'ACTIVE' });

    const json = await cliJson<Member>([
      'members',
      'create',
      '--email',
      freshEmail(),
      '--name',
      'Lee',
      '--phone',
      '01033334444',
      '--status',
      'UNVERIFIED',
    ]);
    expect(Object.keys(json)).toEqual([...MEMBER_FIELDS]);
    expect(json).toMatchObject({ name: 'Lee', phoneNumber: '01033334444', status: 'UNVERIFIED' });
  });

  it('members show finds a member by id and by email and prints the API member object', async () => {
    const created = await createMember();
    const byId = await cliJson<Member>(['members', 'show', created.memberId]);
    const byEmail = await cliJson<Member>(['members', 'show', created.email.toUpperCase()]);
    expect(byId).toEqual(created);
    expect(byEmail).toEqual(created);

    const human = await cli(['members', 'show', created.memberId]);
    expect(JSON.parse(human.out)).toEqual(created);
  });

  it('members set-status changes the status, which the API then enforces', async () => {
    const created = await createMember();
    const token = `Bearer ${(await cliJson<{ token: string }>(['tokens', 'issue', '--member', created.email])).token}`;

    const human = await cli(['members', 'set-status', created.email, 'inactive']);
    expect(human).toEqual({ code: 0, out: `member ${created.memberId} is now INACTIVE` });
    const row = await t.db
      .selectFrom('members')
      .select('status')
      .where('id', '=', created.memberId)
      .executeTakeFirst();
    expect(row?.status).toBe('INACTIVE');
    const refused = await putNumber(token);
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({ errorCode: 'InvalidMemberStatus' });

    expect(await cliJson<Member>(['members', 'set-status', created.memberId, 'ACTIVE'])).toMatchObject({
      memberId: created.memberId,
      status: 'ACTIVE',
    });
    const allowed = await putNumber(token);
    expect(allowed.body).toMatchObject({ errorCode: 'SecondAuthRequired' });
  });

  it('api-keys create prints the secret once, list never shows it, disable makes the key fail with InvalidAPIKey', async () => {
    const created = await createMember();

    const human = await cli(['api-keys', 'create', '--member', created.email, '--description', 'ops laptop']);
    expect(human.code).toBe(0);
    const [, apiKey, apiSecret] =
      /^API key {4}(\S+)\nAPI secret (\S+)\nscopes {5}all\n/.exec(human.out) ?? [];
    expect(apiKey).toMatch(/^[A-Z0-9]{16}$/);
    expect(apiSecret).toMatch(/^[A-Za-z0-9]{32}$/);
    expect(human.out).toContain('The secret is shown only now');
    const sign = () => signHmacAuthorization({ apiKey: apiKey!, apiSecret: apiSecret! });
    expect((await getMember(sign())).body).toMatchObject({ memberId: created.memberId });

    const readOnly = await cliJson<{ memberId: string; apiKey: string; apiSecret: string; scopes: string[] }>(
      ['api-keys', 'create', '--member', created.memberId, '--scopes', 'users:read'],
    );
    expect(readOnly).toEqual({
      memberId: created.memberId,
      apiKey: expect.stringMatching(/^[A-Z0-9]{16}$/),
      apiSecret: expect.stringMatching(/^[A-Za-z0-9]{32}$/),
      scopes: ['users:read'],
    });
    const readOnlyPut = await putNumber(signHmacAuthorization(readOnly));
    expect(readOnlyPut.status).toBe(403);
    expect(readOnlyPut.body).toMatchObject({ errorCode: 'Forbidden' });

    const listed = await cli(['api-keys', 'list', '--member', created.email]);
    expect(listed.code).toBe(0);
    expect(listed.out).not.toContain(apiSecret);
    expect(listed.out).not.toContain(readOnly.apiSecret);
    expect(listed.out).not.toMatch(/secret/i);
    const listedJson = await cliJson<Record<string, unknown>[]>([
      'api-keys',
      'list',
      '--member',
      created.email,
    ]);
    expect(listedJson).toEqual([
      expect.objectContaining({ apiKey, status: 'ACTIVE', scopes: null, description: 'ops laptop' }),
      expect.objectContaining({ apiKey: readOnly.apiKey, status: 'ACTIVE', scopes: ['users:read'] }),
    ]);
    expect(JSON.stringify(listedJson)).not.toMatch(/secret/i);

    expect(await cli(['api-keys', 'disable', apiKey!])).toEqual({ code: 0, out: `disabled ${apiKey}` });
    const refused = await getMember(sign());
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({ errorCode: 'InvalidAPIKey' });
    expect((await getMember(signHmacAuthorization(readOnly))).status).toBe(200);
    expect(await cliJson<Record<string, unknown>[]>(['api-keys', 'list', '--member', created.email])).toEqual(
      [
        expect.objectContaining({ apiKey, status: 'DISABLED' }),
        expect.objectContaining({ apiKey: readOnly.apiKey, status: 'ACTIVE' }),
      ],
    );

    expect(await cli(['api-keys', 'disable', 'MPNOSUCHKEY00000'])).toEqual({
      code: 1,
      out: 'no key MPNOSUCHKEY00000',
    });
  });

  it('tokens issue prints a bearer token that works over HTTP, with the scopes and lifetime asked for', async () => {
    const created = await createMember();

    const full = await cli(['tokens', 'issue', '--member', created.email]);
    expect(full.code).toBe(0);
    expect(full.out).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    const answered = await getMember(`Bearer ${full.out}`);
    expect(answered.status).toBe(200);
    expect(answered.body).toEqual(created);
    expect((await putNumber(`Bearer ${full.out}`)).body).toMatchObject({ errorCode: 'SecondAuthRequired' });

    const short = await cliJson<{ memberId: string; token: string }>([
      'tokens',
      'issue',
      '--member',
      created.memberId,
      '--scopes',
      'users:read',
      '--ttl',
      '60',
    ]);
    expect(short.memberId).toBe(created.memberId);
    const claims = JSON.parse(Buffer.from(short.token.split('.')[1]!, 'base64url').toString('utf8')) as {
      sub: string;
      scope: string;
      iat: number;
      exp: number;
    };
    expect(claims).toMatchObject({ sub: created.memberId, scope: 'users:read' });
    expect(claims.exp - claims.iat).toBe(60);
    expect((await getMember(`Bearer ${short.token}`)).status).toBe(200);
    const refused = await putNumber(`Bearer ${short.token}`);
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({ errorCode: 'Forbidden' });
  });

  it('audit prints the member’s trail, newest first, numbers masked, limited on request', async () => {
    const created = await createMember();
    expect(await cli(['audit', '--member', created.email])).toEqual({ code: 0, out: '(no events)' });

    const token = `Bearer ${(await cli(['tokens', 'issue', '--member', created.email])).out}`;
    await putNumber(token, '01077778888').expect(403);
    await request(server())
      .post('/users/v1/member/phone-number/ars')
      .set('Authorization', token)
      .send({ phoneNumber: '01077778888' })
      .expect(201);

    const human = await cli(['audit', '--member', created.email]);
    expect(human.code).toBe(0);
    const types = human.out.split('\n').map((line) => (JSON.parse(line) as { type: string }).type);
    expect(types).toEqual(['ars.call_placed', 'ars.requested', 'phone.refused']);
    expect(human.out).toContain('010-****-8888');
    expect(human.out).not.toContain('01077778888');

    const limited = await cliJson<{ type: string; memberId: string }[]>([
      'audit',
      created.memberId,
      '--limit',
      '1',
    ]);
    expect(limited).toEqual([
      expect.objectContaining({ type: 'ars.call_placed', memberId: created.memberId }),
    ]);
  });

  it('ars keypad types digits on a simulated call in development; a match lets the PUT through', async () => {
    const created = await createMember();
    const token = `Bearer ${(await cli(['tokens', 'issue', '--member', created.email])).out}`;
    const started = (
      await request(server())
        .post('/users/v1/member/phone-number/ars')
        .set('Authorization', token)
        .send({ phoneNumber: '01099990000' })
        .expect(201)
    ).body as ArsVerificationStarted;
    const wrong = started.code === '000000' ? '111111' : '000000';

    expect(await cli(['ars', 'keypad', started.verificationId, wrong])).toEqual({
      code: 1,
      out: 'keypad: mismatch',
    });
    expect(await cli(['ars', 'keypad', started.verificationId, started.code])).toEqual({
      code: 0,
      out: 'keypad: verified',
    });

    const changed = await putNumber(token, '01099990000');
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ memberId: created.memberId, phoneNumber: '01099990000' });
  });

  it('ars keypad refuses with a usage error under a production configuration, and types nothing', async () => {
    const created = await createMember();
    const token = `Bearer ${(await cli(['tokens', 'issue', '--member', created.email])).out}`;
    const started = (
      await request(server())
        .post('/users/v1/member/phone-number/ars')
        .set('Authorization', token)
        .send({ phoneNumber: '01088887777' })
        .expect(201)
    ).body as ArsVerificationStarted;

    const production: AppConfig = { ...t.config, mode: 'production' };
    expect(await cli(['ars', 'keypad', started.verificationId, started.code], production)).toEqual({
      code: 2,
      out: 'error: the simulated keypad exists only in development mode',
    });
    const status = await request(server())
      .get(`/users/v1/member/phone-number/ars/${started.verificationId}`)
      .set('Authorization', token)
      .expect(200);
    expect(status.body).toMatchObject({ status: 'CALLING', attemptsLeft: 5 });
  });

  it('ars keypad reads time from the app clock, as the HTTP keypad does', async () => {
    const clock = new ManualClock();
    const clocked = await startTestApp({ clock });
    try {
      const m = await clocked.createMember();
      const token = `Bearer ${await m.bearer()}`;
      const started = (
        await request(clocked.app.getHttpServer())
          .post('/users/v1/member/phone-number/ars')
          .set('Authorization', token)
          .send({ phoneNumber: '01066667777' })
          .expect(201)
      ).body as ArsVerificationStarted;
      clock.advance(60_000);

      const lines: string[] = [];
      const code = await runCommand(
        clocked.app,
        clocked.config,
        ['ars', 'keypad', started.verificationId, started.code],
        (line) => lines.push(line),
      );
      expect({ code, out: lines.join('\n') }).toEqual({ code: 0, out: 'keypad: verified' });
      const row = await clocked.db
        .selectFrom('ars_verifications')
        .select(['status', 'verified_at'])
        .where('id', '=', started.verificationId)
        .executeTakeFirstOrThrow();
      expect(row).toEqual({ status: 'VERIFIED', verified_at: clock.now() });
    } finally {
      await clocked.close();
    }
  });

  const MEMBER = '<an existing member>';
  it.each([
    ['no command', [], USAGE],
    ['an unknown command', ['members', 'frobnicate'], USAGE],
    ['an unknown option', ['members', 'show', MEMBER, '--bogus'], `Unknown option '--bogus'`],
    [
      'a missing option',
      ['members', 'create', '--name', 'x', '--phone', '01012345678'],
      'error: missing --email',
    ],
    ['a missing argument', ['members', 'show'], 'error: missing member'],
    ['an unknown member', ['members', 'show', 'nobody@example.com'], 'error: no member nobody@example.com'],
    ['an unknown status', ['members', 'set-status', MEMBER, 'SLEEPING'], 'error: unknown status SLEEPING'],
    [
      'a zero --ttl',
      ['tokens', 'issue', '--member', MEMBER, '--ttl', '0'],
      'error: --ttl must be a positive',
    ],
    ['a bad --limit', ['audit', '--member', MEMBER, '--limit', 'ten'], 'error: --limit must be a positive'],
  ])('exits 2 on %s, saying why', async (_, argv, says) => {
    const existing = (await createMember()).email;
    const before = await t.db
      .selectFrom('members')
      .selectAll()
      .where('email', '=', existing)
      .executeTakeFirst();
    const { code, out } = await cli(argv.map((arg) => (arg === MEMBER ? existing : arg)));
    expect(code).toBe(2);
    expect(out).toContain(says);
    const after = await t.db
      .selectFrom('members')
      .selectAll()
      .where('email', '=', existing)
      .executeTakeFirst();
    expect(after).toEqual(before);
  });
});

describe('the built operator CLI (what `npm run cli` runs)', () => {
  let dataDir: string;

  beforeAll(() => {
    requireBuilt(BUILT_CLI);
    dataDir = mkdtempSync(join(tmpdir(), 'member-phone-cli-'));
  });
  afterEach(() => stopSpawned());
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  const runCli = async (...argv: string[]): Promise<SpawnedProcess> => {
    const cli = spawnTracked(process.execPath, [BUILT_CLI, ...argv], {
      cwd: dataDir,
      env: cleanEnv({ DATA_DIR: dataDir }),
    });
    await cli.waitForExit(15_000);
    return cli;
  };

  it('prints USAGE on help with exit 0, and exits 2 on bad usage', async () => {
    const help = await runCli('help');
    expect(help.exit).toEqual({ code: 0, signal: null });
    expect(help.stdout).toBe(USAGE);

    const bad = await runCli('members', 'frobnicate');
    expect(bad.exit).toEqual({ code: 2, signal: null });
    expect(bad.stdout).toBe(USAGE + '\n');
  });

  it('creates a member in DATA_DIR that a later run shows, and reports a refused input with exit 1', async () => {
    const created = await runCli(
      'members',
      'create',
      '--email',
      'built@example.com',
      '--name',
      'Built',
      '--phone',
      '010-4444-5555',
    );
    expect(created.exit?.code).toBe(0);
    expect(created.stdout).toMatch(/^created member \d{14} \(built@example\.com, ACTIVE\)\n$/);

    const shown = await runCli('members', 'show', 'built@example.com', '--json');
    expect(shown.exit?.code).toBe(0);
    expect(JSON.parse(shown.stdout)).toMatchObject({
      email: 'built@example.com',
      phoneNumber: '01044445555',
    });

    const refused = await runCli(
      'members',
      'create',
      '--email',
      'x@example.com',
      '--name',
      'x',
      '--phone',
      '070-1234-5678',
    );
    expect(refused.exit?.code).toBe(1);
    expect(refused.stderr).toMatch(/^error: not a Korean mobile number/);
    expect(refused.stdout).toBe('');
  });
});
