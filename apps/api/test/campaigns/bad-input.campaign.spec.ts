import { randomUUID } from 'node:crypto';

import { ERROR_CATALOG, type ErrorCode, errorBody } from '@member-phone/core';
import { SignJWT } from 'jose';
import request from 'supertest';

import { DEV_TOKEN_ISSUER } from '../../src/auth/bearer/dev-token.issuer';
import { verifyByArs } from '../support/ars-flow';
import { type DatabaseSnapshot, snapshotDatabase } from '../support/db-snapshot';
import { startTestApp, type TestApp } from '../support/test-app';
import { GENEROUS_ARS_LIMITS, runDialect } from '../faults/support/service-under-test';
import { type BadRequest, type CampaignContext, generateBadRequests } from './support/bad-requests';
import { campaignSeed, campaignSize, runPool } from './support/campaign-size';
import { Prng } from './support/prng';
import { type RawOutcome, type RawResponse, rawExchange } from './support/raw-exchange';

// The CI slice; the full campaign is `CAMPAIGN_SIZE=10000 npx jest apps/api/test/campaigns`.
const SIZE = campaignSize(1_500);
const SEED = campaignSeed(20_260_301);
const CONCURRENCY = 8;

jest.setTimeout(Math.max(120_000, SIZE * 60));

/**
 * The snapshot without replay records and rate-limit counters that have expired by `now`: the
 * background sweep may delete those during a long run, which is no request changing state.
 */
function live(snapshot: DatabaseSnapshot, now: number): DatabaseSnapshot {
  const unexpired = (rows: unknown[]) =>
    rows.filter((row) => (row as { expires_at: number }).expires_at > now);
  return {
    ...snapshot,
    hmacSignatures: unexpired(snapshot.hmacSignatures),
    rateLimitBuckets: unexpired(snapshot.rateLimitBuckets),
  };
}

/** Why an answer breaks the contract, or undefined when it keeps it. */
function violationOf(req: BadRequest, response: RawResponse): string | undefined {
  if (response.status >= 500) return `answered ${response.status}`;
  if (response.status < 400) return `accepted with ${response.status}`;
  let body: unknown;
  try {
    body = JSON.parse(response.body);
  } catch {
    return `answered ${response.status} with a body that is not JSON: ${response.body.slice(0, 80)}`;
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body))
    return 'answered a JSON value that is not an object';
  const keys = Object.keys(body).sort();
  if (keys.join(',') !== 'errorCode,errorMessage') return `answered the keys ${keys.join(',')}`;
  const { errorCode, errorMessage } = body as { errorCode: string; errorMessage: unknown };
  if (!(errorCode in ERROR_CATALOG)) return `answered an errorCode outside the catalog: ${errorCode}`;
  const code = errorCode as ErrorCode;
  if (ERROR_CATALOG[code].status !== response.status)
    return `answered ${code} with status ${response.status}`;
  if (
    errorMessage !== errorBody(code, 'ko').errorMessage &&
    errorMessage !== errorBody(code, 'en').errorMessage
  )
    return `answered ${code} with a message outside the catalog`;
  if (!/^application\/json/.test(response.headers['content-type'] ?? ''))
    return `answered ${code} without a JSON content type`;
  if (!req.expected.has(code)) return `answered ${code}, expected one of ${[...req.expected].join(', ')}`;
  return undefined;
}

