import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import {
  type ArsVerificationStarted,
  type Member,
  MEMBER_FIELDS,
  signHmacAuthorization,
} from '@member-phone/core';
import Database from 'better-sqlite3';

import {
  BUILT_MAIN,
  type DemoBanner,
  jsonLogLines,
  parseDemoBanner,
  requireBuilt,
  spawnBuiltApp,
  stopSpawned,
  waitUntilListening,
} from './support/built-app';
import { call, holdRequest } from './support/http-client';

const folders: string[] = [];
function freshFolder(): string {
  const folder = mkdtempSync(join(tmpdir(), 'member-phone-start-'));
  folders.push(folder);
  return folder;
}

function phoneNumberInDatabase(folder: string, memberId: string): string {
  const db = new Database(join(folder, 'data', 'member-phone.sqlite'), { readonly: true });
  try {
    const row = db.prepare('select phone_number from members where id = ?').get(memberId) as
      | { phone_number: string }
      | undefined;
    return row?.phone_number ?? '(no member)';
  } finally {
    db.close();
  }
}

function memberCount(folder: string): number {
  const db = new Database(join(folder, 'data', 'member-phone.sqlite'), { readonly: true });
  try {
    return (db.prepare('select count(*) as n from members').get() as { n: number }).n;
  } finally {
    db.close();
  }
}

beforeAll(() => requireBuilt(BUILT_MAIN));
afterEach(() => stopSpawned());
afterAll(() => {
  for (const folder of folders) rmSync(folder, { recursive: true, force: true });
});

describe('node apps/api/dist/main.js in an empty folder (what `npm start` runs)', () => {
  const folder = freshFolder();
  let first: DemoBanner;

  it('prints demo credentials that work, serves health, readiness and Swagger UI, and keeps its keys private', async () => {
    const app = spawnBuiltApp({ cwd: folder });
    const baseUrl = await waitUntilListening(app);
    first = parseDemoBanner(app.stdout);

    expect(first).toEqual({
      memberId: expect.stringMatching(/^\d{14}$/),
      email: 'member@example.com',
      maskedPhoneNumber: '010-****-5678',
      apiKey: expect.stringMatching(/^[A-Z0-9]{16}$/),
      apiSecret: expect.stringMatching(/^[A-Za-z0-9]{32}$/),
      token: expect.stringMatching(/^[\w-]+\.[\w-]+\.[\w-]+$/),
      swaggerUrl: `${baseUrl}/docs`,
      openApiUrl: `${baseUrl}/docs-json`,
      port: expect.any(Number),
    });
    expect(first.port).toBeGreaterThan(0);
    expect(baseUrl).toBe(`http://127.0.0.1:${first.port}`);

    expect(await call(`${baseUrl}/health`)).toMatchObject({ status: 200, body: { status: 'ok' } });
    expect(await call(`${baseUrl}/ready`)).toMatchObject({
      status: 200,
      body: { status: 'ready', database: 'sqlite' },
    });
    const docs = await call(first.swaggerUrl);
    expect(docs.status).toBe(200);
    expect(docs.headers.get('content-type')).toMatch(/^text\/html/);
    expect(docs.text).toContain('<div id="swagger-ui">');

    // ./data is created in the working folder, its keys readable by the owner only.
    expect(readdirSync(join(folder, 'data')).sort()).toEqual(
      expect.arrayContaining(['jwt-hs256.key', 'master.key', 'member-phone.sqlite']),
    );
    expect(statSync(join(folder, 'data', 'master.key')).mode & 0o777).toBe(0o600);
    expect(statSync(join(folder, 'data', 'jwt-hs256.key')).mode & 0o777).toBe(0o600);
    expect(statSync(join(folder, 'data', 'member-phone.sqlite')).mode & 0o777).toBe(0o600);
    expect(statSync(join(folder, 'data')).mode & 0o777).toBe(0o700);

    const expectedMember: Member = {
      name: 'nickName',
      phoneNumber: '01012345678',
      status: 'ACTIVE',
      selectedAccountId: null,
      memberId: first.memberId,
      email: 'member@example.com',
      dateCreated: expect.any(String),
      dateUpdated: expect.any(String),
      loginSessions: [],
    };
    const byToken = await call(`${baseUrl}/users/v1/member`, {
      headers: { authorization: `Bearer ${first.token}` },
    });
    expect(byToken.status).toBe(200);
    expect(Object.keys(byToken.body as object)).toEqual([...MEMBER_FIELDS]);
    expect(byToken.body).toEqual(expectedMember);

    const byKey = await call(`${baseUrl}/users/v1/member`, {
      headers: { authorization: signHmacAuthorization({ apiKey: first.apiKey, apiSecret: first.apiSecret }) },
    });
    expect(byKey.status).toBe(200);
    expect(byKey.body).toEqual(byToken.body);

    // The banner is the only place the secrets appear: never in the JSON log lines.
    const logs = jsonLogLines(app.stdout).join('\n') + app.stderr;
    expect(logs).not.toContain(first.apiSecret);
    expect(logs).not.toContain(first.token);

    app.child.kill('SIGTERM');
    expect(await app.waitForExit(5_000)).toEqual({ code: 0, signal: null });
  });

  it('on a second start on the same folder prints no credentials and keeps the member and its credentials', async () => {
    expect(first).toBeDefined();
    const app = spawnBuiltApp({ cwd: folder });
    const baseUrl = await waitUntilListening(app);

    expect(app.stdout).toContain(`member-phone on ${baseUrl}  (Swagger UI ${baseUrl}/docs)`);
    expect(app.stdout).not.toMatch(/demo credentials|API key|API secret|token {2}/);
    expect(app.stdout).not.toContain(first.apiSecret);
    expect(app.stdout).not.toContain(first.token);

    // The same master key and token key were read back from ./data: the old credentials still work.
    const byToken = await call(`${baseUrl}/users/v1/member`, {
      headers: { authorization: `Bearer ${first.token}` },
    });
    expect(byToken).toMatchObject({
      status: 200,
      body: { memberId: first.memberId, email: 'member@example.com' },
    });
    const byKey = await call(`${baseUrl}/users/v1/member`, {
      headers: { authorization: signHmacAuthorization({ apiKey: first.apiKey, apiSecret: first.apiSecret }) },
    });
    expect(byKey).toMatchObject({ status: 200, body: { memberId: first.memberId } });
    expect(memberCount(folder)).toBe(1);
  });
});

