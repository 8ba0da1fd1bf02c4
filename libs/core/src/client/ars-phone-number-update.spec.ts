import { buildMember, mockMemberPhoneApi, type MemberPhoneApiMock } from '@member-phone/testing';
import { type ArsProgressEvent } from './ars-phone-number-update';
import { MemberPhoneClient } from './member-phone-client';
import { MemberPhoneArsError, MemberPhoneTimeoutError } from './member-phone-errors';

const VERIFICATION_ID = 'ars-1111-2222';
const FAST_POLL = { pollIntervalMs: 10, maxPollIntervalMs: 40 } as const;

function client(): MemberPhoneClient {
  return new MemberPhoneClient({
    auth: { type: 'hmac', apiKey: 'NCSAYU7YDBXYORXC', apiSecret: 'ars-helper-secret' },
    retry: { baseDelayMs: 10, maxDelayMs: 20 },
  });
}

async function failure(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to fail');
}

function stages(events: ArsProgressEvent[]): string[] {
  return events.map((event) => event.stage);
}

let api: MemberPhoneApiMock;
beforeEach(() => {
  api = mockMemberPhoneApi();
});
afterEach(() => api.cleanup());

describe('MemberPhoneClient.updatePhoneNumberWithArs', () => {
  it('starts the call, reports the code, polls until VERIFIED, then updates the number', async () => {
    api.updatePhoneNumberFails('SecondAuthRequired');
    api.startArsVerificationSucceeds({ verificationId: VERIFICATION_ID, code: '135790' });
    const polled = { verificationId: VERIFICATION_ID, phoneNumber: '01012345678' };
    api.getArsVerificationSucceeds({ ...polled, status: 'CALLING', attemptsLeft: 5 });
    api.getArsVerificationSucceeds({ ...polled, status: 'CALLING', attemptsLeft: 4 });
    api.getArsVerificationSucceeds({ ...polled, status: 'VERIFIED', attemptsLeft: 4 });
    api.updatePhoneNumberSucceeds({ name: 'Kim' });
    const events: ArsProgressEvent[] = [];

    const member = await client().updatePhoneNumberWithArs('010-1234-5678', {
      ...FAST_POLL,
      onProgress: (event) => {
        events.push(event);
      },
    });

    expect(member).toEqual(buildMember({ name: 'Kim', phoneNumber: '01012345678' }));
    expect(stages(events)).toEqual(['calling', 'waiting', 'waiting', 'verified', 'updated']);
    expect(events[0]).toMatchObject({ verification: { code: '135790', phoneNumber: '01012345678' } });
    expect(events[2]).toMatchObject({ verification: { attemptsLeft: 4, status: 'CALLING' } });
    expect(events[4]).toEqual({ stage: 'updated', member });
    expect(api.requests().map((r) => `${r.method} ${r.path}`)).toEqual([
      'PUT /users/v1/member/phone-number',
      'POST /users/v1/member/phone-number/ars',
      `GET /users/v1/member/phone-number/ars/${VERIFICATION_ID}`,
      `GET /users/v1/member/phone-number/ars/${VERIFICATION_ID}`,
      `GET /users/v1/member/phone-number/ars/${VERIFICATION_ID}`,
      'PUT /users/v1/member/phone-number',
    ]);
    expect(api.requests().at(-1)?.body).toEqual({ phoneNumber: '01012345678' });
    expect(api.isDone()).toBe(true);
  });

  it('waits for an async progress callback before going on', async () => {
    api.updatePhoneNumberFails('SecondAuthRequired');
    api.startArsVerificationSucceeds({ verificationId: VERIFICATION_ID, status: 'CALLING' });
    api.getArsVerificationSucceeds({ verificationId: VERIFICATION_ID, status: 'VERIFIED' });
    api.updatePhoneNumberSucceeds();
    const order: string[] = [];
    await client().updatePhoneNumberWithArs('01000000000', {
      ...FAST_POLL,
      onProgress: async (event) => {
        await new Promise((resolve) => setTimeout(resolve, 20));
        order.push(`${event.stage}@${api.requests().length}`);
      },
    });
    // The first request is the update that asked for the second authentication.
    expect(order).toEqual(['calling@2', 'verified@3', 'updated@4']);
  });

  it.each(['FAILED', 'EXPIRED', 'CANCELED'] as const)(
    'stops with MemberPhoneArsError when the verification ends %s, sending no update',
    async (status) => {
      api.updatePhoneNumberFails('SecondAuthRequired');
      api.startArsVerificationSucceeds({ verificationId: VERIFICATION_ID });
      api.getArsVerificationSucceeds({ verificationId: VERIFICATION_ID, status, attemptsLeft: 0 });
      api.updatePhoneNumberSucceeds();
      const error = await failure(client().updatePhoneNumberWithArs('01012345678', FAST_POLL));
      expect(error).toBeInstanceOf(MemberPhoneArsError);
      expect(error).toMatchObject({ verificationId: VERIFICATION_ID, status });
      expect(api.requests().map((r) => r.method)).toEqual(['PUT', 'POST', 'GET']);
      expect(api.pending()).toHaveLength(1);
    },
  );

  it('passes a refusal of the ARS start through (rate limit with Retry-After)', async () => {
    api.updatePhoneNumberFails('SecondAuthRequired');
    api.startArsVerificationFails('TooManyRequests', { retryAfterSeconds: 30 });
    const error = await failure(client().updatePhoneNumberWithArs('01012345678', FAST_POLL));
    expect(error).toMatchObject({ errorCode: 'TooManyRequests', retryAfterSeconds: 30 });
    expect(api.requests().map((r) => r.method)).toEqual(['PUT', 'POST']);
  });

  it("stops with the caller's abort reason while waiting for the keypad", async () => {
    api.updatePhoneNumberFails('SecondAuthRequired');
    api.startArsVerificationSucceeds({ verificationId: VERIFICATION_ID });
    api.getArsVerificationSucceeds({ verificationId: VERIFICATION_ID, status: 'CALLING' }, { times: 1000 });
    const controller = new AbortController();
    const reason = new Error('closed the dialog');
    const error = await failure(
      client().updatePhoneNumberWithArs('01012345678', {
        ...FAST_POLL,
        signal: controller.signal,
        onProgress: (event) => {
          if (event.stage === 'waiting') controller.abort(reason);
        },
      }),
    );
    expect(error).toBe(reason);
    expect(api.requests().map((r) => r.method)).toEqual(['PUT', 'POST', 'GET']);
  });

  it('gives up with MemberPhoneTimeoutError after its overall timeout', async () => {
    api.updatePhoneNumberFails('SecondAuthRequired');
    api.startArsVerificationSucceeds({ verificationId: VERIFICATION_ID });
    api.getArsVerificationSucceeds({ verificationId: VERIFICATION_ID, status: 'CALLING' }, { times: 1000 });
    const error = await failure(
      client().updatePhoneNumberWithArs('01012345678', { ...FAST_POLL, timeoutMs: 300 }),
    );
    expect(error).toBeInstanceOf(MemberPhoneTimeoutError);
    expect(error).toMatchObject({ timeoutMs: 300 });
    // Only the first update, which asked for the second authentication; none after the call.
    expect(api.requests().filter((r) => r.method === 'PUT')).toHaveLength(1);
  });

  it('stops with the error a progress callback throws', async () => {
    api.updatePhoneNumberFails('SecondAuthRequired');
    api.startArsVerificationSucceeds({ verificationId: VERIFICATION_ID });
    api.getArsVerificationSucceeds({ verificationId: VERIFICATION_ID, status: 'VERIFIED' });
    const broken = new Error('screen gone');
    const error = await failure(
      client().updatePhoneNumberWithArs('01012345678', {
        ...FAST_POLL,
        onProgress: () => {
          throw broken;
        },
      }),
    );
    expect(error).toBe(broken);
    expect(api.requests().map((r) => r.method)).toEqual(['PUT', 'POST']);
  });

  it('places no call for the number the member already holds: the first update answers', async () => {
    api.updatePhoneNumberSucceeds({ phoneNumber: '01012345678' });
    const events: ArsProgressEvent[] = [];

    const member = await client().updatePhoneNumberWithArs('010-1234-5678', {
      ...FAST_POLL,
      onProgress: (event) => events.push(event),
    });

    expect(member.phoneNumber).toBe('01012345678');
    expect(stages(events)).toEqual(['updated']);
    expect(api.requests().map((r) => `${r.method} ${r.path}`)).toEqual(['PUT /users/v1/member/phone-number']);
  });

  it('refuses a bad number locally and a bad poll interval before calling anyone', async () => {
    api.startArsVerificationSucceeds();
    await expect(client().updatePhoneNumberWithArs('070-1234-5678')).rejects.toMatchObject({
      errorCode: 'InvalidPhoneNumber',
      reason: 'NOT_MOBILE',
    });
    await expect(client().updatePhoneNumberWithArs('01012345678', { pollIntervalMs: 0 })).rejects.toThrow(
      RangeError,
    );
    expect(api.requests()).toEqual([]);
  });
});
