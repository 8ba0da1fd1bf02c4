import { type ArsVerificationStarted, maskPhoneNumber, type Member } from '@member-phone/core';
import request from 'supertest';

import { ManualClock } from '../../src/common/testing/manual-clock';
import { startTestApp, type TestApp, type TestMember } from '../support/test-app';
import { GENEROUS_ARS_LIMITS, runDialect } from '../faults/support/service-under-test';
import { type AcknowledgedUpdate, checkStateInvariants } from '../faults/support/state-invariants';
import { newRequestId } from '../faults/support/update-flow';
import { campaignSeed, campaignSize } from './support/campaign-size';
import { Prng } from './support/prng';

// The CI slice; the full campaign is `CAMPAIGN_SIZE=10000 npx jest apps/api/test/campaigns`.
const SIZE = campaignSize(1_200);
const SEED = campaignSeed(4_242);
const MEMBERS = 6;
// Shared by every member, each with its own last four digits so masked audit entries tell them apart.
const NUMBERS = ['01030001111', '01030002222', '01030003333', '01030004444'];
const PUT_PATH = '/users/v1/member/phone-number';
const ARS_PATH = '/users/v1/member/phone-number/ars';

jest.setTimeout(Math.max(120_000, SIZE * 100));

interface RaceMember {
  test: TestMember;
  bearer: string;
  initialPhoneNumber: string;
}

