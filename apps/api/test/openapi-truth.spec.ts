// Each fact the committed document states about an error or a method, checked against what the
// running production app really answers: a document that drifts from the service fails here.
import { readFileSync } from 'node:fs';

import { errorBody } from '@member-phone/core';
import type { OpenAPIObject } from '@nestjs/swagger';
import request from 'supertest';

import { schemaValidator } from '../src/common/openapi/testing/openapi-checks';
import { OPENAPI_CONTRACT_FILE } from '../src/docs/openapi-contract';
import { ShutdownState } from '../src/health/shutdown.state';
import { signTelephonyPayload, TELEPHONY_SIGNATURE_HEADER } from '../src/telephony/telephony-signature';
import { startTestApp, type TestApp } from './support/test-app';

interface Header {
  schema?: { type?: string; example?: unknown };
}
interface Response {
  description: string;
  headers?: Record<string, Header>;
  content?: Record<string, { schema?: unknown; examples?: Record<string, { value: unknown }> }>;
}
interface Operation {
  operationId?: string;
  responses: Record<string, Response>;
}
type Method = 'get' | 'head' | 'post' | 'put';

const TELEPHONY_SECRET = 'a-telephony-secret-of-at-least-32-characters';
const PRODUCTION_ENV = {
  NODE_ENV: 'production',
  TELEPHONY_CALL_URL: 'https://telephony.invalid/calls',
  TELEPHONY_SECRET,
};
const EVENTS_PATH = '/telephony/v1/events';
const SOME_ID = 'd0c5d0c5-0000-4000-8000-000000000000';

const committed = JSON.parse(readFileSync(OPENAPI_CONTRACT_FILE, 'utf8')) as OpenAPIObject;
const operations = Object.entries(committed.paths as Record<string, Record<string, Operation>>).flatMap(
  ([path, item]) =>
    Object.entries(item).map(([method, operation]) => ({ path, method: method as Method, operation })),
);

function documented(path: string, method: Method, status: number): Response {
  const response = (committed.paths as Record<string, Record<string, Operation>>)[path]?.[method]?.responses[
    String(status)
  ];
  if (!response) throw new Error(`the document has no ${status} for ${method.toUpperCase()} ${path}`);
  return response;
}

/** The documented example body of an error code under a status. */
function documentedExample(path: string, method: Method, status: number, code: string): unknown {
  return documented(path, method, status).content?.['application/json']?.examples?.[code]?.value;
}

function call(t: TestApp, method: Method, path: string) {
  const url = path.replace(/\{[^}]+\}/g, SOME_ID);
  const pending = request(t.app.getHttpServer())[method](url);
  return method === 'post' || method === 'put' ? pending.send({}) : pending;
}

describe('503 ServiceUnavailable, documented against a draining production app', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ env: PRODUCTION_ENV, listen: false });
    t.app.get(ShutdownState).draining = true;
  });
  afterAll(async () => {
    t.app.get(ShutdownState).draining = false;
    await t.close();
  });

  it('documents every operation, HEAD included', () => {
    expect(operations.map((o) => `${o.method} ${o.path}`)).toEqual(
      expect.arrayContaining(['get /health', 'get /ready', `post ${EVENTS_PATH}`, 'head /users/v1/member']),
    );
  });

  it.each(operations.map((o) => [`${o.method.toUpperCase()} ${o.path}`, o] as const))(
    '%s answers 503 with the documented Retry-After and body',
    async (_name, { path, method }) => {
      const res = await call(t, method, path);
      expect(res.status).toBe(503);
      const response = documented(path, method, 503);
      const retryAfter = response.headers?.['Retry-After']?.schema;
      expect(retryAfter?.type).toBe('integer');
      expect(res.headers['retry-after']).toBe(String(retryAfter?.example));
      if (method === 'head') {
        expect(res.text ?? '').toBe('');
        expect(response.content).toBeUndefined();
      } else {
        expect(res.body).toEqual(errorBody('ServiceUnavailable'));
        expect(documentedExample(path, method, 503, 'ServiceUnavailable')).toEqual(res.body);
      }
    },
  );

  it.each(['/ready', '/health'])(
    'documents the 503 of %s with the error body schema the real body satisfies',
    async (path) => {
      const res = await request(t.app.getHttpServer()).get(path);
      expect(res.status).toBe(503);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      const schema = documented(path, 'get', 503).content?.['application/json']?.schema;
      expect(schema).toEqual({ $ref: '#/components/schemas/ErrorBodyResponse' });
      const validate = schemaValidator(committed).compile(schema);
      expect({ valid: validate(res.body), body: res.body }).toEqual({
        valid: true,
        body: { errorCode: 'ServiceUnavailable', errorMessage: expect.any(String) },
      });
    },
  );
});

