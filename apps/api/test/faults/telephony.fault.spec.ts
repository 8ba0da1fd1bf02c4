import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

import request from 'supertest';

import { hashArsCode } from '../../src/ars/ars-code';
import { deriveKey } from '../../src/crypto/derive-key';
import { signTelephonyPayload, TELEPHONY_SIGNATURE_HEADER } from '../../src/telephony/telephony-signature';
import { expectCatalogError } from '../support/http-expect';
import { startTestApp, type TestApp } from '../support/test-app';
import { ARS_PATH, PUT_PATH } from './support/update-flow';

jest.setTimeout(60_000);

const SECRET = 'telephony-fault-secret-of-at-least-32-characters';
const TIMEOUT_MS = 1_000;
// What "within its timeout" allows on a loaded CI machine: the timeout plus the database work.
const ANSWER_BUDGET_MS = TIMEOUT_MS + 3_000;

/** A telephony provider that takes every call request and answers only after `delayMs`. */
class SlowProvider {
  readonly requests: Array<{ callId: string; to: string; requestId: string }> = [];
  private readonly server: Server;
  private readonly pending = new Set<ServerResponse>();

  constructor(private readonly delayMs: number) {
    this.server = createServer((req: IncomingMessage, res: ServerResponse) => {
      let text = '';
      req.setEncoding('utf8');
      req.on('data', (chunk: string) => (text += chunk));
      req.on('end', () => {
        this.requests.push(JSON.parse(text) as { callId: string; to: string; requestId: string });
        this.pending.add(res);
        setTimeout(() => {
          this.pending.delete(res);
          if (!res.destroyed) {
            res.writeHead(200, { 'content-type': 'application/json' });
            res.end(JSON.stringify({ providerCallId: 'late-call' }));
          }
        }, this.delayMs).unref();
      });
    });
  }

