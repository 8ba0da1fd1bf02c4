import {
  type ArsProgressEvent,
  createMemberPhoneClient,
  isMemberPhoneArsError,
  isMemberPhoneRateLimitError,
} from '@member-phone/core';

import { startTestApp, type TestApp } from './support/test-app';

// The client's ARS helper against the real service: the keypad is pressed from the progress
// callback, as an app would show the code and a person would type it.
describe('client.updatePhoneNumberWithArs against the real service', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  const press = (verificationId: string, digits: string) =>
    fetch(`${t.baseUrl}/dev/ars/${verificationId}/keypad`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ digits }),
    });

  it('calls, waits for the keypad, then updates; the stored number and the audit trail agree', async () => {
    const m = await t.createMember();
    const client = createMemberPhoneClient({
      baseUrl: t.baseUrl,
      auth: { type: 'hmac', apiKey: m.apiKey, apiSecret: m.apiSecret },
    });
    const stages: string[] = [];
    const onProgress = async (event: ArsProgressEvent) => {
      stages.push(event.stage);
      // Typed only after the first poll has seen the call still waiting.
      if (event.stage === 'waiting' && stages.filter((s) => s === 'waiting').length === 1) {
        expect((await press(verificationId, code)).status).toBe(200);
      }
      if (event.stage === 'calling') ({ verificationId, code } = event.verification);
    };
    let verificationId = '';
    let code = '';

    const member = await client.updatePhoneNumberWithArs('010-3030-4040', {
      onProgress,
      pollIntervalMs: 20,
      maxPollIntervalMs: 50,
    });

    expect(member.phoneNumber).toBe('01030304040');
    expect(stages[0]).toBe('calling');
    expect(stages).toContain('waiting');
    expect(stages.slice(-2)).toEqual(['verified', 'updated']);
    const row = await t.db
      .selectFrom('members')
      .selectAll()
      .where('id', '=', m.row.id)
      .executeTakeFirstOrThrow();
    expect(row.phone_number).toBe('01030304040');
    const verification = await t.db
      .selectFrom('ars_verifications')
      .selectAll()
      .where('member_id', '=', m.row.id)
      .executeTakeFirstOrThrow();
    expect(verification.status).toBe('CONSUMED');
    const changes = await t.db
      .selectFrom('audit_events')
      .selectAll()
      .where('member_id', '=', m.row.id)
      .where('event_type', '=', 'phone.changed')
      .execute();
    expect(changes).toHaveLength(1);
  });

  it('stops with an ARS error and sends no update when the keypad input fails the call', async () => {
    const m = await t.createMember({ phoneNumber: '01012340000' });
    const client = createMemberPhoneClient({
      baseUrl: t.baseUrl,
      auth: { type: 'hmac', apiKey: m.apiKey, apiSecret: m.apiSecret },
    });
    let verificationId = '';
    const error: unknown = await client
      .updatePhoneNumberWithArs('010-5050-6060', {
        pollIntervalMs: 20,
        maxPollIntervalMs: 50,
        onProgress: async (event) => {
          if (event.stage !== 'calling') return;
          verificationId = event.verification.verificationId;
          const wrong = event.verification.code === '000000' ? '111111' : '000000';
          for (let attempt = 0; attempt < 5; attempt++) await press(verificationId, wrong);
        },
      })
      .catch((e: unknown) => e);

    expect(isMemberPhoneArsError(error)).toBe(true);
    expect(isMemberPhoneRateLimitError(error)).toBe(false);
    const row = await t.db
      .selectFrom('members')
      .selectAll()
      .where('id', '=', m.row.id)
      .executeTakeFirstOrThrow();
    expect(row.phone_number).toBe('01012340000');
    const verification = await t.db
      .selectFrom('ars_verifications')
      .selectAll()
      .where('id', '=', verificationId)
      .executeTakeFirstOrThrow();
    expect(verification.status).toBe('FAILED');
  });
});