describe(`POST ${EVENTS_PATH}, documented against the production app`, () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ env: PRODUCTION_ENV, listen: false });
  });
  afterAll(() => t.close());

  const post = (body: string, signature?: string) => {
    const pending = request(t.app.getHttpServer()).post(EVENTS_PATH).set('Content-Type', 'application/json');
    return (signature ? pending.set(TELEPHONY_SIGNATURE_HEADER, signature) : pending).send(body);
  };

  it('answers an unsigned event 401 without WWW-Authenticate, and documents no such header', async () => {
    const res = await post(JSON.stringify({ type: 'keypad', callId: SOME_ID, digits: '123456' }));
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toBeUndefined();
    expect(documented(EVENTS_PATH, 'post', 401).headers).toBeUndefined();
    expect(documentedExample(EVENTS_PATH, 'post', 401, 'Unauthorized')).toEqual(res.body);
  });

  it('answers an unsigned body that is not JSON 401, as the 401 description says', async () => {
    const res = await post('{');
    expect(res.status).toBe(401);
    expect(documentedExample(EVENTS_PATH, 'post', 401, 'Unauthorized')).toEqual(res.body);
    expect(documented(EVENTS_PATH, 'post', 401).description).toContain('401 even when it is not JSON');
  });

  it('answers a signed body that is not JSON 400 ValidationError, as documented', async () => {
    const res = await post('{', signTelephonyPayload(TELEPHONY_SECRET, '{', Date.now()));
    expect(res.status).toBe(400);
    expect(documentedExample(EVENTS_PATH, 'post', 400, 'ValidationError')).toEqual(res.body);
  });

  it('answers a 20 KB body 413 PayloadTooLarge, as documented', async () => {
    const body = JSON.stringify({ type: 'keypad', callId: SOME_ID, digits: '1'.repeat(20 * 1024) });
    const res = await post(body);
    expect(res.status).toBe(413);
    expect(documentedExample(EVENTS_PATH, 'post', 413, 'PayloadTooLarge')).toEqual(res.body);
  });
});

describe('HEAD on GET routes, documented against the production app', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ env: PRODUCTION_ENV, listen: false });
  });
  afterAll(() => t.close());

  const gets = operations.filter((o) => o.method === 'get');

  it('documents a HEAD twin, without bodies, for every GET operation', () => {
    expect(gets.length).toBeGreaterThanOrEqual(4);
    for (const { path, operation } of gets) {
      const head = (committed.paths as Record<string, Record<string, Operation>>)[path]?.head;
      expect({ path, statuses: Object.keys(head?.responses ?? {}) }).toEqual({
        path,
        statuses: Object.keys(operation.responses),
      });
      expect(head?.operationId).toBe(`${operation.operationId}Head`);
      for (const response of Object.values(head?.responses ?? {})) expect(response.content).toBeUndefined();
    }
  });

  it.each(['/health', '/ready'])('answers HEAD %s 200 with no body, as documented', async (path) => {
    const res = await request(t.app.getHttpServer()).head(path);
    expect(res.status).toBe(200);
    expect(res.text ?? '').toBe('');
    expect(documented(path, 'head', 200).content).toBeUndefined();
  });

  it('answers HEAD of the member 401 with the documented challenge, and 200 with credentials', async () => {
    const refused = await request(t.app.getHttpServer()).head('/users/v1/member');
    expect(refused.status).toBe(401);
    expect(refused.headers['www-authenticate']).toBe(
      documented('/users/v1/member', 'head', 401).headers?.['WWW-Authenticate']?.schema?.example,
    );
    const member = await t.createMember();
    const served = await request(t.app.getHttpServer())
      .head('/users/v1/member')
      .set('Authorization', member.hmac());
    expect(served.status).toBe(200);
    expect(served.text ?? '').toBe('');
    expect(documented('/users/v1/member', 'head', 200).content).toBeUndefined();
  });
});
