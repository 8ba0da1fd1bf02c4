import request from 'supertest';

import { expectCatalogError } from './support/http-expect';
import { startTestApp, type TestApp } from './support/test-app';

const PUT_PATH = '/users/v1/member/phone-number';
const ARS_PATH = '/users/v1/member/phone-number/ars';

describe('refusals of an authenticated member are audited with who asked and why', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  const refusalsOf = async (memberId: string) =>
    (
      await t.db
        .selectFrom('audit_events')
        .selectAll()
        .where('member_id', '=', memberId)
        .where('event_type', '=', 'request.refused')
        .orderBy('id')
        .execute()
    ).map((row) => ({ ...row, details: JSON.parse(row.details) as Record<string, unknown> }));

  const cases: Array<[string, Parameters<TestApp['createMember']>[0], string, 'put' | 'post', string]> = [
    ['a member who is not ACTIVE', { status: 'INACTIVE' }, PUT_PATH, 'put', 'InvalidMemberStatus'],
    ['a key without users:write', { scopes: ['users:read'] }, PUT_PATH, 'put', 'Forbidden'],
    ['a number that is not a Korean mobile', {}, ARS_PATH, 'post', 'InvalidPhoneNumber'],
  ];
  it.each(cases)('records %s', async (_name, memberOptions, path, method, code) => {
    const m = await t.createMember(memberOptions);
    const res = await request(t.app.getHttpServer())
      [method](path)
      .set('Authorization', m.hmac())
      .send({ phoneNumber: code === 'InvalidPhoneNumber' ? '070-1234-5678' : '01099998888' });
    expectCatalogError(res, code as Parameters<typeof expectCatalogError>[1]);
    const refusals = await refusalsOf(m.row.id);
    expect(refusals).toHaveLength(1);
    expect(refusals[0]).toMatchObject({
      credential_id: `apikey:${m.apiKey}`,
      request_id: res.headers['x-request-id'],
      client_ip: '127.0.0.1',
      details: { errorCode: code, route: `${method.toUpperCase()} ${path}` },
    });
    expect(refusals[0]!.details).not.toHaveProperty('phoneNumber');
  });

  it('records nothing for a request that never authenticated', async () => {
    const before = await t.db.selectFrom('audit_events').select('id').execute();
    const res = await request(t.app.getHttpServer()).put(PUT_PATH).send({ phoneNumber: '01099998888' });
    expectCatalogError(res, 'Unauthorized');
    expect(await t.db.selectFrom('audit_events').select('id').execute()).toEqual(before);
  });
});
