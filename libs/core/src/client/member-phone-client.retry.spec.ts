import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { type AddressInfo, type Socket } from 'node:net';
import { buildMember, mockMemberPhoneApi, type MemberPhoneApiMock } from '@member-phone/testing';
import { computeHmacSignature } from '../auth/hmac-signature';
import { parseAuthorizationHeader } from '../auth/parse-authorization';
import { MemberPhoneClient, type MemberPhoneClientOptions } from './member-phone-client';
import {
  MemberPhoneNetworkError,
  MemberPhoneSecondAuthRequiredError,
  MemberPhoneServiceError,
  MemberPhoneTimeoutError,
  type MemberPhoneError,
} from './member-phone-errors';
import { isMemberPhoneNetworkError } from './member-phone-error-guards';

const API_KEY = 'NCSAYU7YDBXYORXC';
const API_SECRET = 'retry-spec-secret';
const HMAC_AUTH = { type: 'hmac', apiKey: API_KEY, apiSecret: API_SECRET } as const;
// Small waits keep the suite quick; the jitter source is fixed so waits are known.
const FAST_RETRY = { baseDelayMs: 20, maxDelayMs: 100, random: () => 0.5 } as const;

function client(options: Partial<MemberPhoneClientOptions> = {}): MemberPhoneClient {
  return new MemberPhoneClient({ auth: HMAC_AUTH, retry: FAST_RETRY, ...options });
}

async function failure(promise: Promise<unknown>): Promise<MemberPhoneError> {
  try {
    await promise;
  } catch (error) {
    return error as MemberPhoneError;
  }
  throw new Error('expected the call to fail');
}

function signatureOf(authorization: string | undefined): { salt: string; date: string; valid: boolean } {
  const parsed = parseAuthorizationHeader(authorization);
  if (!parsed.ok || parsed.scheme !== 'hmac') throw new Error('expected an HMAC header');
  const { algorithm, date, salt, signature } = parsed.credentials;
  return { salt, date, valid: computeHmacSignature(algorithm, API_SECRET, date, salt) === signature };
}