describe(`race campaign: concurrent updates, ARS starts and keypad events (${runDialect()})`, () => {
  const clock = new ManualClock(Date.now());
  let t: TestApp;
  let members: RaceMember[];

  beforeAll(async () => {
    t = await startTestApp({ clock, env: { ...GENEROUS_ARS_LIMITS } });
    members = [];
    for (let i = 0; i < MEMBERS; i++) {
      const phoneNumber = `0104000${String(5000 + i)}`;
      const test = await t.createMember({ phoneNumber });
      members.push({ test, bearer: `Bearer ${await test.bearer()}`, initialPhoneNumber: phoneNumber });
    }
  });
  afterAll(() => t.close());

  it(`keeps every invariant of DESIGN §4 through ${SIZE} racing operations (seed ${SEED})`, async () => {
    const rng = new Prng(SEED);
    const server = t.app.getHttpServer();
    const credential = (member: RaceMember) => (rng.chance(0.5) ? member.bearer : member.test.hmac());
    const answered200: Array<AcknowledgedUpdate & { memberIndex: number }> = [];
    const verifiedOutcomes = new Map<string, number>();
    const started: Array<{ member: number; body: ArsVerificationStarted }> = [];
    let operations = 0;
    let serverErrors = 0;
    const unexpected: string[] = [];

    const note = (what: string, status: number, allowed: number[], body: unknown) => {
      operations += 1;
      if (status >= 500) serverErrors += 1;
      if (!allowed.includes(status)) unexpected.push(`${what}: ${status} ${JSON.stringify(body)}`);
    };
    const startArs = async (m: number) => {
      const phoneNumber = rng.pick(NUMBERS);
      const res = await request(server)
        .post(ARS_PATH)
        .set('Authorization', credential(members[m]!))
        .send({ phoneNumber });
      note('ARS start', res.status, [201, 429], res.body);
      if (res.status === 201) started.push({ member: m, body: res.body as ArsVerificationStarted });
    };
    const press = async (verificationId: string, digits: string) => {
      const res = await request(server).post(`/dev/ars/${verificationId}/keypad`).send({ digits });
      note('keypad', res.status, [200], res.body);
      if ((res.body as { outcome?: string }).outcome === 'verified') {
        verifiedOutcomes.set(verificationId, (verifiedOutcomes.get(verificationId) ?? 0) + 1);
      }
    };
    const put = async (m: number, phoneNumber: string) => {
      const requestId = newRequestId('race');
      const res = await request(server)
        .put(PUT_PATH)
        .set('Authorization', credential(members[m]!))
        .set('X-Request-Id', requestId)
        .send({ phoneNumber });
      note('PUT', res.status, [200, 403], res.body);
      if (res.status === 200) {
        expect((res.body as Member).phoneNumber).toBe(phoneNumber);
        answered200.push({ memberId: members[m]!.test.row.id, memberIndex: m, phoneNumber, requestId });
      } else if (res.status === 403) {
        expect(res.body).toEqual({ errorCode: 'SecondAuthRequired', errorMessage: expect.any(String) });
      }
    };

    let rounds = 0;
    while (operations < SIZE) {
      rounds += 1;
      // Phase 1: every member asks for calls to numbers others ask for too, several at once.
      const roundStart = started.length;
      await Promise.all(members.flatMap((_, m) => Array.from({ length: rng.int(1, 3) }, () => startArs(m))));
      const fresh = started.slice(roundStart);

      // Phase 2: keypad events (the right code twice in parallel, wrong codes, stale calls) race
      // with PUTs that may come before the proof exists and with new calls that cancel it.
      const phase2: Array<Promise<void>> = [];
      for (const { member, body } of fresh) {
        for (let i = rng.int(0, 2); i > 0; i--)
          phase2.push(press(body.verificationId, body.code === '000000' ? '111111' : '000000'));
        if (rng.chance(0.85))
          for (let i = rng.int(1, 3); i > 0; i--) phase2.push(press(body.verificationId, body.code));
        if (rng.chance(0.4)) phase2.push(put(member, body.phoneNumber));
      }
      for (let i = rng.int(0, 3); i > 0 && started.length > 0; i--) {
        const old = rng.pick(started);
        phase2.push(press(old.body.verificationId, old.body.code));
      }
      await Promise.all(phase2);

      // Sometimes the call window (3 min) or the proof's lifetime (5 min) runs out in between.
      if (rng.chance(0.08)) clock.advance(rng.pick([3 * 60_000 + 1, 5 * 60_000 + 1]));

      // Phase 3: parallel PUTs for the verified numbers, for other numbers, through both
      // credentials, racing with new calls for the same members.
      const phase3: Array<Promise<void>> = [];
      for (const { member, body } of fresh) {
        for (let i = rng.int(1, 4); i > 0; i--)
          phase3.push(put(member, rng.chance(0.75) ? body.phoneNumber : rng.pick(NUMBERS)));
      }
      for (let m = 0; m < MEMBERS; m++) {
        if (rng.chance(0.3)) phase3.push(startArs(m));
        if (rng.chance(0.3)) phase3.push(put(m, rng.pick(NUMBERS)));
      }
      await Promise.all(phase3);
      // Past the member cooldown (one second) for the next round.
      clock.advance(1_100);
    }

    const changes = await t.db
      .selectFrom('audit_events')
      .selectAll()
      .where('event_type', '=', 'phone.changed')
      .orderBy('id')
      .execute();
    const changeByRequest = new Map(changes.map((row) => [row.request_id, row]));
    const acknowledgedChanges = answered200.filter((answer) => changeByRequest.has(answer.requestId));
    const report = await checkStateInvariants(t.db, {
      members: members.map((member) => ({
        id: member.test.row.id,
        initialPhoneNumber: member.initialPhoneNumber,
      })),
      acknowledged: acknowledgedChanges,
      now: clock.now(),
    });

    const check = (ok: boolean, violation: () => string) => {
      report.checked += 1;
      if (!ok) report.violations.push(violation());
    };
    // Audit entries and answered changes, one to one: no change committed without its 200.
    const answeredIds = new Set(answered200.map((answer) => answer.requestId));
    for (const change of changes) {
      check(
        change.request_id !== null && answeredIds.has(change.request_id),
        () => `phone.changed ${change.id} (${change.request_id}) was never answered 200`,
      );
    }
    // A 200 without a change of its own is the idempotent "same number" answer: the member held
    // that number at some point (initially or through an audited change).
    for (const answer of answered200) {
      if (changeByRequest.has(answer.requestId)) continue;
      const held = [
        maskPhoneNumber(members[answer.memberIndex]!.initialPhoneNumber),
        ...changes
          .filter((c) => c.member_id === answer.memberId)
          .map((c) => String((JSON.parse(c.details) as { newPhoneNumber: string }).newPhoneNumber)),
      ];
      check(
        held.includes(maskPhoneNumber(answer.phoneNumber)),
        () => `PUT ${answer.requestId} answered 200 with a number the member never held`,
      );
    }
    // Two parallel right codes verify a call once.
    const verifiedRows = await t.db
      .selectFrom('ars_verifications')
      .select('id')
      .where('verified_at', 'is not', null)
      .execute();
    for (const [id, count] of verifiedOutcomes)
      check(count === 1, () => `verification ${id} answered verified ${count} times`);
    check(
      verifiedRows.length === verifiedOutcomes.size,
      () => `${verifiedRows.length} verified rows, ${verifiedOutcomes.size} verified answers`,
    );

    process.stdout.write(
      `race campaign (${runDialect()}, seed ${SEED}): requests sent ${operations}, rounds ${rounds}, ` +
        `calls started ${started.length}, proofs verified ${verifiedOutcomes.size}, numbers changed ${changes.length}, ` +
        `5xx seen ${serverErrors}, invariants checked ${report.checked}, violations ${report.violations.length + unexpected.length}\n`,
    );
    expect(unexpected.slice(0, 20)).toEqual([]);
    expect(serverErrors).toBe(0);
    expect(report.violations.slice(0, 20)).toEqual([]);
    // The run raced something: numbers did change, through proofs.
    expect(changes.length).toBeGreaterThan(0);
  });
});
