import { type Member } from '@member-phone/core';
import request from 'supertest';

import { MembersService } from '../src/members/members.service';
import { snapshotDatabase } from './support/db-snapshot';
import { type AnswerLike, expectCatalogError, GENERATED_REQUEST_ID } from './support/http-expect';
import { rawExchange } from './support/raw-http';
import { startTestApp, type TestApp, type TestMember } from './support/test-app';

const PUT_PATH = '/users/v1/member/phone-number';
const CURRENT_NUMBER = '01012345678';

describe('Error answers of the real app over HTTP', () => {
  let t: TestApp;
  let m: TestMember;
  let token: string;

  beforeAll(async () => {
    t = await startTestApp();
    m = await t.createMember({ phoneNumber: CURRENT_NUMBER });
    token = `Bearer ${await m.bearer()}`;
  });
  afterAll(() => t.close());

  const server = () => t.app.getHttpServer();

  /** PUTs a raw body with the given content type through fetch, so nothing rewrites either. */
  const rawPut = (body: string | Uint8Array | undefined, contentType: string | undefined) => {
    const headers: Record<string, string> = { authorization: token };
    if (contentType !== undefined) headers['content-type'] = contentType;
    return fetch(`${t.baseUrl}${PUT_PATH}`, {
      method: 'PUT',
      headers,
      ...(body === undefined ? {} : { body }),
    });
  };
  /** Reads a fetch answer into the shape `expectCatalogError` takes. */
  const asResponse = async (res: globalThis.Response): Promise<AnswerLike> => ({
    status: res.status,
    text: await res.text(),
    headers: Object.fromEntries(res.headers.entries()),
  });

  describe('refuses every malformed body on the PUT with ValidationError and writes nothing', () => {
    it.each([
      ['malformed JSON', '{phoneNumber: "01000000000"}'],
      ['truncated JSON', '{"phoneNumber":"01000000000"'],
      ['an empty body', ''],
      ['a body of whitespace', '  \n '],
      ['an array', '["01000000000"]'],
      ['null', 'null'],
      ['a JSON string', '"01000000000"'],
      ['a JSON number', '1000000000'],
      ['a JSON boolean', 'true'],
      ['an empty object', '{}'],
      ['an extra field', '{"phoneNumber":"01000000000","name":"x"}'],
      ['only an unknown field', '{"phone":"01000000000"}'],
      ['phoneNumber as a number', '{"phoneNumber":1000000000}'],
      ['phoneNumber as null', '{"phoneNumber":null}'],
      ['phoneNumber as an array', '{"phoneNumber":["01000000000"]}'],
      ['phoneNumber as an object', '{"phoneNumber":{"value":"01000000000"}}'],
      ['a __proto__ key', '{"__proto__":{"phoneNumber":"01000000000"}}'],
      ['a __proto__ key beside the field', '{"phoneNumber":"01000000000","__proto__":{"isAdmin":true}}'],
      ['a constructor.prototype key', '{"constructor":{"prototype":{"phoneNumber":"01000000000"}}}'],
    ])('%s', async (_name, body) => {
      const before = await snapshotDatabase(t);
      const res = await asResponse(await rawPut(body, 'application/json'));
      expectCatalogError(res, 'ValidationError');
      expect(await snapshotDatabase(t)).toEqual(before);
      expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
    });
  });

  describe('refuses a string that is not a Korean mobile number with InvalidPhoneNumber and writes nothing', () => {
    it.each([
      ['an internet phone (070)', '070-1234-5678'],
      ['a personal number (0505)', '0505-123-4567'],
      ['a Seoul landline (02)', '02-1234-5678'],
      ['a service number (1588)', '1588-1234'],
      ['a pager (015)', '015-123-4567'],
      ['a 010 number one digit short', '010-123-4567'],
      ['an empty string', ''],
      ['letters', '010-abcd-5678'],
      ['full-width digits', '０１０１２３４５６７８'],
      ['a zero-width space', '010\u200b12345678'],
      ['surrounding spaces', ' 01012345678 '],
      ['a tel: URI', 'tel:+821012345678'],
      ['an extension', '010-1234-5678 ext. 12'],
      ['a # extension', '01012345678#12'],
      ['mixed separators', '010-1234 5678'],
      ['+82 with the trunk zero', '+82 010-1234-5678'],
      ['another country', '+1 202-555-0100'],
    ])('%s', async (_name, phoneNumber) => {
      const before = await snapshotDatabase(t);
      const res = await request(server()).put(PUT_PATH).set('Authorization', token).send({ phoneNumber });
      expectCatalogError(res, 'InvalidPhoneNumber');
      expect(await snapshotDatabase(t)).toEqual(before);
    });
  });

  describe('accepts only application/json', () => {
    it.each([
      ['text/plain', 'text/plain'],
      ['form-urlencoded', 'application/x-www-form-urlencoded'],
      ['multipart', 'multipart/form-data; boundary=x'],
      ['a JSON-like vendor type', 'application/vnd.api+json'],
      ['a JSON prefix', 'application/jsonp'],
    ])('answers 415 UnsupportedMediaType for %s and writes nothing', async (_name, contentType) => {
      const before = await snapshotDatabase(t);
      const res = await asResponse(
        await rawPut(JSON.stringify({ phoneNumber: CURRENT_NUMBER }), contentType),
      );
      expectCatalogError(res, 'UnsupportedMediaType');
      expect(await snapshotDatabase(t)).toEqual(before);
    });

    it('answers 415 for a body without any content type', async () => {
      const before = await snapshotDatabase(t);
      const body = new TextEncoder().encode(JSON.stringify({ phoneNumber: CURRENT_NUMBER }));
      const res = await asResponse(await rawPut(body, undefined));
      expectCatalogError(res, 'UnsupportedMediaType');
      expect(await snapshotDatabase(t)).toEqual(before);
    });

    it.each(['gzip', 'deflate, gzip', 'br'])(
      'answers 415 for a JSON body with Content-Encoding %s',
      async (encoding) => {
        const before = await snapshotDatabase(t);
        const res = await asResponse(
          await fetch(`${t.baseUrl}${PUT_PATH}`, {
            method: 'PUT',
            headers: {
              authorization: token,
              'content-type': 'application/json',
              'content-encoding': encoding,
            },
            body: JSON.stringify({ phoneNumber: CURRENT_NUMBER }),
          }),
        );
        expectCatalogError(res, 'UnsupportedMediaType');
        expect(await snapshotDatabase(t)).toEqual(before);
      },
    );

    it('answers 415 for a PUT with neither body nor content type', async () => {
      const before = await snapshotDatabase(t);
      const res = await asResponse(await rawPut(undefined, undefined));
      expectCatalogError(res, 'UnsupportedMediaType');
      expect(await snapshotDatabase(t)).toEqual(before);
    });

    it.each(['application/json; charset=utf-8', 'application/json;charset=UTF-8', 'Application/JSON'])(
      'serves %s',
      async (contentType) => {
        const before = await snapshotDatabase(t);
        const res = await rawPut(JSON.stringify({ phoneNumber: '010-1234-5678' }), contentType);
        expect(res.status).toBe(200);
        expect(((await res.json()) as Member).phoneNumber).toBe(CURRENT_NUMBER);
        expect(res.headers.get('x-request-id')).toMatch(GENERATED_REQUEST_ID);
        // The same number: nothing to change, nothing to audit.
        expect(await snapshotDatabase(t)).toEqual(before);
      },
    );
  });

  it('answers 413 PayloadTooLarge for a body over the limit and writes nothing', async () => {
    const before = await snapshotDatabase(t);
    const body = JSON.stringify({ phoneNumber: '0'.repeat(t.config.http.bodyLimitBytes + 1) });
    const res = await asResponse(await rawPut(body, 'application/json'));
    expectCatalogError(res, 'PayloadTooLarge');
    expect(await snapshotDatabase(t)).toEqual(before);
  });

  describe('answers routes that do not exist in the catalog shape, never with a 500', () => {
    it.each(['/docs/../package.json', '/docs/%2e%2e/package.json', '/docs/..%2f..%2fpackage.json'])(
      'answers a path escaping the docs folder (%s) with 404 ResourceNotFound',
      async (path) => {
        const res = await rawExchange(
          t.baseUrl,
          `GET ${path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`,
        );
        expectCatalogError(res, 'ResourceNotFound');
      },
    );

    it.each([
      ['GET', '/nope'],
      ['GET', '/users/v1/member/'],
      ['PUT', '/users/v1/member/phone-number/'],
      ['PUT', '/users/v2/member/phone-number'],
      ['GET', PUT_PATH],
      ['POST', PUT_PATH],
      ['PATCH', PUT_PATH],
      ['DELETE', PUT_PATH],
      ['DELETE', '/users/v1/member'],
      ['PUT', '/users/v1/member/phone-number/ars'],
    ])('%s %s → 404 ResourceNotFound', async (method, path) => {
      const before = await snapshotDatabase(t);
      const res = await request(server())
        [method.toLowerCase() as 'get'](path)
        .set('Authorization', token)
        .set('Content-Type', 'application/json')
        .send(method === 'GET' ? undefined : JSON.stringify({ phoneNumber: '01000000000' }));
      expectCatalogError(res, 'ResourceNotFound');
      expect(await snapshotDatabase(t)).toEqual(before);
    });

    it('answers OPTIONS (no CORS pre-flight is served) with 404 ResourceNotFound', async () => {
      const res = await request(server())
        .options(PUT_PATH)
        .set('Origin', 'https://example.com')
        .set('Access-Control-Request-Method', 'PUT');
      expectCatalogError(res, 'ResourceNotFound');
      expect(res.headers['access-control-allow-origin']).toBeUndefined();
    });
  });

  describe('requests refused before any route is chosen', () => {
    it('answers a method Fastify has no route for (PROPFIND) with 404 ResourceNotFound', async () => {
      const res = await rawExchange(
        t.baseUrl,
        `PROPFIND /users/v1/member HTTP/1.1\r\nHost: x\r\nAuthorization: ${token}\r\nConnection: close\r\n\r\n`,
      );
      expectCatalogError(res, 'ResourceNotFound');
    });

    // Refused before routing (frameworkErrors) or by Node's HTTP parser (clientErrorHandler).
    it.each([
      ['a path that cannot be decoded', 'GET /%ZZ HTTP/1.1', 'ResourceNotFound'],
      [
        'an ARS id over the router limit',
        `GET ${'/users/v1/member/phone-number/ars/'}${'x'.repeat(201)} HTTP/1.1`,
        'ResourceNotFound',
      ],
    ] as const)('answers %s in the catalog shape', async (_name, requestLine, code) => {
      const res = await rawExchange(
        t.baseUrl,
        `${requestLine}\r\nHost: x\r\nAuthorization: ${token}\r\nConnection: close\r\n\r\n`,
      );
      expectCatalogError(res, code);
      expect(res.headers['x-request-id']).toMatch(GENERATED_REQUEST_ID);
    });

    it('routes a request without a Host header instead of leaving Node to answer a bare 400', async () => {
      const missing = await rawExchange(t.baseUrl, `GET /nope HTTP/1.1\r\nConnection: close\r\n\r\n`);
      expectCatalogError(missing, 'ResourceNotFound');
      const health = await rawExchange(t.baseUrl, `GET /health HTTP/1.1\r\nConnection: close\r\n\r\n`);
      expect([health.status, JSON.parse(health.text)]).toEqual([200, { status: 'ok' }]);
    });

    it.each([
      ['an unknown method', 'FOO / HTTP/1.1\r\nHost: x\r\n\r\n'],
      ['a header line without a colon', 'GET /users/v1/member HTTP/1.1\r\nHost: x\r\nBroken\r\n\r\n'],
      [
        'both Content-Length and Transfer-Encoding',
        `PUT ${PUT_PATH} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n`,
      ],
      [
        'headers over 16 KiB',
        `GET /users/v1/member HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`,
      ],
    ])('answers a request the HTTP parser refuses (%s) with 400 ValidationError', async (_name, bytes) => {
      const res = await rawExchange(t.baseUrl, bytes);
      expectCatalogError(res, 'ValidationError');
      expect(res.headers['x-request-id']).toMatch(GENERATED_REQUEST_ID);
    });
  });

  describe('HEAD', () => {
    it('serves HEAD of a GET route with its headers and no body', async () => {
      const res = await request(server()).head('/users/v1/member').set('Authorization', token);
      expect(res.status).toBe(200);
      expect(res.text ?? '').toBe('');
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expect(res.headers['x-request-id']).toMatch(GENERATED_REQUEST_ID);
    });

    it('refuses HEAD without credentials with 401, the challenge and no body', async () => {
      const res = await request(server()).head('/users/v1/member');
      expect(res.status).toBe(401);
      expect(res.text ?? '').toBe('');
      expect(res.headers['www-authenticate']).toMatch(/^HMAC-SHA256 realm=.*, Bearer realm=/);
      expect(res.headers['x-request-id']).toMatch(GENERATED_REQUEST_ID);
    });
  });

  describe('messages', () => {
    it.each([
      ['en', 'en'],
      ['en-US,en;q=0.9,ko;q=0.5', 'en'],
      ['ko-KR', 'ko'],
      ['fr', 'ko'],
    ] as const)('answers Accept-Language %s in %s', async (acceptLanguage, language) => {
      const invalid = await request(server())
        .put(PUT_PATH)
        .set('Authorization', token)
        .set('Accept-Language', acceptLanguage)
        .send({ phoneNumber: '070-1234-5678' });
      expectCatalogError(invalid, 'InvalidPhoneNumber', language);
      const unauthorized = await request(server())
        .put(PUT_PATH)
        .set('Accept-Language', acceptLanguage)
        .send({ phoneNumber: '01000000000' });
      expectCatalogError(unauthorized, 'Unauthorized', language);
      const notFound = await request(server()).get('/nope').set('Accept-Language', acceptLanguage);
      expectCatalogError(notFound, 'ResourceNotFound', language);
    });
  });

  describe('request ids', () => {
    it('echoes a safe request id the client sends, on success and on error, and logs with it', async () => {
      const ok = await request(server())
        .get('/users/v1/member')
        .set('Authorization', token)
        .set('X-Request-Id', 'gateway-trace:0001.a_b');
      expect(ok.status).toBe(200);
      expect(ok.headers['x-request-id']).toBe('gateway-trace:0001.a_b');

      const refused = await request(server())
        .put(PUT_PATH)
        .set('X-Request-Id', 'gateway-trace-0002')
        .send({ phoneNumber: '01000000000' });
      expectCatalogError(refused, 'Unauthorized');
      expect(refused.headers['x-request-id']).toBe('gateway-trace-0002');
      const access = t.logs.lines
        .map((line) => JSON.parse(line) as { reqId?: string; msg?: string; status?: number })
        .find((line) => line.reqId === 'gateway-trace-0002' && line.msg === 'request');
      expect(access).toMatchObject({ status: 401 });
    });

    it.each([
      ['too short', 'Zq-7'],
      ['too long', 'a'.repeat(129)],
      ['with spaces', 'has spaces in it'],
      ['with markup', '<script>alert(1)</script>'],
      ['with a quote', 'trace"0001x'],
      ['non-ASCII', 'trace-é-00001'],
    ])('replaces an unsafe request id (%s) with its own', async (_name, unsafe) => {
      const res = await request(server())
        .get('/users/v1/member')
        .set('Authorization', token)
        .set('X-Request-Id', unsafe);
      expect(res.status).toBe(200);
      expect(res.headers['x-request-id']).toMatch(GENERATED_REQUEST_ID);
      expect(t.logs.text).not.toContain(unsafe);
    });

    it('puts a request id on every kind of answer', async () => {
      const answers = await Promise.all([
        request(server()).get('/health'),
        request(server()).get('/nope'),
        request(server()).put(PUT_PATH).send({ phoneNumber: '01000000000' }),
        request(server()).put(PUT_PATH).set('Authorization', token).send({ phoneNumber: '1588' }),
      ]);
      for (const res of answers) expect(res.headers['x-request-id']).toMatch(GENERATED_REQUEST_ID);
      expect(new Set(answers.map((res) => res.headers['x-request-id'])).size).toBe(answers.length);
    });
  });

  describe('a bug inside a handler', () => {
    it('answers 500 InternalError without any detail and logs the error with the request id', async () => {
      jest
        .spyOn(t.app.get(MembersService), 'updatePhoneNumber')
        .mockRejectedValue(new TypeError('kaboom: internal detail no client may see'));
      const before = await snapshotDatabase(t);
      const res = await request(server())
        .put(PUT_PATH)
        .set('Authorization', token)
        .set('X-Request-Id', 'bug-trace-00001')
        .send({ phoneNumber: '01000000000' });
      expectCatalogError(res, 'InternalError');
      expect(res.text).not.toMatch(/kaboom|TypeError|stack|members\.service/);
      expect(res.headers['x-request-id']).toBe('bug-trace-00001');
      expect(await snapshotDatabase(t)).toEqual(before);

      const raw = t.logs.lines.filter(
        (line) => line.includes('"level":50') && line.includes('bug-trace-00001'),
      );
      expect(raw).toHaveLength(1);
      // Exactly once: a repeated JSON key is refused by log stores such as Elasticsearch.
      expect(raw[0]!.split('"reqId":"bug-trace-00001"')).toHaveLength(2);
      const logged = JSON.parse(raw[0]!) as { reqId?: string; msg?: string; err?: { message?: string } };
      expect(logged).toMatchObject({ reqId: 'bug-trace-00001', msg: 'unhandled error' });
      expect(logged.err?.message).toBe('kaboom: internal detail no client may see');
    });

    it('answers a bug in English when asked', async () => {
      jest.spyOn(t.app.get(MembersService), 'getMember').mockImplementation(() => {
        throw new RangeError('boom');
      });
      const res = await request(server())
        .get('/users/v1/member')
        .set('Authorization', token)
        .set('Accept-Language', 'en');
      expectCatalogError(res, 'InternalError', 'en');
    });
  });
});
