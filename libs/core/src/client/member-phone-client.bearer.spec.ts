import { buildMember, mockMemberPhoneApi, type MemberPhoneApiMock } from '@member-phone/testing';
import { WWW_AUTHENTICATE_CHALLENGE } from '../auth/www-authenticate';
import { type BearerTokenContext } from './bearer-token';
import { MemberPhoneClient } from './member-phone-client';
import { MemberPhoneAuthenticationError } from './member-phone-errors';

const INVALID_TOKEN = { 'www-authenticate': `${WWW_AUTHENTICATE_CHALLENGE}, error="invalid_token"` };
const FAST_RETRY = { baseDelayMs: 10, maxDelayMs: 50, random: () => 0.5 } as const;

async function failure(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to fail');
}

let api: MemberPhoneApiMock;
beforeEach(() => {
  api = mockMemberPhoneApi();
});
afterEach(() => api.cleanup());

describe('MemberPhoneClient bearer token provider', () => {
  it('asks a synchronous provider before every attempt, retries included', async () => {
    const contexts: Omit<BearerTokenContext, 'signal'>[] = [];
    const phone = new MemberPhoneClient({
      auth: {
        type: 'bearer',
        token: ({ attempt, refresh }) => {
          contexts.push({ attempt, refresh });
          return `token-${attempt}`;
        },
      },
      retry: FAST_RETRY,
    });
    api.getMemberFails('ServiceUnavailable', { retryAfterSeconds: 0 });
    api.getMemberSucceeds();
    await expect(phone.getMember()).resolves.toEqual(buildMember());
    expect(contexts).toEqual([
      { attempt: 1, refresh: false },
      { attempt: 2, refresh: false },
    ]);
    expect(api.requests().map((r) => r.headers.authorization)).toEqual(['Bearer token-1', 'Bearer token-2']);
  });

  it('awaits an async provider and hands it an AbortSignal', async () => {
    let signal: AbortSignal | undefined;
    const phone = new MemberPhoneClient({
      auth: {
        type: 'bearer',
        token: async (context) => {
          signal = context.signal;
          await new Promise((resolve) => setTimeout(resolve, 5));
          return 'async.token.value';
        },
      },
    });
    api.getMemberSucceeds();
    await phone.getMember();
    expect(api.requests()[0]?.headers.authorization).toBe('Bearer async.token.value');
    expect(signal).toBeInstanceOf(AbortSignal);
  });

  it('refreshes once on a 401 invalid_token and resends, also for the ARS start', async () => {
    const contexts: boolean[] = [];
    const phone = new MemberPhoneClient({
      auth: {
        type: 'bearer',
        token: ({ refresh }) => {
          contexts.push(refresh);
          return refresh ? 'fresh-token' : 'stale-token';
        },
      },
      retry: false,
    });
    api.startArsVerificationFails('Unauthorized', { headers: INVALID_TOKEN });
    api.startArsVerificationSucceeds({ code: '777777' });
    await expect(phone.startArsVerification('01012345678')).resolves.toMatchObject({ code: '777777' });
    expect(contexts).toEqual([false, true]);
    expect(api.requests().map((r) => r.headers.authorization)).toEqual([
      'Bearer stale-token',
      'Bearer fresh-token',
    ]);
  });

  it('refreshes at most once per call: a second invalid_token is thrown', async () => {
    let calls = 0;
    const phone = new MemberPhoneClient({
      auth: { type: 'bearer', token: () => `token-${++calls}` },
    });
    api.getMemberFails('Unauthorized', { headers: INVALID_TOKEN, times: 2 });
    api.getMemberSucceeds();
    const error = await failure(phone.getMember());
    expect(error).toBeInstanceOf(MemberPhoneAuthenticationError);
    expect(error).toMatchObject({ errorCode: 'Unauthorized', status: 401, attempts: 2 });
    expect(calls).toBe(2);
    expect(api.requests()).toHaveLength(2);
  });

  it('does not refresh on a 401 without invalid_token, nor with a fixed token', async () => {
    const provider = jest.fn(() => 'provided-token');
    api.getMemberFails('Unauthorized', { headers: { 'www-authenticate': WWW_AUTHENTICATE_CHALLENGE } });
    api.getMemberFails('Unauthorized', { headers: INVALID_TOKEN });
    api.getMemberSucceeds({}, { times: 2 });
    const withProvider = new MemberPhoneClient({ auth: { type: 'bearer', token: provider } });
    const fixed = new MemberPhoneClient({ auth: { type: 'bearer', token: 'fixed-token' } });
    await expect(failure(withProvider.getMember())).resolves.toMatchObject({ errorCode: 'Unauthorized' });
    await expect(failure(fixed.getMember())).resolves.toMatchObject({ errorCode: 'Unauthorized' });
    expect(provider).toHaveBeenCalledTimes(1);
    expect(api.requests().map((r) => r.headers.authorization)).toEqual([
      'Bearer provided-token',
      'Bearer fixed-token',
    ]);
  });

  it('refuses a provider that returns something unusable, sending nothing', async () => {
    api.getMemberSucceeds();
    const phone = new MemberPhoneClient({ auth: { type: 'bearer', token: () => 'a\r\nInjected: header' } });
    await expect(phone.getMember()).rejects.toThrow(TypeError);
    expect(api.requests()).toEqual([]);
  });

  it("passes a provider's own failure through unchanged", async () => {
    api.getMemberSucceeds();
    const broken = new Error('token endpoint down');
    const phone = new MemberPhoneClient({
      auth: { type: 'bearer', token: () => Promise.reject(broken) },
    });
    await expect(failure(phone.getMember())).resolves.toBe(broken);
    expect(api.requests()).toEqual([]);
  });
});