describe(`bad-input campaign against the running service (${runDialect()})`, () => {
  let t: TestApp;
  let port: number;
  let ctx: CampaignContext;

  beforeAll(async () => {
    t = await startTestApp({ env: { ...GENEROUS_ARS_LIMITS } });
    port = Number(new URL(t.baseUrl).port);
    const member = await t.createMember({ phoneNumber: '01012345678' });
    const other = await t.createMember({ phoneNumber: '01087654321' });
    // The other member holds a verification (consumed) and a changed number: there is state to keep.
    const otherBearer = `Bearer ${await other.bearer()}`;
    const foreign = await verifyByArs(t, otherBearer, '01055554444');
    await request(t.app.getHttpServer())
      .put('/users/v1/member/phone-number')
      .set('Authorization', otherBearer)
      .send({ phoneNumber: '01055554444' })
      .expect(200);

    const secret = new Uint8Array(t.config.bearer.hs256Secret!);
    const now = Math.floor(Date.now() / 1000);
    const signed = (claims: { sub: string; iat: number; exp: number; iss?: string }, key = secret) =>
      new SignJWT({ scope: 'users:read users:write' })
        .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
        .setSubject(claims.sub)
        .setIssuer(claims.iss ?? DEV_TOKEN_ISSUER)
        .setIssuedAt(claims.iat)
        .setExpirationTime(claims.exp)
        .setJti(randomUUID())
        .sign(key);
    const none = `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${Buffer.from(
      JSON.stringify({ sub: member.row.id, scope: 'users:write', exp: now + 600, iss: DEV_TOKEN_ISSUER }),
    ).toString('base64url')}.`;
    ctx = {
      bearer: `Bearer ${await member.bearer()}`,
      readOnlyBearer: `Bearer ${await member.bearer(['users:read'])}`,
      refusedBearers: [
        `Bearer ${await signed({ sub: member.row.id, iat: now - 7200, exp: now - 3600 })}`,
        `Bearer ${await signed({ sub: member.row.id, iat: now, exp: now + 600 }, new Uint8Array(32).fill(7))}`,
        `Bearer ${await signed({ sub: '99999999999999', iat: now, exp: now + 600 })}`,
        `Bearer ${await signed({ sub: member.row.id, iat: now, exp: now + 600, iss: 'someone-else' })}`,
        `Bearer ${none}`,
      ],
      apiKey: { apiKey: member.apiKey, apiSecret: member.apiSecret },
      currentNumber: member.row.phone_number,
      foreignVerificationId: foreign.verificationId,
    };
  });
  afterAll(() => t.close());

  it(`answers ${SIZE} malformed requests (seed ${SEED}) with catalog errors only: no 5xx, no state change`, async () => {
    const requests = generateBadRequests(new Prng(SEED), ctx, SIZE, t.config.http.bodyLimitBytes);
    const before = await snapshotDatabase(t);

    const violations: string[] = [];
    const byKind = new Map<string, number>();
    let answers = 0;
    let serverErrors = 0;
    let unanswered = 0;
    let invariants = 0;
    await runPool(requests, CONCURRENCY, async (req, index) => {
      byKind.set(req.kind, (byKind.get(req.kind) ?? 0) + 1);
      const outcome: RawOutcome = await rawExchange(port, req.bytes, {
        halfClose: req.halfClose,
        timeoutMs: 20_000,
      });
      invariants += 1;
      if (outcome.timedOut) violations.push(`#${index} ${req.kind} ${req.label}: no answer within 20 s`);
      if (outcome.responses.length === 0) {
        unanswered += 1;
        if (!req.mayGoUnanswered && !outcome.timedOut)
          violations.push(`#${index} ${req.kind} ${req.label}: closed without an answer`);
      }
      for (const response of outcome.responses) {
        answers += 1;
        invariants += 1;
        if (response.status >= 500) serverErrors += 1;
        const violation = violationOf(req, response);
        if (violation) violations.push(`#${index} ${req.kind} ${req.label}: ${violation}`);
      }
    });

    // The service still serves a well-formed request afterwards.
    const healthy = await request(t.app.getHttpServer())
      .get('/users/v1/member')
      .set('Authorization', ctx.bearer);
    expect(healthy.status).toBe(200);
    const now = Date.now();
    const after = live(await snapshotDatabase(t), now);
    invariants += 1;
    const unchanged = JSON.stringify(after) === JSON.stringify(live(before, now));

    process.stdout.write(
      `bad-input campaign (${runDialect()}, seed ${SEED}): requests sent ${requests.length}, answers ${answers}, ` +
        `unanswered ${unanswered}, 5xx seen ${serverErrors}, invariants checked ${invariants}, ` +
        `violations ${violations.length + (unchanged ? 0 : 1)} [${[...byKind].map(([k, n]) => `${k} ${n}`).join(', ')}]\n`,
    );
    expect(violations.slice(0, 25)).toEqual([]);
    expect(serverErrors).toBe(0);
    expect(after).toEqual(live(before, now));
  });
});
