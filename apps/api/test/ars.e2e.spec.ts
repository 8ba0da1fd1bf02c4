import { randomUUID } from 'node:crypto';

import { type ArsVerification, type ArsVerificationStarted, type Member } from '@member-phone/core';
import request from 'supertest';

import { TELEPHONY_PORT, type TelephonyPort } from '../src/telephony/telephony.port';
import { snapshotDatabase } from './support/db-snapshot';
import { expectCatalogError } from './support/http-expect';
import { ManualClock } from '../src/common/testing/manual-clock';
import { startTestApp, type TestApp, type TestMember } from './support/test-app';

const PUT_PATH = '/users/v1/member/phone-number';
const ARS_PATH = '/users/v1/member/phone-number/ars';
const SECOND = 1000;
const MINUTE = 60 * SECOND;
const COOLDOWN_SECONDS = 30;
const VERIFICATION_FIELDS = ['verificationId', 'phoneNumber', 'status', 'attemptsLeft', 'expireAt'];

/** Digits that are surely not `code`. */
const wrongCode = (code: string) => code.replace(/\d/g, (d) => String((Number(d) + 1) % 10));

describe('ARS second authentication on the real app over HTTP', () => {
  let t: TestApp;
  const clock = new ManualClock();
  let placeCall: jest.SpyInstance;

  beforeAll(async () => {
    t = await startTestApp({
      clock,
      env: {
        // Only the member cooldown stays as in production; the other limits would trip across tests.
        ARS_MEMBER_COOLDOWN_SECONDS: String(COOLDOWN_SECONDS),
        ARS_MEMBER_DAILY_LIMIT: '1000',
        ARS_NUMBER_HOURLY_LIMIT: '1000',
        ARS_NUMBER_DAILY_LIMIT: '1000',
        ARS_CREDENTIAL_DAILY_LIMIT: '1000',
        ARS_CLIENT_ADDRESS_HOURLY_LIMIT: '1000',
      },
    });
  });
  afterAll(() => t.close());
  beforeEach(() => {
    placeCall = jest.spyOn(t.app.get<TelephonyPort>(TELEPHONY_PORT), 'placeCall');
    // Every test starts after any cooldown an earlier one left.
    clock.advance(COOLDOWN_SECONDS * SECOND);
  });

  const server = () => t.app.getHttpServer();
  const start = (authorization: string, phoneNumber: string) =>
    request(server()).post(ARS_PATH).set('Authorization', authorization).send({ phoneNumber });
  const started = async (authorization: string, phoneNumber: string) => {
    const res = await start(authorization, phoneNumber);
    expect(res.status).toBe(201);
    return res.body as ArsVerificationStarted;
  };
  const press = async (verificationId: string, digits: string) => {
    const res = await request(server()).post(`/dev/ars/${verificationId}/keypad`).send({ digits });
    expect(res.status).toBe(200);
    return res.body as { outcome: string; status: string };
  };
  const status = (authorization: string, verificationId: string) =>
    request(server()).get(`${ARS_PATH}/${verificationId}`).set('Authorization', authorization);
  const put = (authorization: string, phoneNumber: string) =>
    request(server()).put(PUT_PATH).set('Authorization', authorization).send({ phoneNumber });
  const memberRow = (id: string) =>
    t.db.selectFrom('members').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  const verificationRow = (id: string) =>
    t.db.selectFrom('ars_verifications').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  const auditTypes = async (memberId: string) =>
    (
      await t.db
        .selectFrom('audit_events')
        .select('event_type')
        .where('member_id', '=', memberId)
        .orderBy('id')
        .execute()
    ).map((row) => row.event_type);
  const withToken = async (input: Parameters<TestApp['createMember']>[0] = {}) => {
    const m = await t.createMember(input);
    return { m, token: `Bearer ${await m.bearer()}` };
  };
  /** Proves the refused PUT left the member as it was. */
  const expectPutRefused = async (token: string, m: TestMember, phoneNumber: string) => {
    expectCatalogError(await put(token, phoneNumber), 'SecondAuthRequired');
    expect((await memberRow(m.row.id)).phone_number).toBe(m.row.phone_number);
  };

  describe('GET /users/v1/member/phone-number/ars/:id', () => {
    it('shows the owner its verification, by any of its credentials, and never the code', async () => {
      const { m, token } = await withToken();
      const call = await started(token, '+82 10-2000-0001');
      expect(call).toMatchObject({ phoneNumber: '01020000001', status: 'CALLING', attemptsLeft: 5 });

      const calling = await status(m.hmac(), call.verificationId);
      expect(calling.status).toBe(200);
      expect(Object.keys(calling.body as object)).toEqual(VERIFICATION_FIELDS);
      expect(calling.body).toEqual({
        verificationId: call.verificationId,
        phoneNumber: '01020000001',
        status: 'CALLING',
        attemptsLeft: 5,
        expireAt: new Date(clock.now() + 3 * MINUTE).toISOString(),
      });

      await press(call.verificationId, call.code);
      const verified = await status(token, call.verificationId);
      expect(verified.body).toEqual({
        verificationId: call.verificationId,
        phoneNumber: '01020000001',
        status: 'VERIFIED',
        attemptsLeft: 0,
        expireAt: new Date(clock.now() + 5 * MINUTE).toISOString(),
      });
      expect((await put(token, '01020000001')).status).toBe(200);
      const consumed = await status(token, call.verificationId);
      expect((consumed.body as ArsVerification).status).toBe('CONSUMED');

      const code = new RegExp(`(?<![0-9])${call.code}(?![0-9])`);
      for (const res of [calling, verified, consumed]) expect(res.text).not.toMatch(code);
    });

    it("answers 404 ResourceNotFound for another member's verification and changes nothing", async () => {
      const owner = await withToken();
      const other = await withToken();
      const call = await started(owner.token, '01020000002');
      // Past the call window: a lookup by the owner would mark it EXPIRED; the stranger's must not.
      clock.advance(3 * MINUTE);
      const before = await snapshotDatabase(t);
      expectCatalogError(await status(other.token, call.verificationId), 'ResourceNotFound');
      expectCatalogError(await status(other.m.hmac(), call.verificationId), 'ResourceNotFound');
      // Only the stranger's verified HMAC signature was recorded.
      const after = await snapshotDatabase(t);
      expect({ ...after, hmacSignatures: [] }).toEqual({ ...before, hmacSignatures: [] });
      expect(after.hmacSignatures).toHaveLength(before.hmacSignatures.length + 1);
      expect((await verificationRow(call.verificationId)).status).toBe('CALLING');
    });

    it.each([
      ['an unknown id', () => randomUUID()],
      ['an id that is not a UUID', () => 'not-a-verification'],
      ['an id of 200 characters', () => 'x'.repeat(200)],
      // PostgreSQL text cannot hold NUL: the id must be refused before it reaches a query.
      ['an id holding a NUL byte', () => '%00'],
      ['a UUID with a NUL byte after it', () => `${randomUUID()}%00`],
    ])('answers 404 ResourceNotFound for %s', async (_name, id) => {
      const { token } = await withToken();
      const before = await snapshotDatabase(t);
      expectCatalogError(await status(token, id()), 'ResourceNotFound');
      expect(await snapshotDatabase(t)).toEqual(before);
    });
  });

  it('fails the verification after 5 wrong keypad presses, and the PUT is refused', async () => {
    const { m, token } = await withToken();
    const call = await started(token, '01020000003');
    const wrong = wrongCode(call.code);
    for (let attempt = 1; attempt <= 4; attempt++) {
      expect(await press(call.verificationId, wrong)).toEqual({ outcome: 'mismatch', status: 'CALLING' });
      expect(((await status(token, call.verificationId)).body as ArsVerification).attemptsLeft).toBe(
        5 - attempt,
      );
    }
    expect(await press(call.verificationId, wrong)).toEqual({ outcome: 'failed', status: 'FAILED' });
    // The right code comes too late: the verification is closed.
    expect(await press(call.verificationId, call.code)).toEqual({ outcome: 'not_open', status: 'FAILED' });
    expect((await status(token, call.verificationId)).body).toMatchObject({
      status: 'FAILED',
      attemptsLeft: 0,
    });
    expect(await verificationRow(call.verificationId)).toMatchObject({
      status: 'FAILED',
      attempts: 5,
      verified_at: null,
      consumed_at: null,
    });
    await expectPutRefused(token, m, '01020000003');
    expect(await auditTypes(m.row.id)).toEqual([
      'ars.requested',
      'ars.call_placed',
      ...Array<string>(5).fill('ars.failed'),
      'phone.refused',
    ]);
  });

  describe('call window (3 minutes)', () => {
    it('accepts the code until the last millisecond of the window', async () => {
      const { token } = await withToken();
      const call = await started(token, '01020000004');
      clock.advance(3 * MINUTE - 1);
      expect(await press(call.verificationId, call.code)).toEqual({
        outcome: 'verified',
        status: 'VERIFIED',
      });
    });

    it('expires the call when the window ends: the code no longer verifies and the PUT is refused', async () => {
      const { m, token } = await withToken();
      const call = await started(token, '01020000005');
      clock.advance(3 * MINUTE);
      expect(await press(call.verificationId, call.code)).toEqual({ outcome: 'not_open', status: 'EXPIRED' });
      expect((await status(token, call.verificationId)).body).toMatchObject({
        status: 'EXPIRED',
        attemptsLeft: 0,
      });
      expect(await verificationRow(call.verificationId)).toMatchObject({ status: 'EXPIRED', attempts: 0 });
      await expectPutRefused(token, m, '01020000005');
    });
  });

  describe('proof lifetime (5 minutes)', () => {
    it('serves a proof used within 5 minutes', async () => {
      const { token } = await withToken();
      const call = await started(token, '01020000006');
      await press(call.verificationId, call.code);
      clock.advance(5 * MINUTE - 1);
      const res = await put(token, '01020000006');
      expect(res.status).toBe(200);
      expect((res.body as Member).phoneNumber).toBe('01020000006');
    });

    it('refuses a proof older than 5 minutes, and it shows EXPIRED', async () => {
      const { m, token } = await withToken();
      const call = await started(token, '01020000007');
      await press(call.verificationId, call.code);
      clock.advance(5 * MINUTE);
      await expectPutRefused(token, m, '01020000007');
      expect((await status(token, call.verificationId)).body).toMatchObject({ status: 'EXPIRED' });
      expect(await verificationRow(call.verificationId)).toMatchObject({
        status: 'EXPIRED',
        consumed_at: null,
      });
    });
  });

  it('cancels the previous verification when a new one starts: its proof is no longer usable', async () => {
    const { m, token } = await withToken();
    const first = await started(token, '01020000008');
    expect(await press(first.verificationId, first.code)).toMatchObject({ status: 'VERIFIED' });
    clock.advance(COOLDOWN_SECONDS * SECOND);

    const second = await started(token, '01020000008');
    expect((await status(token, first.verificationId)).body).toMatchObject({ status: 'CANCELED' });
    // The second call is still ringing, and the first proof is gone.
    await expectPutRefused(token, m, '01020000008');
    expect(await verificationRow(first.verificationId)).toMatchObject({
      status: 'CANCELED',
      consumed_at: null,
    });

    clock.advance(COOLDOWN_SECONDS * SECOND);
    const third = await started(token, '01020000009');
    expect(await press(second.verificationId, second.code)).toEqual({
      outcome: 'not_open',
      status: 'CANCELED',
    });
    expect(await press(third.verificationId, third.code)).toMatchObject({ status: 'VERIFIED' });
    expect((await put(token, '01020000009')).status).toBe(200);
    const requested = await t.db
      .selectFrom('audit_events')
      .select('details')
      .where('member_id', '=', m.row.id)
      .where('event_type', '=', 'ars.requested')
      .orderBy('id')
      .execute();
    expect(requested.map((row) => (JSON.parse(row.details) as { canceled: number }).canceled)).toEqual([
      0, 1, 1,
    ]);
  });

  describe('rate limit', () => {
    it('refuses a second call within the member cooldown with 429 and Retry-After, and places no call', async () => {
      const { m, token } = await withToken();
      await started(token, '01020000010');
      expect(placeCall).toHaveBeenCalledTimes(1);
      clock.advance(10 * SECOND);
      const before = await snapshotDatabase(t);

      const refused = await start(token, '01020000011');
      expectCatalogError(refused, 'TooManyRequests');
      expect(refused.headers['retry-after']).toBe(String(COOLDOWN_SECONDS - 10));
      expect(placeCall).toHaveBeenCalledTimes(1);
      const after = await snapshotDatabase(t);
      expect(after.arsVerifications).toEqual(before.arsVerifications);
      expect(after.rateLimitBuckets).toEqual(before.rateLimitBuckets);
      expect(after.members).toEqual(before.members);
      // The refusal itself is audited, with the limit's name and never the number.
      const added = after.auditEvents.slice(before.auditEvents.length) as Array<{
        event_type: string;
        details: string;
      }>;
      expect(added.map((row) => row.event_type)).toEqual(['ars.refused']);
      expect(JSON.parse(added[0]!.details)).toEqual({
        reason: 'rate_limited',
        limit: 'member_cooldown',
        phoneNumber: '010-****-0011',
        retryAfterSeconds: COOLDOWN_SECONDS - 10,
      });
      expect(await auditTypes(m.row.id)).toEqual(['ars.requested', 'ars.call_placed', 'ars.refused']);

      clock.advance((COOLDOWN_SECONDS - 10) * SECOND);
      expect((await start(token, '01020000011')).status).toBe(201);
    });

    it('keeps the full cooldown even when the first call came at the very end of a clock window', async () => {
      const { token } = await withToken();
      const windowMs = COOLDOWN_SECONDS * SECOND;
      clock.current = Math.ceil(clock.current / windowMs) * windowMs + windowMs - 1;
      await started(token, '01020000012');
      clock.advance(2);
      const refused = await start(token, '01020000013');
      expectCatalogError(refused, 'TooManyRequests');
      expect(refused.headers['retry-after']).toBe(String(COOLDOWN_SECONDS));
      expect(placeCall).toHaveBeenCalledTimes(1);
    });
  });

  it('refuses a number that is not a Korean mobile with 400 InvalidPhoneNumber, places no call and writes nothing', async () => {
    const { token } = await withToken();
    const before = await snapshotDatabase(t);
    for (const phoneNumber of [
      '070-1234-5678',
      '02-1234-5678',
      '1588-1234',
      '+1 202-555-0100',
      '010-1234-567',
    ]) {
      expectCatalogError(await start(token, phoneNumber), 'InvalidPhoneNumber');
    }
    expect(placeCall).not.toHaveBeenCalled();
    expect(await snapshotDatabase(t)).toEqual(before);
  });

  it.each([
    ['an unknown verification', () => randomUUID()],
    ['an id holding a NUL byte', () => '%00'],
    ['an id that is not a UUID', () => 'not-a-verification'],
  ])('answers 404 ResourceNotFound on the development keypad for %s', async (_name, id) => {
    const before = await snapshotDatabase(t);
    const res = await request(server()).post(`/dev/ars/${id()}/keypad`).send({ digits: '123456' });
    expectCatalogError(res, 'ResourceNotFound');
    expect(await snapshotDatabase(t)).toEqual(before);
  });

  describe('in production mode with the HTTP telephony adapter', () => {
    let prod: TestApp;
    beforeAll(async () => {
      prod = await startTestApp({
        env: {
          NODE_ENV: 'production',
          TELEPHONY_ADAPTER: 'http',
          TELEPHONY_CALL_URL: 'http://127.0.0.1:9/calls',
          TELEPHONY_SECRET: 's'.repeat(40),
          TELEPHONY_TIMEOUT_MS: '2000',
        },
      });
    });
    afterAll(() => prod.close());

    it('answers 503 ServiceUnavailable when the provider is unreachable and fails the verification', async () => {
      const m = await prod.createMember();
      const res = await request(prod.app.getHttpServer())
        .post(ARS_PATH)
        .set('Authorization', m.hmac())
        .send({ phoneNumber: '01020000014' });
      expectCatalogError(res, 'ServiceUnavailable');
      expect(res.headers['retry-after']).toMatch(/^\d+$/);
      const rows = await prod.db
        .selectFrom('ars_verifications')
        .selectAll()
        .where('member_id', '=', m.row.id)
        .execute();
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({
        status: 'FAILED',
        phone_number: '01020000014',
        provider_call_id: null,
      });
      const refused = await prod.db
        .selectFrom('audit_events')
        .selectAll()
        .where('member_id', '=', m.row.id)
        .where('event_type', '=', 'ars.refused')
        .execute();
      expect(refused.map((row) => JSON.parse(row.details) as unknown)).toEqual([
        { reason: 'telephony_unavailable', verificationId: rows[0]!.id, phoneNumber: '010-****-0014' },
      ]);
      // The failed verification is no proof.
      const update = await request(prod.app.getHttpServer())
        .put(PUT_PATH)
        .set('Authorization', m.hmac())
        .send({ phoneNumber: '01020000014' });
      expectCatalogError(update, 'SecondAuthRequired');
    });

    it('has no development keypad route: 404 ResourceNotFound, and nothing changes', async () => {
      const m = await prod.createMember();
      await request(prod.app.getHttpServer())
        .post(ARS_PATH)
        .set('Authorization', m.hmac())
        .send({ phoneNumber: '01020000015' });
      const row = await prod.db
        .selectFrom('ars_verifications')
        .selectAll()
        .where('member_id', '=', m.row.id)
        .executeTakeFirstOrThrow();
      const before = await snapshotDatabase(prod);
      for (const id of [row.id, randomUUID()]) {
        const res = await request(prod.app.getHttpServer())
          .post(`/dev/ars/${id}/keypad`)
          .send({ digits: '123456' });
        expectCatalogError(res, 'ResourceNotFound');
      }
      expect(await snapshotDatabase(prod)).toEqual(before);
    });
  });
});
