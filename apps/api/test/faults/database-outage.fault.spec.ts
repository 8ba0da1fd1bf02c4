import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { errorBody, type Member } from '@member-phone/core';
import SqliteDatabase from 'better-sqlite3';

import { stopSpawned } from '../support/built-app';
import { type PostgresCluster, startCluster } from '../support/postgres-cluster';
import {
  createServiceHome,
  GENEROUS_ARS_LIMITS,
  type RunningService,
  runDialect,
  type SeededMember,
  seedMembers,
  type ServiceHome,
  sqliteIntegrity,
  startService,
} from './support/service-under-test';
import { type AcknowledgedUpdate, checkStateInvariants } from './support/state-invariants';
import { type Answer, changeNumber, send, sleep } from './support/update-flow';

jest.setTimeout(240_000);

// The service's REQUEST_TIMEOUT_MS default: every answer, a refusal included, must come before it.
const REQUEST_TIMEOUT_MS = 10_000;
const MEMBERS = 8;

interface Observed {
  what: string;
  phase: string;
  answer: Answer;
}

/**
 * Clients that keep changing their numbers and reading themselves, plus a readiness probe, while
 * the spec takes the database away and gives it back. Every answer is kept with the phase it
 * was received in.
 */
class Traffic {
  phase = 'up';
  readonly observed: Observed[] = [];
  readonly acknowledged: AcknowledgedUpdate[] = [];
  readonly lastAcknowledged = new Map<string, string>();
  readonly unanswered = new Map<string, string>();
  private running = true;
  private readonly loops: Array<Promise<void>>;
  private change = 0;

  constructor(
    private readonly service: RunningService,
    members: readonly SeededMember[],
  ) {
    this.loops = [...members.map((member, index) => this.member(member, index)), this.probe()];
  }

  private record(what: string, answer: Answer): Answer {
    this.observed.push({ what, phase: this.phase, answer });
    return answer;
  }

  private async member(member: SeededMember, index: number): Promise<void> {
    while (this.running) {
      this.change += 1;
      const phoneNumber = `010${String(30_000_000 + index * 100_000 + this.change).padStart(8, '0')}`;
      const began = Date.now();
      const outcome = await changeNumber(this.service.baseUrl, member.authorization, phoneNumber, 'outage');
      this.record(outcome.stage === 'done' ? 'PUT' : outcome.stage, outcome.answer);
      if (outcome.stage === 'done') {
        this.acknowledged.push({ memberId: member.id, phoneNumber, requestId: outcome.requestId! });
        this.lastAcknowledged.set(member.id, phoneNumber);
        this.unanswered.delete(member.id);
      } else if (outcome.stage === 'put') {
        // A 503 on the PUT may hide a commit whose answer was lost with the connection.
        this.unanswered.set(member.id, phoneNumber);
      }
      this.record(
        'GET member',
        await send(this.service.baseUrl, 'GET', '/users/v1/member', { authorization: member.authorization }),
      );
      const retryAfter = Number(outcome.answer.headers?.get('retry-after') ?? 0);
      await sleep(
        Math.max(outcome.answer.status === 429 ? retryAfter * 1_000 : 0, 1_050 - (Date.now() - began)),
      );
    }
  }

  private async probe(): Promise<void> {
    while (this.running) {
      this.record('ready', await send(this.service.baseUrl, 'GET', '/ready'));
      await sleep(100);
    }
  }

  async stop(): Promise<void> {
    this.running = false;
    await Promise.all(this.loops);
  }

  in(phase: string): Observed[] {
    return this.observed.filter((entry) => entry.phase === phase);
  }
}

