import { createServer } from 'node:net';
import { inspect } from 'node:util';
import {
  buildMember,
  mockMemberPhoneApi,
  UPDATE_PHONE_NUMBER_ERROR_CODES,
  type MemberPhoneApiMock,
} from '@member-phone/testing';
import { computeHmacSignature } from '../auth/hmac-signature';
import { parseAuthorizationHeader } from '../auth/parse-authorization';
import { ERROR_CATALOG } from '../errors/error-catalog';
import {
  createMemberPhoneClient,
  MemberPhoneClient,
  type MemberPhoneClientOptions,
} from './member-phone-client';
import { isMemberPhoneApiError, isMemberPhoneError } from './member-phone-error-guards';
import {
  MemberPhoneApiError,
  MemberPhoneNetworkError,
  MemberPhoneTimeoutError,
  MemberPhoneValidationError,
} from './member-phone-errors';

const API_KEY = 'NCSAYU7YDBXYORXC';
const API_SECRET = 'test-secret-value';
const HMAC_AUTH = { type: 'hmac', apiKey: API_KEY, apiSecret: API_SECRET } as const;

// One attempt per call here: retrying is specified in member-phone-client.retry.spec.ts.
function client(options: Partial<MemberPhoneClientOptions> = {}): MemberPhoneClient {
  return new MemberPhoneClient({ auth: HMAC_AUTH, retry: false, ...options });
}

async function failure(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to fail');
}

function verifiesWithSecret(authorization: string | undefined): boolean {
  const parsed = parseAuthorizationHeader(authorization);
  if (!parsed.ok || parsed.scheme !== 'hmac') return false;
  const { algorithm, date, salt, signature } = parsed.credentials;
  return computeHmacSignature(algorithm, API_SECRET, date, salt) === signature;
}

let api: MemberPhoneApiMock;
beforeEach(() => {
  api = mockMemberPhoneApi();
});
afterEach(() => api.cleanup());