describe('MemberPhoneClient retries (on the test kit)', () => {
  let api: MemberPhoneApiMock;
  beforeEach(() => {
    api = mockMemberPhoneApi();
  });
  afterEach(() => api.cleanup());

  it('retries a PUT answered 503 and signs the retry afresh: new salt, valid signature', async () => {
    api.updatePhoneNumberFails('ServiceUnavailable', { retryAfterSeconds: 0 });
    api.updatePhoneNumberSucceeds();
    const member = await client().updatePhoneNumber('010-1234-5678');
    expect(member).toEqual(buildMember({ phoneNumber: '01012345678' }));
    const sent = api.requests().map((r) => signatureOf(r.headers.authorization));
    expect(sent).toHaveLength(2);
    expect(sent.every((s) => s.valid)).toBe(true);
    expect(sent[0]?.salt).not.toBe(sent[1]?.salt);
    expect(api.requests().map((r) => r.body)).toEqual([
      { phoneNumber: '01012345678' },
      { phoneNumber: '01012345678' },
    ]);
    expect(api.isDone()).toBe(true);
  });

  it('retries a PUT whose connection was reset: after a lost answer the service says 200 (same number)', async () => {
    api.updatePhoneNumberNetworkError({ code: 'ECONNRESET', message: 'socket hang up' });
    api.updatePhoneNumberSucceeds();
    const sent: string[] = [];
    const countingFetch: typeof fetch = (input, init) => {
      sent.push(new Headers(init?.headers).get('authorization') ?? '');
      return fetch(input, init);
    };
    await expect(client({ fetch: countingFetch }).updatePhoneNumber('01012345678')).resolves.toMatchObject({
      phoneNumber: '01012345678',
    });
    expect(sent).toHaveLength(2);
    expect(sent.map((a) => signatureOf(a).valid)).toEqual([true, true]);
    expect(sent[0]).not.toBe(sent[1]);
    expect(api.isDone()).toBe(true);
  });

  it("retries a proxy's HTML 502 and a 504", async () => {
    api.updatePhoneNumberRespondsWith(502, '<html>Bad Gateway</html>', { 'content-type': 'text/html' });
    api.updatePhoneNumberRespondsWith(504, '', {});
    api.updatePhoneNumberSucceeds();
    await expect(client().updatePhoneNumber('01012345678')).resolves.toMatchObject({
      memberId: '18010100001000',
    });
    expect(api.requests().map((r) => r.method)).toEqual(['PUT', 'PUT', 'PUT']);
  });

  it('honours Retry-After: the retry waits as long as the service asked', async () => {
    api.getMemberFails('ServiceUnavailable', { retryAfterSeconds: 1 });
    api.getMemberSucceeds();
    const started = Date.now();
    await client().getMember();
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(api.requests()).toHaveLength(2);
  });

  it('gives up at once when Retry-After is longer than maxRetryAfterMs', async () => {
    api.getMemberFails('ServiceUnavailable', { retryAfterSeconds: 60 });
    api.getMemberSucceeds();
    const started = Date.now();
    const error = await failure(client({ retry: { ...FAST_RETRY, maxRetryAfterMs: 5000 } }).getMember());
    expect(error).toBeInstanceOf(MemberPhoneServiceError);
    expect(error).toMatchObject({ errorCode: 'ServiceUnavailable', retryAfterSeconds: 60, attempts: 1 });
    expect(Date.now() - started).toBeLessThan(5000);
    expect(api.requests()).toHaveLength(1);
  });

  it('stops after maxAttempts and reports how many requests it sent', async () => {
    api.getMemberFails('ServiceUnavailable', { retryAfterSeconds: 0, times: 3 });
    api.getMemberSucceeds();
    const error = await failure(client().getMember());
    expect(error).toBeInstanceOf(MemberPhoneServiceError);
    expect(error.attempts).toBe(3);
    expect(api.requests()).toHaveLength(3);
    expect(api.pending()).toHaveLength(1);
  });

  it('starts no retry whose wait would overrun maxElapsedMs', async () => {
    api.getMemberFails('ServiceUnavailable', { retryAfterSeconds: 2 });
    api.getMemberSucceeds();
    const started = Date.now();
    const error = await failure(client({ retry: { ...FAST_RETRY, maxElapsedMs: 1000 } }).getMember());
    expect(error).toMatchObject({ errorCode: 'ServiceUnavailable', attempts: 1 });
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it.each<[string, number]>([
    ['TooManyRequests', 429],
    ['Forbidden', 403],
    ['InternalError', 500],
  ])('never retries %s (%i)', async (code, status) => {
    api.getMemberFails(code as 'Forbidden');
    api.getMemberSucceeds();
    const error = await failure(client().getMember());
    expect(error).toMatchObject({ errorCode: code, status, attempts: 1 });
    expect(api.requests()).toHaveLength(1);
  });

  it('does not retry a PUT refused with SecondAuthRequired', async () => {
    api.updatePhoneNumberFails('SecondAuthRequired');
    api.updatePhoneNumberSucceeds();
    const error = await failure(client().updatePhoneNumber('01012345678'));
    expect(error).toBeInstanceOf(MemberPhoneSecondAuthRequiredError);
    expect(api.requests()).toHaveLength(1);
  });

  it('surfaces SecondAuthRequired met by a retry, saying it was the second attempt', async () => {
    api.updatePhoneNumberNetworkError({ code: 'ECONNRESET' });
    api.updatePhoneNumberFails('SecondAuthRequired');
    const error = await failure(client().updatePhoneNumber('01012345678'));
    expect(error).toBeInstanceOf(MemberPhoneSecondAuthRequiredError);
    expect(error.attempts).toBe(2);
  });

  it('does not retry the ARS start after the request may have reached the server', async () => {
    api.startArsVerificationFails('ServiceUnavailable', { retryAfterSeconds: 0 });
    api.startArsVerificationSucceeds();
    const error = await failure(client().startArsVerification('01012345678'));
    expect(error).toMatchObject({ errorCode: 'ServiceUnavailable', attempts: 1 });
    expect(api.requests()).toHaveLength(1);
  });

  it('retries the ARS start when the connection was refused (nothing was sent)', async () => {
    // The kit scripts network errors on the PUT only, so a fetch wrapper refuses the first POST
    // the way undici reports a refused connection, and lets the second one through to the kit.
    let calls = 0;
    const refusingFetch: typeof fetch = (input, init) => {
      calls += 1;
      if (calls === 1) {
        return Promise.reject(new TypeError('fetch failed', { cause: { code: 'ECONNREFUSED' } }));
      }
      return fetch(input, init);
    };
    api.startArsVerificationSucceeds({ code: '246810' });
    const started = await client({ fetch: refusingFetch }).startArsVerification('01012345678');
    expect(started.code).toBe('246810');
    expect(calls).toBe(2);
    expect(api.requests()).toHaveLength(1);
  });

  it('does not retry the ARS start after a reset connection', async () => {
    let calls = 0;
    const resettingFetch: typeof fetch = () => {
      calls += 1;
      return Promise.reject(new TypeError('fetch failed', { cause: { code: 'ECONNRESET' } }));
    };
    const error = await failure(client({ fetch: resettingFetch }).startArsVerification('01012345678'));
    expect(error).toBeInstanceOf(MemberPhoneNetworkError);
    expect(calls).toBe(1);
  });

  it("rejects with the caller's reason when aborted during the backoff wait", async () => {
    api.getMemberFails('ServiceUnavailable', { retryAfterSeconds: 5 });
    api.getMemberSucceeds();
    const controller = new AbortController();
    const reason = new Error('navigated away');
    setTimeout(() => controller.abort(reason), 100);
    const started = Date.now();
    const error = await failure(client().getMember({ signal: controller.signal }));
    expect(error).toBe(reason);
    expect(Date.now() - started).toBeLessThan(4000);
    expect(api.requests()).toHaveLength(1);
  });

  it('retries an attempt that timed out, and reports a timeout when every attempt does', async () => {
    api.getMemberSucceeds({}, { delayMs: 3000, times: 2 });
    const error = await failure(
      client({ timeoutMs: 50, retry: { ...FAST_RETRY, maxAttempts: 2 } }).getMember(),
    );
    expect(error).toBeInstanceOf(MemberPhoneTimeoutError);
    expect(error).toMatchObject({ timeoutMs: 50, attempts: 2 });
    expect(api.requests()).toHaveLength(2);
  });

  it('sends every call once with retry: false', async () => {
    api.getMemberFails('ServiceUnavailable', { retryAfterSeconds: 0 });
    api.getMemberSucceeds();
    const error = await failure(client({ retry: false }).getMember());
    expect(error).toMatchObject({ errorCode: 'ServiceUnavailable', attempts: 1 });
    expect(api.requests()).toHaveLength(1);
  });
});

// A real HTTP server on an ephemeral port: the kit fakes answers, this proves what real sockets do.
interface LocalServer {
  url: string;
  authorizations: string[];
  close(): Promise<void>;
}

async function localServer(
  handle: (request: IncomingMessage, response: ServerResponse, index: number) => void,
): Promise<LocalServer> {
  const authorizations: string[] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((request, response) => {
    authorizations.push(request.headers.authorization ?? '');
    request.resume();
    request.on('end', () => handle(request, response, authorizations.length - 1));
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    authorizations,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  response.end(JSON.stringify(body));
}

describe('MemberPhoneClient over a real socket', () => {
  let server: LocalServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('retries a PUT whose connection the server destroyed, never meeting DuplicatedSignature', async () => {
    const seen = new Set<string>();
    server = await localServer((request, response, index) => {
      const signature = signatureOf(request.headers.authorization);
      // What the service does with a signature it has seen: refuse it.
      if (seen.has(signature.salt))
        return sendJson(response, 403, { errorCode: 'DuplicatedSignature', errorMessage: 'x' });
      seen.add(signature.salt);
      if (index === 0) return request.socket.destroy();
      return sendJson(response, 200, buildMember({ phoneNumber: '01012345678' }));
    });
    const member = await client({ baseUrl: server.url }).updatePhoneNumber('01012345678');
    expect(member.phoneNumber).toBe('01012345678');
    expect(server.authorizations).toHaveLength(2);
    expect(server.authorizations.map((a) => signatureOf(a).valid)).toEqual([true, true]);
    expect(new Set(server.authorizations).size).toBe(2);
  });

  it('gives the same error class for a destroyed socket as for nock’s replyWithError', async () => {
    server = await localServer((request) => request.socket.destroy());
    const fromSocket = await failure(client({ baseUrl: server.url, retry: false }).getMember());

    const api = mockMemberPhoneApi();
    try {
      api.updatePhoneNumberNetworkError({ code: 'ECONNRESET', message: 'socket hang up' });
      const fromNock = await failure(client({ retry: false }).updatePhoneNumber('01012345678'));
      expect(fromSocket).toBeInstanceOf(MemberPhoneNetworkError);
      expect(fromNock).toBeInstanceOf(MemberPhoneNetworkError);
      expect(fromSocket.constructor).toBe(fromNock.constructor);
      expect([isMemberPhoneNetworkError(fromSocket), isMemberPhoneNetworkError(fromNock)]).toEqual([
        true,
        true,
      ]);
      expect((fromSocket as MemberPhoneNetworkError).code).toEqual(expect.any(String));
      expect((fromNock as MemberPhoneNetworkError).code).toBe('ECONNRESET');
    } finally {
      api.cleanup();
    }
  });

  it('gives up on a server that keeps destroying connections after maxAttempts', async () => {
    server = await localServer((request) => request.socket.destroy());
    const error = await failure(client({ baseUrl: server.url }).getMember());
    expect(error).toBeInstanceOf(MemberPhoneNetworkError);
    expect(error.attempts).toBe(3);
    expect(server.authorizations).toHaveLength(3);
  });

  it('times out with native fetch against a server that never answers', async () => {
    server = await localServer(() => undefined);
    const started = Date.now();
    const error = await failure(client({ baseUrl: server.url, timeoutMs: 100, retry: false }).getMember());
    expect(error).toBeInstanceOf(MemberPhoneTimeoutError);
    expect(error).toMatchObject({ timeoutMs: 100, attempts: 1 });
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('aborts a native fetch in flight with the caller’s reason', async () => {
    server = await localServer(() => undefined);
    const controller = new AbortController();
    const reason = new Error('cancelled by the user');
    setTimeout(() => controller.abort(reason), 100);
    const error = await failure(client({ baseUrl: server.url }).getMember({ signal: controller.signal }));
    expect(error).toBe(reason);
    expect(server.authorizations).toHaveLength(1);
  });
});