/** Every answer a client got: a success, a cooldown, or a catalog 503 with Retry-After; none late. */
function expectOnlySuccessOrServiceUnavailable(observed: readonly Observed[]): void {
  const wrong = observed.filter(({ answer }) => ![200, 201, 429, 503].includes(answer.status));
  expect(
    wrong.map(({ what, phase, answer }) => `${phase} ${what}: ${answer.status} ${answer.text.slice(0, 120)}`),
  ).toEqual([]);
  for (const { answer } of observed.filter(({ answer }) => answer.status === 503)) {
    expect(answer.body).toEqual(errorBody('ServiceUnavailable'));
    expect(answer.headers?.get('retry-after')).toMatch(/^[1-9]\d*$/);
  }
  const late = observed.filter(({ answer }) => answer.ms >= REQUEST_TIMEOUT_MS);
  expect(
    late.map(({ what, phase, answer }) => `${phase} ${what}: ${answer.status} after ${answer.ms} ms`),
  ).toEqual([]);
}

async function waitUntilReady(service: RunningService, timeoutMs: number): Promise<number> {
  const began = Date.now();
  let last: Answer | undefined;
  while (Date.now() - began < timeoutMs) {
    last = await send(service.baseUrl, 'GET', '/ready');
    if (last.status === 200) return Date.now() - began;
    await sleep(100);
  }
  throw new Error(
    `not ready ${timeoutMs} ms after the database came back: ${last?.status} ${last?.text}\n${service.process.output().slice(-3000)}`,
  );
}

async function expectConsistent(home: ServiceHome, traffic: Traffic, members: readonly SeededMember[]) {
  const inspector = home.open();
  try {
    const report = await checkStateInvariants(inspector.db, {
      members,
      acknowledged: traffic.acknowledged,
      lastAcknowledged: traffic.lastAcknowledged,
      unanswered: traffic.unanswered,
      now: Date.now(),
    });
    expect(report.violations).toEqual([]);
    return report.checked;
  } finally {
    await inspector.db.destroy();
  }
}

const count = (observed: readonly Observed[], status: number) =>
  observed.filter((o) => o.answer.status === status).length;

let home: ServiceHome | undefined;
let cluster: PostgresCluster | undefined;
// Stops the traffic of a test that failed half-way, before its service is killed.
let onCleanup: (() => Promise<void>) | undefined;
afterEach(async () => {
  await onCleanup?.();
  onCleanup = undefined;
  await stopSpawned();
});
afterAll(async () => {
  await home?.dispose();
  await cluster?.destroy();
});