describe('SIGTERM on the built app', () => {
  it('lets a request in flight finish and commit, refuses new work, and exits 0', async () => {
    const folder = freshFolder();
    const app = spawnBuiltApp({ cwd: folder });
    const baseUrl = await waitUntilListening(app);
    const { token, memberId } = parseDemoBanner(app.stdout);
    const auth = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const body = JSON.stringify({ phoneNumber: '01000000000' });

    const started = await call(`${baseUrl}/users/v1/member/phone-number/ars`, {
      method: 'POST',
      headers: auth,
      body,
    });
    expect(started.status).toBe(201);
    const { verificationId, code } = started.body as ArsVerificationStarted;
    expect(
      await call(`${baseUrl}/dev/ars/${verificationId}/keypad`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ digits: code }),
      }),
    ).toMatchObject({ status: 200, body: { outcome: 'verified' } });

    // The PUT's headers are in, half of its body is not: the server holds it in flight.
    const held = holdRequest(`${baseUrl}/users/v1/member/phone-number`, 'PUT', auth, body);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const signalled = Date.now();
    app.child.kill('SIGTERM');

    // New work is turned away (503 while draining, or the listener is already closed).
    let refused: string | undefined;
    while (!refused && Date.now() - signalled < 3_000) {
      try {
        const ready = await call(`${baseUrl}/ready`);
        if (ready.status !== 200) refused = `${ready.status} ${JSON.stringify(ready.body)}`;
      } catch {
        refused = 'connection refused';
      }
    }
    expect(refused).toMatch(/^(503 .*ServiceUnavailable|connection refused)/);
    expect(app.exit).toBeUndefined();

    held.finish();
    const answer = await held.answer;
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ memberId, phoneNumber: '01000000000' });

    expect(await app.waitForExit(5_000)).toEqual({ code: 0, signal: null });
    expect(Date.now() - signalled).toBeLessThan(5_000);
    expect(app.stdout).toContain('draining in-flight requests');
    expect(phoneNumberInDatabase(folder, memberId)).toBe('01000000000');
  });
});

describe('SIGTERM with a grace period (SHUTDOWN_GRACE_MS)', () => {
  it('answers 503 on /ready at once, still serves requests during the grace, then exits 0', async () => {
    const folder = freshFolder();
    const app = spawnBuiltApp({ cwd: folder, env: { SHUTDOWN_GRACE_MS: '3000' } });
    const baseUrl = await waitUntilListening(app);
    const { token, memberId } = parseDemoBanner(app.stdout);
    expect((await call(`${baseUrl}/ready`)).status).toBe(200);

    app.child.kill('SIGTERM');
    // Each call opens its own connection: what a load balancer's health check meets.
    let ready = await call(`${baseUrl}/ready`);
    while (ready.status === 200) ready = await call(`${baseUrl}/ready`);
    const member = await call(`${baseUrl}/users/v1/member`, {
      headers: { authorization: `Bearer ${token}` },
    });

    expect(ready).toMatchObject({ status: 503, body: { errorCode: 'ServiceUnavailable' } });
    expect(member).toMatchObject({ status: 200, body: { memberId } });
    expect(app.exit).toBeUndefined();
    expect(await app.waitForExit(20_000)).toEqual({ code: 0, signal: null });
    expect(app.stdout).toContain('draining in-flight requests');
  });
});

describe('NODE_ENV=production on the built app', () => {
  it('refuses to start without MASTER_KEY, naming it, and writes nothing', async () => {
    const folder = freshFolder();
    const app = spawnBuiltApp({ cwd: folder, env: { NODE_ENV: 'production' } });
    const exit = await app.waitForExit(10_000);

    expect(exit.code).not.toBe(0);
    expect(exit.code).not.toBeNull();
    expect(app.stderr).toMatch(/^configuration error: .*MASTER_KEY/m);
    expect(app.stdout).not.toContain('Swagger UI');
    expect(existsSync(join(folder, 'data'))).toBe(false);
  });
});
