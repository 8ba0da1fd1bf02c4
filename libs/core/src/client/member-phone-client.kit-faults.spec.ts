import { mockMemberPhoneApi, type MemberPhoneApiMock } from '@member-phone/testing';
import { MemberPhoneClient, type MemberPhoneClientOptions } from './member-phone-client';
import { MemberPhoneNetworkError, MemberPhoneTimeoutError } from './member-phone-errors';

// The kit checks signatures against this secret and refuses a signature it has seen, as the service
// does: a retry that reused its header would meet DuplicatedSignature here.
const API_KEY = 'NCSKITFAULTSPEC1';
const API_SECRET = 'kit-faults-spec-secret';
const FAST_RETRY = { baseDelayMs: 10, maxDelayMs: 20, random: () => 0.5 } as const;

function client(options: Partial<MemberPhoneClientOptions> = {}): MemberPhoneClient {
  return new MemberPhoneClient({
    auth: { type: 'hmac', apiKey: API_KEY, apiSecret: API_SECRET },
    retry: FAST_RETRY,
    ...options,
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

let api: MemberPhoneApiMock;
beforeEach(() => {
  api = mockMemberPhoneApi(undefined, {
    credentials: { apiKeys: [{ apiKey: API_KEY, apiSecret: API_SECRET }] },
  });
});
afterEach(() => api.cleanup());

describe('MemberPhoneClient on the kit with credentials and network faults', () => {
  it('gets past a reset PUT with a retry the kit accepts as freshly signed', async () => {
    api.fault('updatePhoneNumber', 'reset').updatePhoneNumberSucceeds();
    const member = await client().updatePhoneNumber('01012345678');
    expect(member.phoneNumber).toBe('01012345678');
    const headers = api.requests().map((r) => r.headers.authorization);
    expect(headers).toHaveLength(2);
    expect(headers[0]).not.toBe(headers[1]);
    api.verify();
  });

  it('retries a GET whose connection timed out', async () => {
    api.fault('getMember', 'timeout').getMemberSucceeds({ name: 'Lee' });
    await expect(client().getMember()).resolves.toMatchObject({ name: 'Lee' });
    api.verify();
  });

  it('retries the ARS start on a refused connection, but not on a reset', async () => {
    api.fault('startArsVerification', 'refused').startArsVerificationSucceeds({ code: '909090' });
    await expect(client().startArsVerification('01012345678')).resolves.toMatchObject({ code: '909090' });
    api.verify();

    api.fault('startArsVerification', 'reset').startArsVerificationSucceeds();
    const error = await failure(client().startArsVerification('01012345678'));
    expect(error).toBeInstanceOf(MemberPhoneNetworkError);
    expect(error).toMatchObject({ code: 'ECONNRESET', attempts: 1 });
    expect(api.pending()).toHaveLength(1);
  });

  it('ends a hanging request with its own timeout, retried, and reports a timeout', async () => {
    api.fault('getMember', 'hang', { times: 2 });
    const error = await failure(
      client({ timeoutMs: 100, retry: { ...FAST_RETRY, maxAttempts: 2 } }).getMember(),
    );
    expect(error).toBeInstanceOf(MemberPhoneTimeoutError);
    expect(error).toMatchObject({ timeoutMs: 100, attempts: 2 });
    api.verify();
  });

  it('is refused by the kit with a wrong secret, and does not retry that 403', async () => {
    api.getMemberSucceeds();
    const wrong = client({ auth: { type: 'hmac', apiKey: API_KEY, apiSecret: 'not-the-secret' } });
    const error = await failure(wrong.getMember());
    expect(error).toMatchObject({ errorCode: 'SignatureDoesNotMatch', status: 403, attempts: 1 });
  });
});
