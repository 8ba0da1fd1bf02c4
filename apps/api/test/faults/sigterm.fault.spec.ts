import type { ArsVerificationStarted } from '@member-phone/core';

import { stopSpawned } from '../support/built-app';
import { holdRequest } from '../support/http-client';
import {
  createServiceHome,
  GENEROUS_ARS_LIMITS,
  runDialect,
  seedMembers,
  type ServiceHome,
  startService,
} from './support/service-under-test';
import { type AcknowledgedUpdate, checkStateInvariants } from './support/state-invariants';
import { ARS_PATH, newRequestId, PUT_PATH, send, sleep } from './support/update-flow';

jest.setTimeout(120_000);

const IN_FLIGHT = 6;

let home: ServiceHome | undefined;
afterEach(() => stopSpawned());
afterAll(() => home?.dispose());

describe(`SIGTERM drains in-flight requests before exit (${runDialect()})`, () => {
  it(`lets ${IN_FLIGHT} PUTs in flight finish and commit, turns new work away, and exits 0`, async () => {
    home = await createServiceHome();
    const members = await seedMembers(home, IN_FLIGHT, 'drain');
    const service = await startService(home, { ...GENEROUS_ARS_LIMITS, LOG_LEVEL: 'info' });

    // Each member holds a verified proof for a new number.
    const numbers = members.map((_, index) => `0103100${String(1000 + index)}`);
    for (const [index, member] of members.entries()) {
      const started = await send(service.baseUrl, 'POST', ARS_PATH, {
        authorization: member.authorization,
        body: { phoneNumber: numbers[index] },
      });
      expect(started.status).toBe(201);
      const { verificationId, code } = started.body as ArsVerificationStarted;
      const pressed = await send(service.baseUrl, 'POST', `/dev/ars/${verificationId}/keypad`, {
        body: { digits: code },
      });
      expect(pressed.body).toEqual({ outcome: 'verified', status: 'VERIFIED' });
    }

    // The PUTs' headers are in, half of each body is not: the server holds them all in flight.
    const requestIds = members.map(() => newRequestId('drain'));
    const held = members.map((member, index) =>
      holdRequest(
        `${service.baseUrl}${PUT_PATH}`,
        'PUT',
        {
          authorization: member.authorization,
          'content-type': 'application/json',
          'x-request-id': requestIds[index]!,
        },
        JSON.stringify({ phoneNumber: numbers[index] }),
      ),
    );
    await sleep(300);
    const signalled = Date.now();
    service.process.child.kill('SIGTERM');

    // New work is turned away: 503 while draining, or the listener is closed already.
    let refused: string | undefined;
    while (!refused && Date.now() - signalled < 5_000) {
      const ready = await send(service.baseUrl, 'GET', '/ready', { timeoutMs: 5_000 });
      if (ready.status === 0) refused = 'connection refused';
      else if (ready.status !== 200) refused = `${ready.status} ${ready.text}`;
    }
    expect(refused).toMatch(/^(503 .*ServiceUnavailable|connection refused)/);
    expect(service.process.exit).toBeUndefined();

    for (const request of held) request.finish();
    const answers = await Promise.all(held.map((request) => request.answer));
    expect(answers.map((answer) => answer.status)).toEqual(members.map(() => 200));
    expect(answers.map((answer) => (answer.body as { phoneNumber: string }).phoneNumber)).toEqual(numbers);

    const exit = await service.process.waitForExit(20_000);
    const messages = service.process.stdout
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => (JSON.parse(line) as { msg: string }).msg)
      .filter((msg) => /shutting down|stopped|drain|error/i.test(msg));
    expect({ exit, lines: messages }).toEqual({
      exit: { code: 0, signal: null },
      lines: ['shutting down', 'draining in-flight requests', 'stopped'],
    });
    expect(Date.now() - signalled).toBeLessThan(10_000);

    const acknowledged: AcknowledgedUpdate[] = members.map((member, index) => ({
      memberId: member.id,
      phoneNumber: numbers[index]!,
      requestId: requestIds[index]!,
    }));
    const inspector = home.open();
    try {
      const report = await checkStateInvariants(inspector.db, {
        members,
        acknowledged,
        lastAcknowledged: new Map(acknowledged.map((update) => [update.memberId, update.phoneNumber])),
        now: Date.now(),
      });
      expect(report.violations).toEqual([]);
    } finally {
      await inspector.db.destroy();
    }
  });
});