  async listen(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/calls`;
  }

  async close(): Promise<void> {
    for (const res of this.pending) res.destroy();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** A URL on 127.0.0.1 where nothing listens: a port that was just free. */
async function deadUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}/calls`;
}

function productionEnv(callUrl: string): Record<string, string> {
  return {
    NODE_ENV: 'production',
    TELEPHONY_ADAPTER: 'http',
    TELEPHONY_CALL_URL: callUrl,
    TELEPHONY_SECRET: SECRET,
    TELEPHONY_TIMEOUT_MS: String(TIMEOUT_MS),
  };
}

/** Finds the code of a verification from its stored hash (the spec holds the master key). */
function recoverCode(t: TestApp, verificationId: string, codeHash: string): string {
  const key = deriveKey(t.config.masterKey, 'ars-code-hash');
  for (let n = 0; n < 1_000_000; n++) {
    const code = String(n).padStart(6, '0');
    if (hashArsCode(key, verificationId, code) === codeHash) return code;
  }
  throw new Error('no 6-digit code matches the stored hash');
}

/**
 * After a 503, the verification must be of no use: the right code arriving later through the
 * provider's signed webhook verifies nothing, and the PUT still needs a second authentication.
 */
async function expectNoUsableVerification(t: TestApp, memberId: string, hmac: () => string) {
  const rows = await t.db
    .selectFrom('ars_verifications')
    .selectAll()
    .where('member_id', '=', memberId)
    .execute();
  expect(rows).toHaveLength(1);
  const row = rows[0]!;
  expect(row).toMatchObject({
    status: 'FAILED',
    provider_call_id: null,
    verified_at: null,
    consumed_at: null,
  });

  const code = recoverCode(t, row.id, row.code_hash);
  const event = JSON.stringify({ type: 'keypad', callId: row.id, digits: code });
  const webhook = await request(t.app.getHttpServer())
    .post('/telephony/v1/events')
    .set('content-type', 'application/json')
    .set(TELEPHONY_SIGNATURE_HEADER, signTelephonyPayload(SECRET, event, Date.now()))
    .send(event);
  expect(webhook.status).toBe(200);
  expect(webhook.body).toEqual({ outcome: 'not_open' });

  const status = await request(t.app.getHttpServer())
    .get(`${ARS_PATH}/${row.id}`)
    .set('Authorization', hmac());
  expect(status.status).toBe(200);
  expect(status.body).toMatchObject({ verificationId: row.id, status: 'FAILED', attemptsLeft: 0 });

  const update = await request(t.app.getHttpServer())
    .put(PUT_PATH)
    .set('Authorization', hmac())
    .send({ phoneNumber: row.phone_number });
  expectCatalogError(update, 'SecondAuthRequired');
  const member = await t.db
    .selectFrom('members')
    .select('phone_number')
    .where('id', '=', memberId)
    .executeTakeFirstOrThrow();
  expect(member.phone_number).not.toBe(row.phone_number);
  const after = await t.db
    .selectFrom('ars_verifications')
    .selectAll()
    .where('id', '=', row.id)
    .executeTakeFirstOrThrow();
  expect(after).toMatchObject({ status: 'FAILED', attempts: row.attempts, verified_at: null });
}

describe('the telephony provider is unreachable or slow', () => {
  it('unreachable: ARS start answers 503 ServiceUnavailable at once and leaves no usable verification', async () => {
    const t = await startTestApp({ env: productionEnv(await deadUrl()) });
    try {
      const m = await t.createMember();
      const began = Date.now();
      const res = await request(t.app.getHttpServer())
        .post(ARS_PATH)
        .set('Authorization', m.hmac())
        .send({ phoneNumber: '01030000001' });
      expect(Date.now() - began).toBeLessThan(ANSWER_BUDGET_MS);
      expectCatalogError(res, 'ServiceUnavailable');
      expect(res.headers['retry-after']).toMatch(/^\d+$/);
      await expectNoUsableVerification(t, m.row.id, m.hmac);
    } finally {
      await t.close();
    }
  });

  describe('slow: the provider answers only after the timeout', () => {
    let provider: SlowProvider;
    let t: TestApp;
    beforeAll(async () => {
      provider = new SlowProvider(TIMEOUT_MS * 4);
      t = await startTestApp({ env: productionEnv(await provider.listen()) });
    });
    afterAll(async () => {
      await t.close();
      await provider.close();
    });

    it('answers 503 ServiceUnavailable within the telephony timeout, not when the provider answers', async () => {
      const m = await t.createMember();
      const began = Date.now();
      const res = await request(t.app.getHttpServer())
        .post(ARS_PATH)
        .set('Authorization', m.hmac())
        .send({ phoneNumber: '01030000002' });
      const elapsed = Date.now() - began;
      expectCatalogError(res, 'ServiceUnavailable');
      expect(elapsed).toBeGreaterThanOrEqual(TIMEOUT_MS - 50);
      expect(elapsed).toBeLessThan(ANSWER_BUDGET_MS);
      // The request did reach the provider: this is the slow case, not the unreachable one.
      const verification = await t.db
        .selectFrom('ars_verifications')
        .select('id')
        .where('member_id', '=', m.row.id)
        .executeTakeFirstOrThrow();
      expect(provider.requests).toContainEqual({
        callId: verification.id,
        to: '01030000002',
        requestId: expect.any(String),
      });
      await expectNoUsableVerification(t, m.row.id, m.hmac);
    });

    it('keeps the verification failed when the late answer finally arrives', async () => {
      const m = await t.createMember();
      const res = await request(t.app.getHttpServer())
        .post(ARS_PATH)
        .set('Authorization', m.hmac())
        .send({ phoneNumber: '01030000003' });
      expectCatalogError(res, 'ServiceUnavailable');
      // Past the provider's delay: its answer came to a connection the service had given up on.
      await new Promise((resolve) => setTimeout(resolve, TIMEOUT_MS * 4));
      const audit = await t.db
        .selectFrom('audit_events')
        .select(['event_type', 'details'])
        .where('member_id', '=', m.row.id)
        .orderBy('id')
        .execute();
      expect(audit.map((row) => row.event_type)).toEqual(['ars.requested', 'ars.refused']);
      expect(JSON.parse(audit[1]!.details)).toMatchObject({ reason: 'telephony_unavailable' });
      await expectNoUsableVerification(t, m.row.id, m.hmac);
    });
  });
});
