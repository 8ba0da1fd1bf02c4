import { signHmacAuthorization } from '@member-phone/core';
import { mockMemberPhoneApi, normalizeRecordedResponse, type RecordedResponse } from '@member-phone/testing';

import { startTestApp, type TestApp, type TestMember } from '../support/test-app';

// A JSON content type whose body does not parse: the service still runs its size, credential and
// permission checks first, and its parser skips a UTF-8 byte order mark. The kit, knowing the
// member's key and tokens, must answer each such request as the service does.
jest.setTimeout(120_000);

const KIT_BASE_URL = 'https://api.solapi.com';
const NOT_JSON = '{"phoneNumber": 01012345678';

let app: TestApp;

beforeAll(async () => {
  app = await startTestApp();
});
afterAll(async () => {
  await app?.close();
});

interface Case {
  authorization: (member: TestMember) => Promise<string>;
  body: string;
}

async function put(baseUrl: string, authorization: string, body: string): Promise<RecordedResponse> {
  const answer = await fetch(`${baseUrl}/users/v1/member/phone-number`, {
    method: 'PUT',
    headers: { accept: 'application/json', authorization, 'content-type': 'application/json' },
    body,
    signal: AbortSignal.timeout(30_000),
  });
  return normalizeRecordedResponse({
    status: answer.status,
    headers: answer.headers,
    text: await answer.text(),
  });
}

const hmac = (member: TestMember): Promise<string> => Promise.resolve(member.hmac());

describe('the kit refuses an unparseable JSON body in the service order', () => {
  it.each<[string, Case, number]>([
    [
      'a wrong secret',
      {
        authorization: (member) =>
          Promise.resolve(
            signHmacAuthorization({ apiKey: member.apiKey, apiSecret: `${member.apiSecret}-not` }),
          ),
        body: NOT_JSON,
      },
      403,
    ],
    [
      'an unknown key',
      {
        authorization: (member) =>
          Promise.resolve(
            signHmacAuthorization({ apiKey: 'NCSUNKNOWNKEY0001', apiSecret: member.apiSecret }),
          ),
        body: NOT_JSON,
      },
      403,
    ],
    [
      'a read-only bearer token',
      {
        authorization: (member) => member.bearer(['users:read']).then((token) => `Bearer ${token}`),
        body: NOT_JSON,
      },
      403,
    ],
    ['a 17 KB body', { authorization: hmac, body: `${NOT_JSON}${'x'.repeat(17 * 1024)}` }, 413],
    ['credentials that pass every earlier check', { authorization: hmac, body: NOT_JSON }, 400],
    [
      'a byte order mark before valid JSON',
      { authorization: hmac, body: `\uFEFF${JSON.stringify({ phoneNumber: '010-2345-6789' })}` },
      403,
    ],
  ])('%s', async (_name, { authorization, body }, status) => {
    const member = await app.createMember({ scopes: null });
    const header = await authorization(member);
    const real = await put(app.baseUrl, header, body);
    const bearer = header.startsWith('Bearer ') ? header.slice('Bearer '.length) : undefined;
    const api = mockMemberPhoneApi(KIT_BASE_URL, {
      credentials: {
        apiKeys: [{ apiKey: member.apiKey, apiSecret: member.apiSecret, scopes: null }],
        ...(bearer ? { bearerTokens: [{ token: bearer, scopes: ['users:read'] }] } : {}),
      },
    });
    try {
      // The member holds no ARS proof, so a body the service accepts meets SecondAuthRequired.
      api.scenario('updatePhoneNumber.SecondAuthRequired');
      const kit = await put(KIT_BASE_URL, header, body);
      expect(real.status).toBe(status);
      expect(kit).toEqual(real);
    } finally {
      api.cleanup();
    }
  });
});
