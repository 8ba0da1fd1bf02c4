/* global describe, it, expect, beforeEach, afterEach, fetch */
// Runs inside the throwaway project that tools/consumer-test/run.mjs creates: everything below comes
// from the packed tarballs and the registry, nothing from the workspace.
const https = require('node:https');
const axios = require('axios');
const nock = require('nock');
const {
  createMemberPhoneClient,
  isMemberPhoneNetworkError,
  isMemberPhoneSecondAuthError,
  MemberPhoneNetworkError,
  MemberPhoneSecondAuthRequiredError,
  MemberPhoneValidationError,
  signHmacAuthorization,
} = require('@member-phone/core');
const { buildMember, mockMemberPhoneApi, useMemberPhoneApi } = require('@member-phone/testing');

const BASE_URL = 'https://api.solapi.com';
const CREDENTIALS = { apiKey: 'NCSAYU7YDBXYORXC', apiSecret: 'consumer-test-secret' };

function httpsGet(path, headers) {
  return new Promise((resolve, reject) => {
    const request = https.request(`${BASE_URL}${path}`, { method: 'GET', headers }, (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk) => (text += chunk));
      response.on('end', () => resolve({ status: response.statusCode, headers: response.headers, text }));
    });
    request.on('error', reject);
    request.end();
  });
}

let api;
beforeEach(() => {
  nock.disableNetConnect();
  api = mockMemberPhoneApi(BASE_URL);
});
afterEach(() => {
  api.cleanup();
  nock.enableNetConnect();
});

