import { createMemberPhoneClient, type Member, MEMBER_FIELDS } from '@member-phone/core';
import request from 'supertest';

import { MembersService } from '../src/members/members.service';
import { verifyByArs } from './support/ars-flow';
import { startTestApp, type TestApp } from './support/test-app';

const PUT_PATH = '/users/v1/member/phone-number';
const SEED_SAMPLE_REQUEST = { phoneNumber: '01000000000' };

describe('PUT /users/v1/member/phone-number on the real app and a real SQLite file', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ env: { ARS_MEMBER_COOLDOWN_SECONDS: '1' } });
  });
  afterAll(() => t.close());

  const memberRow = (id: string) =>
    t.db.selectFrom('members').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  const auditOf = (id: string) =>
    t.db.selectFrom('audit_events').selectAll().where('member_id', '=', id).orderBy('id').execute();

  it('answers the seed sample request with SecondAuthRequired, then with the member once ARS is done (bearer)', async () => {
    const m = await t.createMember();
    const token = `Bearer ${await m.bearer()}`;
    const server = t.app.getHttpServer();

    const refused = await request(server).put(PUT_PATH).set('Authorization', token).send(SEED_SAMPLE_REQUEST);
    expect(refused.status).toBe(403);
    expect(refused.body).toEqual({ errorCode: 'SecondAuthRequired', errorMessage: expect.any(String) });
    expect((await memberRow(m.row.id)).phone_number).toBe('01012345678');

    const started = await verifyByArs(t, token, '01000000000');
    expect(started).toEqual({
      verificationId: expect.any(String),
      phoneNumber: '01000000000',
      code: expect.stringMatching(/^\d{6}$/),
      status: 'CALLING',
      attemptsLeft: 5,
      expireAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
    });

    const ok = await request(server)
      .put(PUT_PATH)
      .set('Authorization', token)
      .set('Content-Type', 'application/json')
      .send(JSON.stringify(SEED_SAMPLE_REQUEST));
    expect(ok.status).toBe(200);
    expect(ok.headers['content-type']).toMatch(/^application\/json/);
    expect(Object.keys(ok.body as object)).toEqual([...MEMBER_FIELDS]);
    const member = ok.body as Member;
    expect(member).toEqual({
      name: 'nickName',
      phoneNumber: '01000000000',
      status: 'ACTIVE',
      selectedAccountId: null,
      memberId: m.row.id,
      email: m.row.email,
      dateCreated: new Date(m.row.date_created).toISOString(),
      dateUpdated: expect.stringMatching(/Z$/),
      loginSessions: [],
    });
    expect(member.memberId).toMatch(/^\d{14}$/);

    const row = await memberRow(m.row.id);
    expect(row.phone_number).toBe('01000000000');
    expect(new Date(row.date_updated).toISOString()).toBe(member.dateUpdated);
    const proof = await t.db
      .selectFrom('ars_verifications')
      .selectAll()
      .where('id', '=', started.verificationId)
      .executeTakeFirstOrThrow();
    expect(proof.status).toBe('CONSUMED');
    expect(proof.consumed_at).not.toBeNull();

    const changed = (await auditOf(m.row.id)).filter((e) => e.event_type === 'phone.changed');
    expect(changed).toHaveLength(1);
    expect(JSON.parse(changed[0]!.details)).toMatchObject({
      oldPhoneNumber: '010-****-5678',
      newPhoneNumber: '010-****-0000',
      verificationId: started.verificationId,
    });
    expect(changed[0]!.request_id).toBe(ok.headers['x-request-id']);
    expect(changed[0]!.credential_id).toMatch(/^bearer:/);
    expect(changed[0]!.client_ip).toBe('127.0.0.1');
  });

  it('runs the same flow with HMAC through the real client over a socket, and the proof is used up', async () => {
    const m = await t.createMember();
    const client = createMemberPhoneClient({
      baseUrl: t.baseUrl,
      auth: { type: 'hmac', apiKey: m.apiKey, apiSecret: m.apiSecret },
    });
    await expect(client.updatePhoneNumber('010-2222-3333')).rejects.toMatchObject({
      errorCode: 'SecondAuthRequired',
      status: 403,
    });
    const started = await client.startArsVerification('+82 10-2222-3333');
    expect(started.phoneNumber).toBe('01022223333');
    const pressed = await fetch(`${t.baseUrl}/dev/ars/${started.verificationId}/keypad`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ digits: started.code }),
    });
    expect(pressed.status).toBe(200);
    expect((await client.getArsVerification(started.verificationId)).status).toBe('VERIFIED');

    const member = await client.updatePhoneNumber('010 2222 3333');
    expect(member.phoneNumber).toBe('01022223333');
    expect((await client.getMember()).phoneNumber).toBe('01022223333');
    expect((await client.getArsVerification(started.verificationId)).status).toBe('CONSUMED');

    // The proof cannot be used again for another change back and forth.
    await t.db
      .updateTable('members')
      .set({ phone_number: '01012345678' })
      .where('id', '=', m.row.id)
      .execute();
    await expect(client.updatePhoneNumber('01022223333')).rejects.toMatchObject({
      errorCode: 'SecondAuthRequired',
    });
    expect((await memberRow(m.row.id)).phone_number).toBe('01012345678');
  });

  it('answers 200 without ARS and changes nothing when the number is the current one', async () => {
    const m = await t.createMember({ phoneNumber: '010-1234-5678' });
    const before = await memberRow(m.row.id);
    const res = await request(t.app.getHttpServer())
      .put(PUT_PATH)
      .set('Authorization', m.hmac())
      .send({ phoneNumber: '+821012345678' });
    expect(res.status).toBe(200);
    expect((res.body as Member).phoneNumber).toBe('01012345678');
    expect((res.body as Member).dateUpdated).toBe(new Date(before.date_updated).toISOString());
    expect(await memberRow(m.row.id)).toEqual(before);
    expect((await auditOf(m.row.id)).filter((e) => e.event_type.startsWith('phone.'))).toEqual([]);
  });

  it('changes the number exactly once when parallel PUTs race on one proof', async () => {
    const m = await t.createMember();
    const token = `Bearer ${await m.bearer()}`;
    const started = await verifyByArs(t, token, '01033334444');
    const server = t.app.getHttpServer();
    const results = await Promise.all(
      Array.from({ length: 6 }, () =>
        request(server).put(PUT_PATH).set('Authorization', token).send({ phoneNumber: '01033334444' }),
      ),
    );
    // Winners of the race change the number; a request that arrives after it sees the same number
    // (idempotent 200); one that raced past that check loses the proof (SecondAuthRequired).
    for (const r of results) {
      if (r.status === 200) expect((r.body as Member).phoneNumber).toBe('01033334444');
      else expect(r.body).toMatchObject({ errorCode: 'SecondAuthRequired' });
    }
    expect((await memberRow(m.row.id)).phone_number).toBe('01033334444');
    expect((await auditOf(m.row.id)).filter((e) => e.event_type === 'phone.changed')).toHaveLength(1);
    const proof = await t.db
      .selectFrom('ars_verifications')
      .selectAll()
      .where('id', '=', started.verificationId)
      .executeTakeFirstOrThrow();
    expect(proof.status).toBe('CONSUMED');
  });

  it('gives exactly one success to two PUTs that both passed the same-number check with one proof', async () => {
    const m = await t.createMember();
    const token = `Bearer ${await m.bearer()}`;
    await verifyByArs(t, token, '01055556666');
    // Both calls carry the member as the guard read it before either committed.
    const auth = { method: 'bearer' as const, credentialId: '', member: m.row, scopes: 'all' as const };
    const proof = await t.db
      .selectFrom('ars_verifications')
      .select('credential_id')
      .where('member_id', '=', m.row.id)
      .executeTakeFirstOrThrow();
    const service = t.app.get(MembersService);
    const meta = { requestId: 'race-test-0001', clientIp: '127.0.0.1' };
    const outcomes = await Promise.allSettled([
      service.updatePhoneNumber({ ...auth, credentialId: proof.credential_id }, '01055556666', meta),
      service.updatePhoneNumber({ ...auth, credentialId: proof.credential_id }, '01055556666', meta),
    ]);
    expect(outcomes.map((o) => o.status).sort()).toEqual(['fulfilled', 'rejected']);
    const rejected = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected')!;
    expect(rejected.reason).toMatchObject({ code: 'SecondAuthRequired' });
    expect((await memberRow(m.row.id)).phone_number).toBe('01055556666');
    expect((await auditOf(m.row.id)).filter((e) => e.event_type === 'phone.changed')).toHaveLength(1);
  });

  it('needs the proof for this member, this number and this credential', async () => {
    const owner = await t.createMember();
    const other = await t.createMember();
    const ownerToken = `Bearer ${await owner.bearer()}`;
    await verifyByArs(t, ownerToken, '01044445555');
    const server = t.app.getHttpServer();

    const otherMember = await request(server)
      .put(PUT_PATH)
      .set('Authorization', `Bearer ${await other.bearer()}`)
      .send({ phoneNumber: '01044445555' });
    expect(otherMember.body).toMatchObject({ errorCode: 'SecondAuthRequired' });

    const otherNumber = await request(server)
      .put(PUT_PATH)
      .set('Authorization', ownerToken)
      .send({ phoneNumber: '01044445556' });
    expect(otherNumber.body).toMatchObject({ errorCode: 'SecondAuthRequired' });

    const otherCredential = await request(server)
      .put(PUT_PATH)
      .set('Authorization', owner.hmac())
      .send({ phoneNumber: '01044445555' });
    expect(otherCredential.body).toMatchObject({ errorCode: 'SecondAuthRequired' });

    expect((await memberRow(owner.row.id)).phone_number).toBe('01012345678');
    expect((await memberRow(other.row.id)).phone_number).toBe('01012345678');

    const ownerPut = await request(server)
      .put(PUT_PATH)
      .set('Authorization', ownerToken)
      .send({ phoneNumber: '010-4444-5555' });
    expect(ownerPut.status).toBe(200);
    const refusals = (await auditOf(owner.row.id)).filter((e) => e.event_type === 'phone.refused');
    expect(refusals).toHaveLength(2);
  });
});
