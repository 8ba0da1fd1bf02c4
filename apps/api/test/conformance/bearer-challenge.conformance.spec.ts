import { MemberPhoneClient } from '@member-phone/core';
import { mockMemberPhoneApi, normalizeRecordedResponse, type RecordedResponse } from '@member-phone/testing';

import { startTestApp, type TestApp, type TestMember } from '../support/test-app';

// The 401 challenge is what the core client's token refresh keys on, so the kit's headers for a
// missing header and for a refused token must be the service's, and the refresh must work on both.
jest.setTimeout(120_000);

const KIT_BASE_URL = 'https://api.solapi.com';

let app: TestApp;
let member: TestMember;
let validToken: string;

beforeAll(async () => {
  app = await startTestApp();
  member = await app.createMember({ scopes: null });
  validToken = await member.bearer(['users:read', 'users:write']);
});
afterAll(async () => {
  await app?.close();
});

async function getMember(baseUrl: string, authorization: string | undefined): Promise<RecordedResponse> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (authorization !== undefined) headers.authorization = authorization;
  const answer = await fetch(`${baseUrl}/users/v1/member`, { headers, signal: AbortSignal.timeout(30_000) });
  return normalizeRecordedResponse({
    status: answer.status,
    headers: answer.headers,
    text: await answer.text(),
  });
}

/** The kit scripted for a success, knowing the member's real token: it must work out the 401 itself. */
async function kitAnswer(authorization: string | undefined): Promise<RecordedResponse> {
  const api = mockMemberPhoneApi(KIT_BASE_URL, {
    credentials: { bearerTokens: [{ token: validToken, scopes: ['users:read', 'users:write'] }] },
  });
  try {
    api.scenario('getMember.success');
    return await getMember(KIT_BASE_URL, authorization);
  } finally {
    api.cleanup();
  }
}

describe('the kit challenges a 401 as the service does', () => {
  it.each<[string, () => string | undefined, boolean]>([
    ['no Authorization header', () => undefined, false],
    ['a bearer token the service never issued', () => 'Bearer not-a-token-the-service-issued', true],
    ['a tampered bearer token', () => `Bearer ${validToken.slice(0, -4)}AAAA`, true],
  ])('%s', async (_name, authorization, invalidToken) => {
    const real = await getMember(app.baseUrl, authorization());
    const kit = await kitAnswer(authorization());
    expect(real.status).toBe(401);
    expect(real.headers['www-authenticate']?.includes('error="invalid_token"')).toBe(invalidToken);
    expect(kit).toEqual(real);
  });
});

describe('the core client refreshes a refused token', () => {
  function refreshingClient(baseUrl: string, asked: boolean[]): MemberPhoneClient {
    return new MemberPhoneClient({
      baseUrl,
      retry: false,
      auth: {
        type: 'bearer',
        token: ({ refresh }) => {
          asked.push(refresh);
          return refresh ? validToken : 'expired-token';
        },
      },
    });
  }

  it('against the service and against the kit alike', async () => {
    const askedReal: boolean[] = [];
    const real = await refreshingClient(app.baseUrl, askedReal).getMember();

    const api = mockMemberPhoneApi(KIT_BASE_URL, {
      credentials: { bearerTokens: [{ token: validToken, scopes: ['users:read'] }] },
    });
    try {
      // The first, refused request uses one answer, as it would use one of the service's.
      api.scenario('getMember.success', { times: 2, member: { memberId: real.memberId } });
      const askedKit: boolean[] = [];
      const kit = await refreshingClient(KIT_BASE_URL, askedKit).getMember();
      expect(askedReal).toEqual([false, true]);
      expect(askedKit).toEqual(askedReal);
      expect(kit.memberId).toBe(real.memberId);
      expect(api.requests().map((request) => request.status)).toEqual([401, 200]);
      api.verify();
    } finally {
      api.cleanup();
    }
  });
});
