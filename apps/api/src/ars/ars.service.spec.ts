import { Logger } from '@nestjs/common';

import { AuditService } from '../audit/audit.service';
import { ApiError } from '../common/api-error';
import type { RequestMeta } from '../common/request-meta';
import type { AppConfig, ArsRateLimits } from '../config/app-config';
import { SimulatorTelephony } from '../telephony/simulator-telephony.adapter';
import * as arsCode from './ars-code';
import type { ArsService } from './ars.service';
import {
  arsTestConfig,
  authFor,
  buildArsService,
  insertMember,
  openTestDatabase,
  RecordingTelephony,
  type TestDatabase,
} from './testing/ars-test-kit';
import { ManualClock } from '../common/testing/manual-clock';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const META: RequestMeta = { requestId: 'req-1', clientIp: '203.0.113.10' };

let numberSequence = 0;
/** A fresh valid mobile number per call, so number-keyed limits never leak between tests. */
const nextNumber = () => `01020${String((numberSequence += 1)).padStart(6, '0')}`;

async function rejectionOf(promise: Promise<unknown>): Promise<ApiError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ApiError) return error;
    throw error;
  }
  throw new Error('expected an ApiError, got a success');
}

describe('ArsService', () => {
  let database: TestDatabase;
  let clock: ManualClock;
  let config: AppConfig;
  let telephony: RecordingTelephony;
  let ars: ArsService;
  let audit: AuditService;

  const db = () => database.handle.db;
  const rowOf = (id: string) =>
    db().selectFrom('ars_verifications').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  const consume = (claim: { memberId: string; phoneNumber: string; credentialId: string }) =>
    db()
      .transaction()
      .execute((trx) => ars.consumeProof(trx, { ...claim, now: clock.now() }));
  const useConfig = (next: AppConfig) => {
    config = next;
    ars = buildArsService(config, database.handle, clock, telephony);
  };

  beforeAll(async () => {
    database = await openTestDatabase();
    audit = new AuditService(database.handle.db);
  });
  afterAll(() => database.close());
  beforeEach(() => {
    clock = new ManualClock();
    telephony = new RecordingTelephony();
    useConfig(arsTestConfig());
  });

  /** A member with a verification already VERIFIED for `number`. */
  async function verifiedProof(number = nextNumber()) {
    const member = await insertMember(db());
    const auth = authFor(member);
    const started = await ars.start(auth, number, META);
    const { outcome } = await ars.submitKeypad(
      { verificationId: started.verificationId, digits: started.code },
      clock.now(),
    );
    expect(outcome).toBe('verified');
    return {
      member,
      auth,
      started,
      claim: { memberId: member.id, phoneNumber: number, credentialId: auth.credentialId },
    };
  }

  describe('start', () => {
    it('creates a CALLING verification bound to member, normalized number and credential, and places the call', async () => {
      const member = await insertMember(db());
      const auth = authFor(member, 'apikey:first-key');

      const started = await ars.start(auth, '+82 10-2345-6789', META);

      expect(started).toEqual({
        verificationId: expect.stringMatching(/^[0-9a-f-]{36}$/) as unknown,
        phoneNumber: '01023456789',
        code: expect.stringMatching(/^\d{6}$/) as unknown,
        status: 'CALLING',
        attemptsLeft: 5,
        expireAt: new Date(clock.now() + 3 * MINUTE).toISOString(),
      });
      const row = await rowOf(started.verificationId);
      expect(row).toMatchObject({
        member_id: member.id,
        phone_number: '01023456789',
        credential_id: 'apikey:first-key',
        status: 'CALLING',
        attempts: 0,
        provider_call_id: `rec-${started.verificationId}`,
        expire_at: clock.now() + 3 * MINUTE,
      });
      expect(row.code_hash).toMatch(/^[0-9a-f]{64}$/);
      expect(row.code_hash).not.toContain(started.code);
      expect(telephony.calls).toEqual([
        { verificationId: started.verificationId, to: '01023456789', requestId: 'req-1' },
      ]);
      const events = await audit.listForMember(member.id);
      expect(events.map((e) => e.type)).toEqual(['ars.call_placed', 'ars.requested']);
      expect(events[1]).toMatchObject({
        credentialId: 'apikey:first-key',
        requestId: 'req-1',
        clientIp: '203.0.113.10',
        details: { verificationId: started.verificationId, phoneNumber: '010-****-6789' },
      });
    });

    it('draws the code from the CSPRNG with the configured length', async () => {
      useConfig({ ...config, ars: { ...config.ars, codeLength: 8 } });
      const member = await insertMember(db());
      const codes = new Set<string>();
      for (let i = 0; i < 6; i += 1) codes.add((await ars.start(authFor(member), nextNumber(), META)).code);

      expect([...codes].every((c) => /^\d{8}$/.test(c))).toBe(true);
      expect(codes.size).toBeGreaterThan(1);
    });

    it('refuses a number that is not a Korean mobile number, before any call', async () => {
      const member = await insertMember(db());

      const error = await rejectionOf(ars.start(authFor(member), '070-1234-5678', META));

      expect(error.code).toBe('InvalidPhoneNumber');
      expect(telephony.calls).toEqual([]);
    });

    it('cancels the member’s open verifications, calling or verified, and leaves other members’ alone', async () => {
      const { member, auth, started: verified, claim } = await verifiedProof();
      const calling = await ars.start(auth, nextNumber(), META);
      const other = await verifiedProof();

      const latest = await ars.start(auth, nextNumber(), META);

      expect((await rowOf(verified.verificationId)).status).toBe('CANCELED');
      expect((await rowOf(calling.verificationId)).status).toBe('CANCELED');
      expect((await rowOf(latest.verificationId)).status).toBe('CALLING');
      expect((await rowOf(other.started.verificationId)).status).toBe('VERIFIED');
      expect(await consume(claim)).toBeUndefined();
      expect(
        await ars.submitKeypad({ verificationId: calling.verificationId, digits: calling.code }, clock.now()),
      ).toEqual({ outcome: 'not_open' });
      expect((await audit.listForMember(member.id))[1]).toMatchObject({
        type: 'ars.requested',
        details: { canceled: 1 },
      });
    });
  });

  describe('telephony failure', () => {
    it('leaves no usable verification and answers ServiceUnavailable', async () => {
      jest.spyOn(arsCode, 'generateArsCode').mockReturnValue('135790');
      const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
      telephony.failNextCalls();
      const member = await insertMember(db());
      const auth = authFor(member);
      const number = nextNumber();

      const error = await rejectionOf(ars.start(auth, number, META));

      expect(error.code).toBe('ServiceUnavailable');
      const [row] = await db()
        .selectFrom('ars_verifications')
        .selectAll()
        .where('member_id', '=', member.id)
        .execute();
      expect(row).toMatchObject({ status: 'FAILED', provider_call_id: null });
      expect(await ars.submitKeypad({ verificationId: row!.id, digits: '135790' }, clock.now())).toEqual({
        outcome: 'not_open',
      });
      expect(
        await consume({ memberId: member.id, phoneNumber: number, credentialId: auth.credentialId }),
      ).toBeUndefined();
      const events = await audit.listForMember(member.id);
      expect(events.map((e) => [e.type, e.details['reason']])).toEqual([
        ['ars.refused', 'telephony_unavailable'],
        ['ars.requested', undefined],
      ]);
      expect(warn).toHaveBeenCalledWith(expect.stringContaining(row!.id));
    });

    it('marks the verification FAILED and rethrows an unexpected adapter error', async () => {
      telephony.failNextCalls(new TypeError('adapter bug'));
      const member = await insertMember(db());

      await expect(ars.start(authFor(member), nextNumber(), META)).rejects.toThrow('adapter bug');

      const rows = await db()
        .selectFrom('ars_verifications')
        .select('status')
        .where('member_id', '=', member.id)
        .execute();
      expect(rows).toEqual([{ status: 'FAILED' }]);
    });
  });

  describe('keypad', () => {
    it('verifies on the right code, counting the attempt, and starts the five-minute proof lifetime', async () => {
      const member = await insertMember(db());
      const started = await ars.start(authFor(member), nextNumber(), META);
      clock.advance(20 * SECOND);

      const result = await ars.submitKeypad(
        { verificationId: started.verificationId, digits: started.code },
        clock.now(),
        { requestId: 'hook-1', clientIp: '198.51.100.1' },
      );

      expect(result).toEqual({ outcome: 'verified' });
      expect(await rowOf(started.verificationId)).toMatchObject({
        status: 'VERIFIED',
        attempts: 1,
        verified_at: clock.now(),
        expire_at: clock.now() + 5 * MINUTE,
      });
      expect((await audit.listForMember(member.id))[0]).toMatchObject({
        type: 'ars.verified',
        requestId: 'hook-1',
        details: { verificationId: started.verificationId, attempt: 1 },
      });
    });

    it('finds the verification by the provider’s call id too', async () => {
      const member = await insertMember(db());
      const started = await ars.start(authFor(member), nextNumber(), META);

      expect(
        await ars.submitKeypad(
          { providerCallId: `rec-${started.verificationId}`, digits: started.code },
          clock.now(),
        ),
      ).toEqual({
        outcome: 'verified',
      });
    });

    it('counts attempts before comparing: after five misses even the right code is refused', async () => {
      const member = await insertMember(db());
      const started = await ars.start(authFor(member), nextNumber(), META);
      const wrong = started.code === '000000' ? '111111' : '000000';

      const outcomes = [];
      for (let i = 0; i < 5; i += 1) {
        outcomes.push(
          (await ars.submitKeypad({ verificationId: started.verificationId, digits: wrong }, clock.now()))
            .outcome,
        );
      }
      const afterwards = await ars.submitKeypad(
        { verificationId: started.verificationId, digits: started.code },
        clock.now(),
      );

      expect(outcomes).toEqual(['mismatch', 'mismatch', 'mismatch', 'mismatch', 'failed']);
      expect(afterwards).toEqual({ outcome: 'not_open' });
      expect(await rowOf(started.verificationId)).toMatchObject({ status: 'FAILED', attempts: 5 });
      const failures = (await audit.listForMember(member.id)).filter((e) => e.type === 'ars.failed');
      expect(failures.map((e) => e.details['attempt'])).toEqual([5, 4, 3, 2, 1]);
      expect(failures[0]!.details).toMatchObject({ reason: 'attempts_exhausted', attemptsLeft: 0 });
    });

    it('never grants parallel guesses more than the allowed attempts', async () => {
      const member = await insertMember(db());
      const started = await ars.start(authFor(member), nextNumber(), META);
      const wrong = started.code === '999999' ? '888888' : '999999';

      const results = await Promise.all(
        Array.from({ length: 12 }, () =>
          ars.submitKeypad({ verificationId: started.verificationId, digits: wrong }, clock.now()),
        ),
      );

      const count = (outcome: string) => results.filter((r) => r.outcome === outcome).length;
      expect([count('mismatch'), count('failed'), count('not_open')]).toEqual([4, 1, 7]);
      expect(await rowOf(started.verificationId)).toMatchObject({ status: 'FAILED', attempts: 5 });
    });

    it('refuses digits after the three-minute call window', async () => {
      const member = await insertMember(db());
      const started = await ars.start(authFor(member), nextNumber(), META);
      clock.advance(3 * MINUTE);

      expect(
        await ars.submitKeypad({ verificationId: started.verificationId, digits: started.code }, clock.now()),
      ).toEqual({ outcome: 'not_open' });
      expect((await rowOf(started.verificationId)).attempts).toBe(0);
    });

    it('answers not_open for an unknown verification', async () => {
      expect(await ars.submitKeypad({ verificationId: 'nope', digits: '123456' }, clock.now())).toEqual({
        outcome: 'not_open',
      });
      expect(await ars.submitKeypad({ digits: '123456' }, clock.now())).toEqual({ outcome: 'not_open' });
    });
  });

  describe('get', () => {
    it('shows the caller’s verification without the code', async () => {
      const member = await insertMember(db());
      const auth = authFor(member);
      const started = await ars.start(auth, nextNumber(), META);

      const view = await ars.get(auth, started.verificationId);

      expect(view).toEqual({
        verificationId: started.verificationId,
        phoneNumber: started.phoneNumber,
        status: 'CALLING',
        attemptsLeft: 5,
        expireAt: started.expireAt,
      });
      expect(JSON.stringify(view)).not.toContain(started.code);
    });

    it('answers ResourceNotFound for another member’s verification and for an unknown id', async () => {
      const owner = await insertMember(db());
      const stranger = await insertMember(db());
      const started = await ars.start(authFor(owner), nextNumber(), META);

      expect((await rejectionOf(ars.get(authFor(stranger), started.verificationId))).code).toBe(
        'ResourceNotFound',
      );
      expect((await rejectionOf(ars.get(authFor(owner), 'no-such-id'))).code).toBe('ResourceNotFound');
    });

    it('reports and records EXPIRED once the call window or the proof lifetime has passed', async () => {
      const member = await insertMember(db());
      const auth = authFor(member);
      const calling = await ars.start(auth, nextNumber(), META);
      clock.advance(3 * MINUTE);

      expect(await ars.get(auth, calling.verificationId)).toMatchObject({
        status: 'EXPIRED',
        attemptsLeft: 0,
      });
      expect((await rowOf(calling.verificationId)).status).toBe('EXPIRED');

      const { auth: provedAuth, started } = await verifiedProof();
      expect((await ars.get(provedAuth, started.verificationId)).status).toBe('VERIFIED');
      clock.advance(5 * MINUTE);
      expect((await ars.get(provedAuth, started.verificationId)).status).toBe('EXPIRED');
    });
  });

  describe('consumeProof', () => {
    it('hands out a verified proof once, for exactly its member, number and credential', async () => {
      const { claim, started } = await verifiedProof();
      const stranger = await insertMember(db());

      expect(await consume({ ...claim, memberId: stranger.id })).toBeUndefined();
      expect(await consume({ ...claim, phoneNumber: nextNumber() })).toBeUndefined();
      expect(await consume({ ...claim, credentialId: 'bearer:another-token' })).toBeUndefined();
      expect(await consume(claim)).toBe(started.verificationId);
      expect(await consume(claim)).toBeUndefined();
      expect(await rowOf(started.verificationId)).toMatchObject({
        status: 'CONSUMED',
        consumed_at: clock.now(),
      });
    });

    it('refuses a proof past its five-minute lifetime', async () => {
      const { claim } = await verifiedProof();
      clock.advance(5 * MINUTE);

      expect(await consume(claim)).toBeUndefined();
    });

    it('refuses a verification that was never verified or ran out of attempts', async () => {
      const member = await insertMember(db());
      const auth = authFor(member);
      const number = nextNumber();
      const started = await ars.start(auth, number, META);
      const claim = { memberId: member.id, phoneNumber: number, credentialId: auth.credentialId };

      expect(await consume(claim)).toBeUndefined();
      for (let i = 0; i < 5; i += 1) {
        await ars.submitKeypad({ verificationId: started.verificationId, digits: 'x' }, clock.now());
      }
      await ars.submitKeypad({ verificationId: started.verificationId, digits: started.code }, clock.now());
      expect(await consume(claim)).toBeUndefined();
    });

    it('gives exactly one of many parallel transactions the proof', async () => {
      const { claim, started } = await verifiedProof();

      const ids = await Promise.all(
        Array.from({ length: 8 }, () =>
          db()
            .transaction()
            .execute(async (trx) => {
              const id = await ars.consumeProof(trx, { ...claim, now: clock.now() });
              // Hold the transaction open across a tick, as the member update does.
              await new Promise((resolve) => setImmediate(resolve));
              return id;
            }),
        ),
      );

      expect(ids.filter((id) => id !== undefined)).toEqual([started.verificationId]);
    });

    it('gives nothing back when the surrounding update rolls back, so the proof stays usable', async () => {
      const { claim, started } = await verifiedProof();

      await expect(
        db()
          .transaction()
          .execute(async (trx) => {
            await ars.consumeProof(trx, { ...claim, now: clock.now() });
            throw new Error('member update failed');
          }),
      ).rejects.toThrow('member update failed');

      expect(await consume(claim)).toBe(started.verificationId);
    });
  });

  describe('rate limits', () => {
    const withLimits = (limits: Partial<ArsRateLimits>) => useConfig(arsTestConfig({ limits }));
    const bucketHits = async (key: string) =>
      (
        await db().selectFrom('rate_limit_buckets').select('hits').where('bucket_key', '=', key).execute()
      ).map((r) => Number(r.hits));

    it('enforces the member cooldown with Retry-After, audits the refusal and takes no other counter', async () => {
      withLimits({ memberCooldown: { limit: 1, windowMs: 30 * SECOND } });
      const member = await insertMember(db());
      const auth = authFor(member);
      const number = nextNumber();
      await ars.start(auth, number, META);
      clock.advance(10 * SECOND);

      const error = await rejectionOf(ars.start(auth, number, META));

      expect(error.code).toBe('TooManyRequests');
      expect(error.headers).toEqual({ 'Retry-After': '20' });
      expect(telephony.calls).toHaveLength(1);
      expect(await bucketHits(`ars:member:${member.id}:day`)).toEqual([1]);
      expect(await bucketHits(`ars:number:${number}:hour`)).toEqual([1]);
      expect((await audit.listForMember(member.id))[0]).toMatchObject({
        type: 'ars.refused',
        details: {
          reason: 'rate_limited',
          limit: 'member_cooldown',
          retryAfterSeconds: 20,
          phoneNumber: expect.stringMatching(/\*{4}/) as unknown,
        },
      });
      clock.advance(20 * SECOND);
      await expect(ars.start(auth, number, META)).resolves.toMatchObject({ status: 'CALLING' });
    });

    it('caps a member’s calls per day', async () => {
      withLimits({ memberDaily: { limit: 2, windowMs: 24 * 60 * MINUTE } });
      const member = await insertMember(db());
      const auth = authFor(member);
      await ars.start(auth, nextNumber(), META);
      await ars.start(auth, nextNumber(), META);

      const error = await rejectionOf(ars.start(auth, nextNumber(), META));

      expect(error.code).toBe('TooManyRequests');
      // The clock stands at 03:00 UTC: the daily window ends 21 hours later.
      expect(error.headers['Retry-After']).toBe(String(21 * 60 * 60));
    });

    it('caps calls to one number per hour and per day, whoever asks', async () => {
      withLimits({
        numberHourly: { limit: 1, windowMs: 60 * MINUTE },
        numberDaily: { limit: 2, windowMs: 24 * 60 * MINUTE },
      });
      const number = nextNumber();
      await ars.start(authFor(await insertMember(db())), number, META);

      const hourly = await rejectionOf(ars.start(authFor(await insertMember(db())), number, META));
      clock.advance(60 * MINUTE);
      await ars.start(authFor(await insertMember(db())), number, META);
      clock.advance(60 * MINUTE);
      const refusedMember = await insertMember(db());
      const daily = await rejectionOf(ars.start(authFor(refusedMember), number, META));

      expect(hourly.headers).toEqual({ 'Retry-After': String(60 * 60) });
      expect(daily.code).toBe('TooManyRequests');
      expect((await audit.listForMember(refusedMember.id))[0]!.details['limit']).toBe('number_daily');
      await expect(ars.start(authFor(refusedMember), nextNumber(), META)).resolves.toBeDefined();
    });

    it('caps one credential’s calls per day', async () => {
      withLimits({ credentialDaily: { limit: 1, windowMs: 24 * 60 * MINUTE } });
      const member = await insertMember(db());
      await ars.start(authFor(member, 'apikey:one'), nextNumber(), META);

      const error = await rejectionOf(ars.start(authFor(member, 'apikey:one'), nextNumber(), META));

      expect(error.code).toBe('TooManyRequests');
      expect((await audit.listForMember(member.id))[0]!.details['limit']).toBe('credential_daily');
      await expect(ars.start(authFor(member, 'apikey:two'), nextNumber(), META)).resolves.toBeDefined();
    });

    it('caps one client address’s calls per hour', async () => {
      withLimits({ clientAddressHourly: { limit: 1, windowMs: 60 * MINUTE } });
      const address = { requestId: 'r', clientIp: '192.0.2.77' };
      await ars.start(authFor(await insertMember(db())), nextNumber(), address);
      const second = await insertMember(db());

      const error = await rejectionOf(ars.start(authFor(second), nextNumber(), address));

      expect(error.code).toBe('TooManyRequests');
      expect((await audit.listForMember(second.id))[0]!.details['limit']).toBe('client_address_hourly');
      await expect(
        ars.start(authFor(second), nextNumber(), { ...address, clientIp: '192.0.2.78' }),
      ).resolves.toBeDefined();
    });

    it('applies a global hourly ceiling across members, numbers and addresses', async () => {
      // An hour no other test uses: the global bucket is shared by the whole file.
      clock.set(Date.UTC(2030, 5, 1, 12, 0, 0));
      withLimits({ globalHourly: { limit: 2, windowMs: 60 * MINUTE } });
      const start = async (ip: string) =>
        ars.start(authFor(await insertMember(db())), nextNumber(), { requestId: 'r', clientIp: ip });
      await start('192.0.2.1');
      await start('192.0.2.2');

      const error = await rejectionOf(start('192.0.2.3'));

      expect(error.code).toBe('TooManyRequests');
      expect(error.headers).toEqual({ 'Retry-After': String(60 * 60) });
      expect(await bucketHits('ars:global:hour')).toContain(2);
    });
  });

  describe('secrecy', () => {
    it('never writes the code or a full phone number to the audit trail or the logs', async () => {
      jest.spyOn(arsCode, 'generateArsCode').mockReturnValue('918273');
      const lines: string[] = [];
      for (const method of ['log', 'warn', 'error', 'debug', 'verbose'] as const) {
        jest.spyOn(Logger.prototype, method).mockImplementation((...args: unknown[]) => {
          lines.push(args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' '));
        });
      }
      ars = buildArsService(config, database.handle, clock, new SimulatorTelephony());
      const member = await insertMember(db());
      const auth = authFor(member);

      const started = await ars.start(auth, '010-3456-7890', META);
      await ars.submitKeypad({ verificationId: started.verificationId, digits: '000000' }, clock.now());
      await ars.submitKeypad({ verificationId: started.verificationId, digits: '918273' }, clock.now());
      await consume({ memberId: member.id, phoneNumber: '01034567890', credentialId: auth.credentialId });
      telephony.failNextCalls();
      await rejectionOf(
        buildArsService(config, database.handle, clock, telephony).start(auth, nextNumber(), META),
      );

      expect(started.code).toBe('918273');
      const rows = await db()
        .selectFrom('audit_events')
        .select('details')
        .where('member_id', '=', member.id)
        .execute();
      expect(rows.length).toBeGreaterThanOrEqual(5);
      const trail = rows.map((r) => r.details).join('\n');
      expect(trail).toContain('010-****-7890');
      expect(trail).not.toContain('918273');
      expect(trail).not.toMatch(/01[016789]\d{7,8}/);
      expect(lines.join('\n')).toContain('010-****-7890');
      expect(lines.join('\n')).not.toContain('918273');
      expect(lines.join('\n')).not.toMatch(/01[016789]\d{7,8}/);
    });
  });
});