describe('MemberPhoneClient', () => {
  describe('updatePhoneNumber', () => {
    it('PUTs the national digits with a valid HMAC signature and returns the member', async () => {
      api.updatePhoneNumberSucceeds();
      const member = await client().updatePhoneNumber('+82 10-1234-5678');
      expect(member).toEqual(buildMember({ phoneNumber: '01012345678' }));
      const [request] = api.requests();
      expect(request).toMatchObject({
        method: 'PUT',
        path: '/users/v1/member/phone-number',
        body: { phoneNumber: '01012345678' },
      });
      expect(request?.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(request?.headers.accept).toBe('application/json');
      expect(request?.headers.authorization).toMatch(
        /^HMAC-SHA256 apiKey=NCSAYU7YDBXYORXC, date=\S+, salt=\S+, signature=[0-9a-f]{64}$/,
      );
      expect(verifiesWithSecret(request?.headers.authorization)).toBe(true);
      expect(api.isDone()).toBe(true);
    });

    it('accepts the seed sample number', async () => {
      api.updatePhoneNumberSucceeds();
      await expect(client().updatePhoneNumber('01000000000')).resolves.toMatchObject({
        phoneNumber: '01000000000',
      });
    });

    it('signs every call afresh: two calls, two salts, two signatures, both valid', async () => {
      api.updatePhoneNumberSucceeds({}, { times: 2 });
      const phone = client();
      await phone.updatePhoneNumber('01012345678');
      await phone.updatePhoneNumber('01012345678');
      const [first, second] = api.requests().map((r) => parseAuthorizationHeader(r.headers.authorization));
      if (!first?.ok || first.scheme !== 'hmac' || !second?.ok || second.scheme !== 'hmac') {
        throw new Error('both requests must carry an HMAC header');
      }
      expect(first.credentials.salt).not.toBe(second.credentials.salt);
      expect(first.credentials.signature).not.toBe(second.credentials.signature);
      expect(api.requests().every((r) => verifiesWithSecret(r.headers.authorization))).toBe(true);
    });

    it('signs with HMAC-MD5 when asked', async () => {
      api.updatePhoneNumberSucceeds();
      await client({ auth: { ...HMAC_AUTH, algorithm: 'HMAC-MD5' } }).updatePhoneNumber('01012345678');
      const [request] = api.requests();
      expect(request?.headers.authorization).toMatch(/^HMAC-MD5 apiKey=.*signature=[0-9a-f]{32}$/);
      expect(verifiesWithSecret(request?.headers.authorization)).toBe(true);
    });

    it('sends a bearer token as is', async () => {
      api.updatePhoneNumberSucceeds();
      await client({
        auth: { type: 'bearer', token: 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln' },
      }).updatePhoneNumber('01012345678');
      expect(api.requests()[0]?.headers.authorization).toBe(
        'Bearer eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln',
      );
    });

    it.each<[string, string]>([
      ['070-1234-5678', 'NOT_MOBILE'],
      [' 01012345678', 'INVALID_FORMAT'],
      ['0101234567', 'INVALID_LENGTH'],
      ['010-1234-567a', 'INVALID_CHARACTERS'],
      ['', 'EMPTY'],
    ])('refuses %p locally (%s) and sends nothing', async (input, reason) => {
      api.updatePhoneNumberSucceeds();
      const error = await failure(client().updatePhoneNumber(input));
      expect(error).toBeInstanceOf(MemberPhoneValidationError);
      expect(error).toMatchObject({ errorCode: 'InvalidPhoneNumber', reason });
      expect((error as Error).message).not.toContain(input.trim() || '\u0000');
      expect(api.requests()).toEqual([]);
      expect(api.unmatchedRequests()).toEqual([]);
      expect(api.isDone()).toBe(false);
    });

    it('refuses a non-string at run time without sending', async () => {
      api.updatePhoneNumberSucceeds();
      const error = await failure(client().updatePhoneNumber(1012345678 as unknown as string));
      expect(error).toMatchObject({ errorCode: 'InvalidPhoneNumber', reason: 'NOT_A_STRING' });
      expect(api.requests()).toEqual([]);
    });

    it.each(UPDATE_PHONE_NUMBER_ERROR_CODES)(
      'turns %s into a MemberPhoneApiError with code, status and request id',
      async (code) => {
        api.updatePhoneNumberFails(code, { requestId: `req-${code}` });
        const error = await failure(client().updatePhoneNumber('01012345678'));
        expect(error).toBeInstanceOf(MemberPhoneApiError);
        expect(error).toMatchObject({
          errorCode: code,
          errorMessage: ERROR_CATALOG[code].ko,
          status: ERROR_CATALOG[code].status,
          requestId: `req-${code}`,
          wellFormedBody: true,
        });
        expect(isMemberPhoneApiError(error, code)).toBe(true);
        expect(isMemberPhoneApiError(error, 'NotThisOne')).toBe(false);
        expect(isMemberPhoneError(error)).toBe(true);
      },
    );

    it('asks for English messages when configured', async () => {
      api.updatePhoneNumberFails('SecondAuthRequired');
      const error = await failure(client({ language: 'en' }).updatePhoneNumber('01012345678'));
      expect(api.requests()[0]?.headers['accept-language']).toBe('en');
      expect(error).toMatchObject({ errorMessage: ERROR_CATALOG.SecondAuthRequired.en });
    });

    it('reads Retry-After into retryAfterSeconds', async () => {
      api.updatePhoneNumberFails('ServiceUnavailable', { retryAfterSeconds: 12 });
      const error = await failure(client().updatePhoneNumber('01012345678'));
      expect(error).toMatchObject({ errorCode: 'ServiceUnavailable', retryAfterSeconds: 12 });
    });

    it('keeps an error code this client does not know', async () => {
      api.updatePhoneNumberRespondsWith(
        403,
        JSON.stringify({ errorCode: 'SomethingNew', errorMessage: 'new' }),
      );
      const error = await failure(client().updatePhoneNumber('01012345678'));
      expect(error).toMatchObject({
        errorCode: 'SomethingNew',
        errorMessage: 'new',
        status: 403,
        wellFormedBody: true,
      });
    });

    it.each<[number, string, string]>([
      [502, '<html><body>Bad Gateway</body></html>', 'ServiceUnavailable'],
      [500, '', 'InternalError'],
      [400, '{"error":"bad"}', 'ValidationError'],
      [403, '{"errorCode":42,"errorMessage":"x"}', 'Forbidden'],
      [418, 'teapot', 'InternalError'],
      [301, '', 'InternalError'],
    ])(
      'still gives a MemberPhoneApiError for a %p with a body that is not the API shape',
      async (status, body, code) => {
        api.updatePhoneNumberRespondsWith(status, body, {
          'content-type': 'text/html',
          'x-request-id': 'req-proxy-1',
          location: 'https://elsewhere.example/',
        });
        const error = await failure(client().updatePhoneNumber('01012345678'));
        expect(error).toBeInstanceOf(MemberPhoneApiError);
        expect(error).toMatchObject({
          errorCode: code,
          status,
          requestId: 'req-proxy-1',
          wellFormedBody: false,
        });
      },
    );

    it('gives a MemberPhoneApiError for a 200 whose body is not a member', async () => {
      api.updatePhoneNumberRespondsWith(200, '{"ok":true}');
      const error = await failure(client().updatePhoneNumber('01012345678'));
      expect(error).toMatchObject({ errorCode: 'InternalError', status: 200, wellFormedBody: false });
    });

    it('times out with MemberPhoneTimeoutError when the answer is late', async () => {
      api.updatePhoneNumberSucceeds({}, { delayMs: 2000 });
      const started = Date.now();
      const error = await failure(client({ timeoutMs: 50 }).updatePhoneNumber('01012345678'));
      expect(error).toBeInstanceOf(MemberPhoneTimeoutError);
      expect(error).toMatchObject({ timeoutMs: 50 });
      expect(Date.now() - started).toBeLessThan(1000);
    });

    it("rejects with the caller's abort reason when the caller aborts", async () => {
      api.updatePhoneNumberSucceeds({}, { delayMs: 2000 });
      const controller = new AbortController();
      const reason = new Error('user left the page');
      setTimeout(() => controller.abort(reason), 20);
      const error = await failure(client().updatePhoneNumber('01012345678', { signal: controller.signal }));
      expect(error).toBe(reason);
    });

    it('sends nothing when the signal is already aborted', async () => {
      api.updatePhoneNumberSucceeds();
      const error = await failure(client().updatePhoneNumber('01012345678', { signal: AbortSignal.abort() }));
      expect(error).toMatchObject({ name: 'AbortError' });
      expect(api.requests()).toEqual([]);
    });

    it('turns the plain object nock rejects with into a MemberPhoneNetworkError keeping the cause', async () => {
      api.updatePhoneNumberNetworkError({ code: 'ECONNRESET', message: 'socket hang up' });
      const error = await failure(client().updatePhoneNumber('01012345678'));
      expect(error).toBeInstanceOf(MemberPhoneNetworkError);
      expect(error).toMatchObject({
        code: 'ECONNRESET',
        cause: { code: 'ECONNRESET', message: 'socket hang up' },
      });
      expect((error as Error).message).toBe('Network error (ECONNRESET): socket hang up');
    });

    it("turns native fetch's TypeError with a cause into a MemberPhoneNetworkError", async () => {
      const port = await closedPort();
      const error = await failure(
        client({ baseUrl: `http://127.0.0.1:${port}` }).updatePhoneNumber('01012345678'),
      );
      expect(error).toBeInstanceOf(MemberPhoneNetworkError);
      expect(error).toMatchObject({ code: 'ECONNREFUSED' });
      expect((error as Error).cause).toMatchObject({ name: 'TypeError', message: 'fetch failed' });
    });
  });

  describe('other operations', () => {
    it('getMember GETs the member without a body', async () => {
      api.getMemberSucceeds({ phoneNumber: '0111234567' });
      await expect(client().getMember()).resolves.toEqual(buildMember({ phoneNumber: '0111234567' }));
      const [request] = api.requests();
      expect(request).toMatchObject({ method: 'GET', path: '/users/v1/member', body: undefined });
      expect(request?.headers['content-type']).toBeUndefined();
      expect(verifiesWithSecret(request?.headers.authorization)).toBe(true);
    });

    it('startArsVerification POSTs the national digits and returns the code', async () => {
      api.startArsVerificationSucceeds({ code: '135790' });
      const started = await client().startArsVerification('011-123-4567');
      expect(started).toMatchObject({ phoneNumber: '0111234567', code: '135790', status: 'CALLING' });
      expect(api.requests()[0]?.body).toEqual({ phoneNumber: '0111234567' });
    });

    it('startArsVerification refuses a landline locally', async () => {
      api.startArsVerificationSucceeds();
      const error = await failure(client().startArsVerification('0212345678'));
      expect(error).toMatchObject({ errorCode: 'InvalidPhoneNumber', reason: 'NOT_MOBILE' });
      expect(api.requests()).toEqual([]);
    });

    it('startArsVerification surfaces TooManyRequests with Retry-After', async () => {
      api.startArsVerificationFails('TooManyRequests', { retryAfterSeconds: 30 });
      const error = await failure(client().startArsVerification('01012345678'));
      expect(error).toMatchObject({ errorCode: 'TooManyRequests', status: 429, retryAfterSeconds: 30 });
    });

    it('getArsVerification URL-encodes the id', async () => {
      api.getArsVerificationSucceeds({ verificationId: 'v/1 ?x', status: 'VERIFIED' });
      await expect(client().getArsVerification('v/1 ?x')).resolves.toMatchObject({ status: 'VERIFIED' });
      expect(api.requests()[0]?.path).toBe('/users/v1/member/phone-number/ars/v%2F1%20%3Fx');
    });

    it("getArsVerification of another member's id is ResourceNotFound", async () => {
      api.getArsVerificationFails('someone-else', 'ResourceNotFound');
      const error = await failure(client().getArsVerification('someone-else'));
      expect(isMemberPhoneApiError(error, 'ResourceNotFound')).toBe(true);
    });
  });

  describe('configuration', () => {
    it('uses an injected fetch and a base URL with a path prefix', async () => {
      const seen: string[] = [];
      const fakeFetch: typeof fetch = (input) => {
        seen.push(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
        return Promise.resolve(new Response(JSON.stringify(buildMember()), { status: 200 }));
      };
      const member = await createMemberPhoneClient({
        baseUrl: 'http://localhost:3000/api/',
        auth: HMAC_AUTH,
        fetch: fakeFetch,
      }).getMember();
      expect(member.memberId).toBe('18010100001000');
      expect(seen).toEqual(['http://localhost:3000/api/users/v1/member']);
    });

    it.each<[string, Partial<MemberPhoneClientOptions>]>([
      ['a base URL that is not a URL', { baseUrl: 'api.solapi.com' }],
      ['a base URL with a query', { baseUrl: 'https://api.solapi.com/?x=1' }],
      ['a non-http base URL', { baseUrl: 'ftp://api.solapi.com' }],
      ['a zero timeout', { timeoutMs: 0 }],
      ['a fractional timeout', { timeoutMs: 1.5 }],
      ['an unknown language', { language: 'fr' as never }],
      ['an empty API key', { auth: { type: 'hmac', apiKey: '', apiSecret: 's' } }],
      ['an API key with a comma', { auth: { type: 'hmac', apiKey: 'a,b', apiSecret: 's' } }],
      ['an empty secret', { auth: { type: 'hmac', apiKey: 'k', apiSecret: '' } }],
      ['a token with a space', { auth: { type: 'bearer', token: 'a b' } }],
      ['a token with a line break', { auth: { type: 'bearer', token: 'a\r\nX: y' } }],
      ['an unknown auth type', { auth: { type: 'basic' } as never }],
      ['zero attempts', { retry: { maxAttempts: 0 } }],
      ['a negative backoff', { retry: { baseDelayMs: -1 } }],
      ['a fractional time budget', { retry: { maxElapsedMs: 0.5 } }],
    ])('refuses %s at construction', (_name, options) => {
      expect(() => client(options)).toThrow();
    });

    it('never shows the secret or the token when inspected or serialised', () => {
      const hmacClient = client();
      const bearerClient = client({ auth: { type: 'bearer', token: 'tok-abc.def' } });
      for (const shown of [inspect(hmacClient, { depth: 5 }), JSON.stringify(hmacClient)]) {
        expect(shown).not.toContain(API_SECRET);
      }
      expect(inspect(bearerClient, { depth: 5 })).not.toContain('tok-abc.def');
      expect(JSON.stringify(bearerClient)).not.toContain('tok-abc.def');
    });

    it('defaults to api.solapi.com, a 10 s timeout and three attempts within 30 s', () => {
      const phone = new MemberPhoneClient({ auth: HMAC_AUTH });
      expect(phone.baseUrl).toBe('https://api.solapi.com');
      expect(phone.timeoutMs).toBe(10_000);
      expect(phone.retry).toMatchObject({ maxAttempts: 3, maxElapsedMs: 30_000, maxRetryAfterMs: 10_000 });
    });
  });
});

function closedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