if (runDialect() === 'postgres') {
  describe('PostgreSQL stops while requests arrive (a cluster of the spec’s own)', () => {
    it('answers 503 ServiceUnavailable in time, never 500, and recovers without a restart when it returns', async () => {
      // The shared server must never be stopped: this spec brings a cluster of its own.
      cluster = await startCluster({ dir: mkdtempSync(join(tmpdir(), 'member-phone-outage-pg-')) });
      home = await createServiceHome({ postgresServerUrl: cluster.url });
      const members = await seedMembers(home, MEMBERS, 'outage');
      const service = await startService(home, GENEROUS_ARS_LIMITS);
      const traffic = new Traffic(service, members);
      onCleanup = () => traffic.stop();
      const summary: string[] = [];

      // Two outages: a clean shutdown (sessions ended by the server) and a crash (no goodbye).
      for (const mode of ['fast', 'immediate'] as const) {
        traffic.phase = `up before ${mode}`;
        await sleep(1_500);
        traffic.phase = `stopping ${mode}`;
        await cluster.stop(mode);
        traffic.phase = `down ${mode}`;
        await sleep(3_000);
        if (service.process.exit) {
          throw new Error(
            `the service died when the database stopped (${mode}):\n${service.process.stderr.slice(0, 1_500)}`,
          );
        }
        traffic.phase = `restarting ${mode}`;
        await cluster.start();
        traffic.phase = `recovering ${mode}`;
        const recoveredMs = await waitUntilReady(service, 30_000);
        traffic.phase = `back ${mode}`;
        await sleep(2_500);

        const down = traffic.in(`down ${mode}`);
        expect(count(down, 503)).toBeGreaterThan(0);
        expect(down.filter((o) => o.what === 'ready').every((o) => o.answer.status === 503)).toBe(true);
        // Served again by the same process: no restart was needed.
        expect(service.process.exit).toBeUndefined();
        const back = traffic.in(`back ${mode}`).filter((o) => o.what === 'PUT');
        expect(back.length).toBeGreaterThan(0);
        summary.push(
          `${mode}: ${count(down, 503)} answers 503 while down, ready again ${recoveredMs} ms after the start`,
        );
      }
      await traffic.stop();
      expectOnlySuccessOrServiceUnavailable(traffic.observed);

      // Every member can change its number again.
      for (const member of members) {
        const outcome = await changeNumber(service.baseUrl, member.authorization, '01077778888', 'final');
        expect({ stage: outcome.stage, number: (outcome.answer.body as Member).phoneNumber }).toEqual({
          stage: 'done',
          number: '01077778888',
        });
        traffic.acknowledged.push({
          memberId: member.id,
          phoneNumber: '01077778888',
          requestId: outcome.requestId!,
        });
        traffic.lastAcknowledged.set(member.id, '01077778888');
        traffic.unanswered.delete(member.id);
      }
      const checked = await expectConsistent(home, traffic, members);
      process.stdout.write(
        `database outage (postgres): answers ${traffic.observed.length}, 5xx other than 503: 0, ` +
          `updates acknowledged ${traffic.acknowledged.length}, invariants checked ${checked}; ${summary.join('; ')}\n`,
      );
    });
  });
} else {
  // An embedded SQLite file cannot stop while its process runs. What can take it away is another
  // process holding its write lock (a backup, an operator's shell, a second service on the same
  // file): writes wait busy_timeout (1 s), then fail with SQLITE_BUSY.
  describe('SQLite: another process holds the write lock while requests arrive', () => {
    it('answers 503 ServiceUnavailable in time, never 500, and serves again once the lock is released', async () => {
      home = await createServiceHome();
      const members = await seedMembers(home, MEMBERS, 'outage');
      const service = await startService(home, GENEROUS_ARS_LIMITS);
      const traffic = new Traffic(service, members);
      onCleanup = () => traffic.stop();

      traffic.phase = 'up';
      await sleep(1_500);
      const sqliteFile = home.sqliteFile ?? '';
      const locker = new SqliteDatabase(sqliteFile);
      locker.exec('BEGIN IMMEDIATE');
      traffic.phase = 'locked';
      // Far longer than busy_timeout, so writes give up. better-sqlite3 waits for the lock
      // synchronously, stalling the whole process for each wait: the short busy_timeout is what
      // keeps the answers queued behind it inside the request timeout.
      await sleep(6_000);
      locker.exec('ROLLBACK');
      locker.close();
      traffic.phase = 'released';
      await sleep(3_000);
      await traffic.stop();

      const locked = traffic.in('locked');
      expect(count(locked, 503)).toBeGreaterThan(0);
      expectOnlySuccessOrServiceUnavailable(traffic.observed);
      expect(service.process.exit).toBeUndefined();
      expect(
        traffic.in('released').filter((o) => o.what === 'PUT' && o.answer.status === 200).length,
      ).toBeGreaterThan(0);

      service.process.child.kill('SIGTERM');
      expect(await service.process.waitForExit(15_000)).toEqual({ code: 0, signal: null });
      expect(sqliteIntegrity(sqliteFile)).toEqual(['ok']);
      const checked = await expectConsistent(home, traffic, members);
      const slowest = Math.max(...traffic.observed.map((o) => o.answer.ms));
      process.stdout.write(
        `database outage (sqlite lock): answers ${traffic.observed.length}, 503 while locked ${count(locked, 503)}, ` +
          `slowest answer ${slowest} ms, updates acknowledged ${traffic.acknowledged.length}, invariants checked ${checked}\n`,
      );
    });
  });
}