describe('packed @member-phone/testing', () => {
  it('uses the same nock as the project (peer dependency)', () => {
    const kitNock = require.resolve('nock', { paths: [require.resolve('@member-phone/testing')] });
    expect(kitNock).toBe(require.resolve('nock'));
  });

  it('answers a native fetch PUT with the member, in national digits', async () => {
    api.updatePhoneNumberSucceeds({ name: 'Kim' });
    const response = await fetch(`${BASE_URL}/users/v1/member/phone-number`, {
      method: 'PUT',
      headers: { authorization: signHmacAuthorization(CREDENTIALS), 'content-type': 'application/json' },
      body: JSON.stringify({ phoneNumber: '010-1234-5678' }),
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual(buildMember({ name: 'Kim', phoneNumber: '01012345678' }));
    expect(api.requests()[0].body).toEqual({ phoneNumber: '010-1234-5678' });
    expect(api.isDone()).toBe(true);
  });

  it('answers a body the service would refuse with its 400, not a nock "no match"', async () => {
    api.updatePhoneNumberSucceeds();
    const response = await fetch(`${BASE_URL}/users/v1/member/phone-number`, {
      method: 'PUT',
      headers: { authorization: signHmacAuthorization(CREDENTIALS), 'content-type': 'application/json' },
      body: JSON.stringify({ phoneNumber: '070-1234-5678' }),
    });
    expect(response.status).toBe(400);
    expect((await response.json()).errorCode).toBe('InvalidPhoneNumber');
  });

  it('intercepts node:https GET /users/v1/member', async () => {
    api.getMemberSucceeds({ phoneNumber: '01099998888' }, { requestId: 'req-consumer-1' });
    const answer = await httpsGet('/users/v1/member', { authorization: signHmacAuthorization(CREDENTIALS) });
    expect(answer.status).toBe(200);
    expect(answer.headers['x-request-id']).toBe('req-consumer-1');
    expect(JSON.parse(answer.text).phoneNumber).toBe('01099998888');
  });

  it("gives axios the catalog's 403 SecondAuthRequired in English", async () => {
    api.updatePhoneNumberFails('SecondAuthRequired');
    const error = await axios
      .put(
        `${BASE_URL}/users/v1/member/phone-number`,
        { phoneNumber: '01012345678' },
        { headers: { authorization: signHmacAuthorization(CREDENTIALS), 'accept-language': 'en' } },
      )
      .catch((e) => e);
    expect(error.response.status).toBe(403);
    expect(error.response.data).toEqual({
      errorCode: 'SecondAuthRequired',
      errorMessage: 'Complete the ARS phone-call verification of the new number first.',
    });
  });

  it('records a request to the mocked host that matched nothing', async () => {
    api.getMemberSucceeds();
    await fetch(`${BASE_URL}/users/v1/nope`, { headers: { authorization: 'Bearer x' } }).catch(
      () => undefined,
    );
    expect(api.unmatchedRequests()).toEqual([expect.objectContaining({ method: 'GET' })]);
    expect(api.pending()).toHaveLength(1);
  });
});

describe('packed @member-phone/core client on the kit', () => {
  const client = () =>
    createMemberPhoneClient({
      auth: { type: 'hmac', ...CREDENTIALS },
      retry: { baseDelayMs: 10, maxDelayMs: 20 },
    });

  it('retries a 503 with a freshly signed request and returns the member', async () => {
    api.updatePhoneNumberFails('ServiceUnavailable', { retryAfterSeconds: 0 });
    api.updatePhoneNumberSucceeds();
    const member = await client().updatePhoneNumber('+82 10-1234-5678');
    expect(member.phoneNumber).toBe('01012345678');
    const [first, second] = api.requests().map((r) => r.headers.authorization);
    expect(first).not.toBe(second);
  });

  it('throws the family error class the package exports', async () => {
    api.updatePhoneNumberFails('SecondAuthRequired');
    const error = await client()
      .updatePhoneNumber('01012345678')
      .catch((e) => e);
    expect(error).toBeInstanceOf(MemberPhoneSecondAuthRequiredError);
    expect(isMemberPhoneSecondAuthError(error)).toBe(true);
  });

  it('turns a nock network error into MemberPhoneNetworkError', async () => {
    api.updatePhoneNumberNetworkError({ code: 'ECONNRESET' });
    const error = await createMemberPhoneClient({ auth: { type: 'hmac', ...CREDENTIALS }, retry: false })
      .updatePhoneNumber('01012345678')
      .catch((e) => e);
    expect(error).toBeInstanceOf(MemberPhoneNetworkError);
    expect(isMemberPhoneNetworkError(error)).toBe(true);
    expect(error.code).toBe('ECONNRESET');
  });

  it('refuses a landline before sending anything', async () => {
    api.updatePhoneNumberSucceeds();
    await expect(client().updatePhoneNumber('02-1234-5678')).rejects.toBeInstanceOf(
      MemberPhoneValidationError,
    );
    expect(api.requests()).toEqual([]);
  });

  it('runs the ARS helper: call, wait for the keypad, update', async () => {
    // The helper tries the update first; the service asks for the second authentication.
    api.updatePhoneNumberFails('SecondAuthRequired');
    api.startArsVerificationSucceeds({ verificationId: 'ars-consumer', code: '112233' });
    api.getArsVerificationSucceeds({ verificationId: 'ars-consumer', status: 'CALLING' });
    api.getArsVerificationSucceeds({ verificationId: 'ars-consumer', status: 'VERIFIED' });
    api.updatePhoneNumberSucceeds();
    const stages = [];
    const member = await client().updatePhoneNumberWithArs('010-1234-5678', {
      pollIntervalMs: 10,
      onProgress: (event) =>
        stages.push(event.stage === 'calling' ? `calling ${event.verification.code}` : event.stage),
    });
    expect(member.phoneNumber).toBe('01012345678');
    expect(stages).toEqual(['calling 112233', 'waiting', 'verified', 'updated']);
    expect(api.requests().map((r) => r.method)).toEqual(['PUT', 'POST', 'GET', 'GET', 'PUT']);
  });
});

describe('packed jest helper useMemberPhoneApi', () => {
  const HELPER_URL = 'https://kit-helper.example';
  const kit = useMemberPhoneApi({ baseUrl: HELPER_URL });

  it('serves a fresh mock to each test and verifies it afterwards', async () => {
    kit.getMemberSucceeds({ name: 'Park' });
    const client = createMemberPhoneClient({ baseUrl: HELPER_URL, auth: { type: 'hmac', ...CREDENTIALS } });
    await expect(client.getMember()).resolves.toMatchObject({ name: 'Park' });
  });

  it('starts the next test with nothing recorded', () => {
    expect(kit.requests()).toEqual([]);
    expect(kit.pending()).toEqual([]);
  });
});
