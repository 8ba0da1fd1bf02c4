import request from 'supertest';

import { expectCatalogError } from './support/http-expect';
import { startTestApp, type TestApp } from './support/test-app';

const ARS_PATH = '/users/v1/member/phone-number/ars';

async function startCalls(t: TestApp, forwardedFor: (i: number) => string, count: number): Promise<number[]> {
  const statuses: number[] = [];
  for (let i = 0; i < count; i++) {
    const m = await t.createMember();
    const res = await request(t.app.getHttpServer())
      .post(ARS_PATH)
      .set('Authorization', m.hmac())
      .set('X-Forwarded-For', forwardedFor(i))
      .send({ phoneNumber: `0109000000${i}` });
    if (res.status === 429) expectCatalogError(res, 'TooManyRequests');
    statuses.push(res.status);
  }
  return statuses;
}

describe('the per-address ARS limit counts the real client address', () => {
  let t: TestApp | undefined;
  afterEach(() => t?.close());

  it('ignores X-Forwarded-For when no proxy is trusted (the default)', async () => {
    t = await startTestApp({ env: { ARS_CLIENT_ADDRESS_HOURLY_LIMIT: '2' } });
    expect(await startCalls(t, (i) => `203.0.113.${i}`, 3)).toEqual([201, 201, 429]);
  });

  it('behind one trusted proxy, takes the address that proxy saw, not what the client wrote', async () => {
    t = await startTestApp({ env: { ARS_CLIENT_ADDRESS_HOURLY_LIMIT: '2', TRUST_PROXY: '1' } });
    // The client forges a fresh leftmost entry each time; the proxy appends the address it saw.
    expect(await startCalls(t, (i) => `203.0.113.${i}, 198.51.100.7`, 3)).toEqual([201, 201, 429]);
    const refused = await t.db
      .selectFrom('audit_events')
      .select('client_ip')
      .where('event_type', '=', 'ars.refused')
      .execute();
    expect(refused).toEqual([{ client_ip: '198.51.100.7' }]);
  });
});
