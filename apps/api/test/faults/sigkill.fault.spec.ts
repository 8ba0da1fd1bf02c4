import type { Member } from '@member-phone/core';

import { stopSpawned } from '../support/built-app';
import {
  createServiceHome,
  GENEROUS_ARS_LIMITS,
  runDialect,
  type SeededMember,
  seedMembers,
  type ServiceHome,
  sqliteIntegrity,
  startService,
} from './support/service-under-test';
import { type AcknowledgedUpdate, checkStateInvariants } from './support/state-invariants';
import { changeNumber, newRequestId, PUT_PATH, send, sleep } from './support/update-flow';

jest.setTimeout(240_000);

const ROUNDS = Number(process.env['FAULT_KILL_ROUNDS'] ?? 5);
const MEMBERS = 40;

/** A number no member starts with: 010-2MMM-KKKK for member m's k-th change. */
function numberFor(member: number, change: number): string {
  return `010${String(20_000_000 + member * 10_000 + change).padStart(8, '0')}`;
}

let home: ServiceHome | undefined;
afterEach(() => stopSpawned());
afterAll(() => home?.dispose());

describe(`SIGKILL in the middle of a stream of updates (${runDialect()})`, () => {
  it(`keeps every update answered 200 in the database and the audit trail, across ${ROUNDS} kills`, async () => {
    home = await createServiceHome();
    const members: SeededMember[] = await seedMembers(home, MEMBERS);
    const acknowledged: AcknowledgedUpdate[] = [];
    const lastAcknowledged = new Map<string, string>();
    // A PUT sent when the process died: its number may or may not have committed.
    const unanswered = new Map<string, string>();
    const changes = new Map<string, number>();
    let totalChecked = 0;
    let killedMidPut = 0;

    for (let round = 0; round < ROUNDS; round++) {
      const service = await startService(home, GENEROUS_ARS_LIMITS);

      // A client whose PUT got no answer retries it: PUT is idempotent, so the retry answers 200
      // with that number whether or not the lost one committed.
      for (const member of members) {
        const lost = unanswered.get(member.id);
        if (!lost) continue;
        const retry = await send(service.baseUrl, 'PUT', PUT_PATH, {
          authorization: member.authorization,
          body: { phoneNumber: lost },
          requestId: newRequestId(`retry-${round}`),
        });
        expect({ status: retry.status, phoneNumber: (retry.body as Member).phoneNumber }).toEqual({
          status: 200,
          phoneNumber: lost,
        });
        lastAcknowledged.set(member.id, lost);
        unanswered.delete(member.id);
      }

      let killed = false;
      const streams = members.map(async (member, index) => {
        while (!killed) {
          const change = (changes.get(member.id) ?? 0) + 1;
          changes.set(member.id, change);
          const phoneNumber = numberFor(index, change);
          const began = Date.now();
          const outcome = await changeNumber(
            service.baseUrl,
            member.authorization,
            phoneNumber,
            `kill-${round}`,
          );
          if (outcome.stage === 'ars' && outcome.answer.status === 429) {
            // The cooldown of a call placed just before the previous kill, or a slow loop turn.
            await sleep(Number(outcome.answer.headers?.get('retry-after') ?? 1) * 1_000);
            continue;
          }
          if (outcome.stage === 'done') {
            expect((outcome.answer.body as Member).phoneNumber).toBe(phoneNumber);
            acknowledged.push({ memberId: member.id, phoneNumber, requestId: outcome.requestId! });
            lastAcknowledged.set(member.id, phoneNumber);
          } else {
            // Only the kill may interrupt the flow: any answer the service did give was a success.
            expect({ stage: outcome.stage, status: outcome.answer.status }).toEqual({
              stage: outcome.stage,
              status: 0,
            });
            if (outcome.stage === 'put') {
              unanswered.set(member.id, phoneNumber);
              killedMidPut += 1;
            }
            return;
          }
          // The member cooldown is one second.
          await sleep(Math.max(0, 1_050 - (Date.now() - began)));
        }
      });

      await sleep(1_200 + ((round * 397) % 1_300));
      killed = true;
      service.process.child.kill('SIGKILL');
      expect(await service.process.waitForExit(10_000)).toEqual({ code: null, signal: 'SIGKILL' });
      await Promise.all(streams);

      if (home.sqliteFile) expect(sqliteIntegrity(home.sqliteFile)).toEqual(['ok']);
      const inspector = home.open();
      try {
        const report = await checkStateInvariants(inspector.db, {
          members,
          acknowledged,
          lastAcknowledged,
          unanswered,
          now: Date.now(),
        });
        expect(report.violations).toEqual([]);
        totalChecked += report.checked;
      } finally {
        await inspector.db.destroy();
      }
    }

    // The run proved something only if updates were acknowledged before the kills.
    expect(acknowledged.length).toBeGreaterThan(ROUNDS * MEMBERS * 0.5);
    process.stdout.write(
      `sigkill fault (${runDialect()}): rounds ${ROUNDS}, updates acknowledged ${acknowledged.length}, ` +
        `PUTs cut by the kill ${killedMidPut}, invariants checked ${totalChecked}, violations 0\n`,
    );

    // And the service serves normally after the last kill.
    const service = await startService(home, GENEROUS_ARS_LIMITS);
    const member = members[0]!;
    const outcome = await changeNumber(service.baseUrl, member.authorization, numberFor(0, 9_999), 'after');
    expect(outcome.stage).toBe('done');
    expect((outcome.answer.body as Member).phoneNumber).toBe(numberFor(0, 9_999));
  });
});
