import { readFileSync } from 'node:fs';

import {
  ERROR_CATALOG,
  ERROR_CODES,
  errorBody,
  type ErrorCode,
  OPERATION_ERROR_CODES,
  WWW_AUTHENTICATE_CHALLENGE,
} from '@member-phone/core';
import type { OpenAPIObject } from '@nestjs/swagger';
import request from 'supertest';

import { formatOpenApiJson, schemaValidator, seedSample } from '../src/common/openapi/testing/openapi-checks';
import { buildContractDocument, OPENAPI_CONTRACT_FILE } from '../src/docs/openapi-contract';
import { DEV_KEYPAD_PATH } from '../src/docs/openapi-document';
import { startTestApp, type TestApp } from './support/test-app';

interface MediaType {
  schema?: unknown;
  examples?: Record<string, { value: unknown }>;
}
interface Operation {
  operationId?: string;
  security?: Record<string, string[]>[];
  requestBody?: { content: Record<string, MediaType> };
  responses: Record<string, { headers?: Record<string, unknown>; content?: Record<string, MediaType> }>;
}
type Paths = Record<string, Record<string, Operation>>;

const PRODUCTION_ENV = {
  NODE_ENV: 'production',
  TELEPHONY_CALL_URL: 'https://telephony.invalid/calls',
  TELEPHONY_SECRET: 'a-telephony-secret-of-at-least-32-characters',
};

/** JSON pointers where two JSON values differ, the first few: enough to tell what changed. */
function differences(a: unknown, b: unknown, pointer = '', found: string[] = []): string[] {
  if (found.length >= 15) return found;
  if (JSON.stringify(a) === JSON.stringify(b)) return found;
  const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object';
  if (!isObject(a) || !isObject(b) || Array.isArray(a) !== Array.isArray(b)) {
    found.push(pointer || '/');
    return found;
  }
  for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
    differences(a[key], b[key], `${pointer}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`, found);
  }
  return found;
}

function operations(document: { paths: unknown }): { path: string; method: string; operation: Operation }[] {
  return Object.entries(document.paths as Paths).flatMap(([path, item]) =>
    Object.entries(item).map(([method, operation]) => ({ path, method, operation })),
  );
}

/** Every documented error code of an operation, with the status it is listed under and its example. */
function documentedErrors(operation: Operation) {
  return Object.entries(operation.responses)
    .filter(([status]) => Number(status) >= 400)
    .flatMap(([status, response]) =>
      Object.entries(response.content?.['application/json']?.examples ?? {}).map(([code, example]) => ({
        code,
        status: Number(status),
        example: example.value,
      })),
    );
}

describe('apps/api/openapi.json, the committed OpenAPI contract', () => {
  const committedText = readFileSync(OPENAPI_CONTRACT_FILE, 'utf8');
  const committed = JSON.parse(committedText) as OpenAPIObject;
  let generated: OpenAPIObject;

  beforeAll(async () => {
    generated = JSON.parse(JSON.stringify(await buildContractDocument())) as OpenAPIObject;
  });

  it('is exactly what `npm run openapi:export` writes for the production app of this source tree', () => {
    const changed = differences(committed, generated);
    if (changed.length > 0) {
      throw new Error(
        `apps/api/openapi.json is out of date: run \`npm run openapi:export\` and commit it. ` +
          `It differs at:\n  ${changed.join('\n  ')}`,
      );
    }
    expect(committedText).toBe(formatOpenApiJson(generated));
  });

  it('is the document the production app serves at /docs-json', async () => {
    const t = await startTestApp({ env: PRODUCTION_ENV, listen: false });
    try {
      const served = await request(t.app.getHttpServer()).get('/docs-json').expect(200);
      expect(differences(served.body, committed)).toEqual([]);
    } finally {
      await t.close();
    }
  });

  it('is, in development, the served document minus only the simulated keypad route and its tag', async () => {
    const t = await startTestApp({ listen: false });
    try {
      const served = (await request(t.app.getHttpServer()).get('/docs-json').expect(200))
        .body as OpenAPIObject;
      expect(Object.keys(served.paths[DEV_KEYPAD_PATH] ?? {})).toEqual(['post']);
      const withoutDevelopment = {
        ...served,
        paths: Object.fromEntries(Object.entries(served.paths).filter(([path]) => path !== DEV_KEYPAD_PATH)),
        tags: served.tags?.filter((tag) => tag.name !== 'Development'),
        components: {
          ...served.components,
          schemas: Object.fromEntries(
            Object.entries(served.components?.schemas ?? {}).filter(
              ([name]) => !['DevKeypadDto', 'SimulatedKeypadResponse'].includes(name),
            ),
          ),
        },
      };
      expect(differences(withoutDevelopment, committed)).toEqual([]);
      expect(committed.paths[DEV_KEYPAD_PATH]).toBeUndefined();
    } finally {
      await t.close();
    }
  });

  it.each(Object.keys(OPERATION_ERROR_CODES))(
    'lists on %s exactly its OPERATION_ERROR_CODES, each under its catalog status with the catalog body as example',
    (operationId) => {
      const found = operations(committed).filter((o) => o.operation.operationId === operationId);
      expect(found).toHaveLength(1);
      const errors = documentedErrors(found[0]!.operation);
      expect(errors.map((e) => e.code).sort()).toEqual(
        [...OPERATION_ERROR_CODES[operationId as keyof typeof OPERATION_ERROR_CODES]].sort(),
      );
      for (const { code, status, example } of errors) {
        expect({ code, status, example }).toEqual({
          code,
          status: ERROR_CATALOG[code as ErrorCode].status,
          example: errorBody(code as ErrorCode),
        });
      }
    },
  );

  it('documents every code of the catalog on at least one route', () => {
    const documented = new Set(
      operations(committed).flatMap((o) => documentedErrors(o.operation).map((e) => e.code)),
    );
    expect(ERROR_CODES.filter((code) => !documented.has(code))).toEqual([]);
  });

  it('documents the WWW-Authenticate challenge of every 401 but the signed telephony events’, and the Retry-After of every 429 and 503', () => {
    const answers = operations(committed).flatMap(({ path, method, operation }) =>
      Object.entries(operation.responses).map(([status, response]) => ({
        at: `${method} ${path}`,
        status,
        response,
      })),
    );
    const telephony = 'post /telephony/v1/events';
    const unauthorized = answers.filter((a) => a.status === '401' && a.at !== telephony);
    const tooMany = answers.filter((a) => ['429', '503'].includes(a.status));
    expect(answers.find((a) => a.status === '401' && a.at === telephony)?.response.headers).toBeUndefined();
    expect(unauthorized.length).toBeGreaterThan(0);
    expect(tooMany.length).toBeGreaterThan(0);
    for (const { at, response } of unauthorized) {
      expect({ at, header: response.headers?.['WWW-Authenticate'] }).toEqual({
        at,
        header: expect.objectContaining({ schema: { type: 'string', example: WWW_AUTHENTICATE_CHALLENGE } }),
      });
    }
    for (const { at, response } of tooMany) {
      expect({ at, header: response.headers?.['Retry-After'] }).toEqual({
        at,
        header: expect.objectContaining({ schema: expect.objectContaining({ type: 'integer' }) }),
      });
    }
  });

  describe('the seed document’s samples (docs/api/update-member-phone-number.md), checked by ajv', () => {
    const put = () => {
      const found = operations(committed).find((o) => o.operation.operationId === 'updatePhoneNumber');
      if (!found) throw new Error('no updatePhoneNumber operation');
      return found.operation;
    };
    const bodySchema = () => put().requestBody?.content['application/json']?.schema;
    const okSchema = () => put().responses['200']?.content?.['application/json']?.schema;

    it('accepts the sample request as the PUT body, and nothing with another field or a wrong type', () => {
      const validate = schemaValidator(committed).compile(bodySchema());
      const sample = seedSample('**Sample Request**');
      expect(sample).toEqual({ phoneNumber: '01000000000' });
      expect({ valid: validate(sample), errors: validate.errors ?? null }).toEqual({
        valid: true,
        errors: null,
      });
      expect(validate({ phoneNumber: '01000000000', memberId: '1' })).toBe(false);
      expect(validate({ phoneNumber: 1000000000 })).toBe(false);
      expect(validate({})).toBe(false);
    });

    it('accepts the sample response as the PUT 200, and no member missing a field or with a wrong status', () => {
      const validate = schemaValidator(committed).compile(okSchema());
      const sample = seedSample('**Sample Response**') as Record<string, unknown>;
      expect(sample).toMatchObject({ phoneNumber: '01000000000', status: 'ACTIVE', selectedAccountId: null });
      expect({ valid: validate(sample), errors: validate.errors ?? null }).toEqual({
        valid: true,
        errors: null,
      });
      const { email: _email, ...withoutEmail } = sample;
      expect(validate(withoutEmail)).toBe(false);
      expect(validate({ ...sample, status: 'SLEEPING' })).toBe(false);
      expect(validate({ ...sample, dateCreated: 'yesterday' })).toBe(false);
    });

    it('accepts every documented error example as the error body schema', () => {
      const validator = schemaValidator(committed);
      for (const { path, method, operation } of operations(committed)) {
        for (const [status, response] of Object.entries(operation.responses)) {
          const media = response.content?.['application/json'];
          if (Number(status) < 400 || !media?.examples) continue;
          const validate = validator.compile(media.schema);
          for (const [code, example] of Object.entries(media.examples)) {
            expect({ at: `${method} ${path} ${status} ${code}`, valid: validate(example.value) }).toEqual({
              at: `${method} ${path} ${status} ${code}`,
              valid: true,
            });
          }
        }
      }
    });
  });
});

describe('security requirements of the document, against the running app', () => {
  let t: TestApp;
  let served: OpenAPIObject;

  beforeAll(async () => {
    t = await startTestApp({ listen: false });
    served = (await request(t.app.getHttpServer()).get('/docs-json').expect(200)).body as OpenAPIObject;
  });
  afterAll(() => t.close());

  it('marks an operation public (security: []) exactly when it answers without credentials', async () => {
    const seen: { at: string; public: boolean; unauthorized: boolean }[] = [];
    for (const { path, method, operation } of operations(served)) {
      const url = path.replace(/\{[^}]+\}/g, 'd0c5d0c5-0000-4000-8000-000000000000');
      const call = request(t.app.getHttpServer())[method as 'get' | 'head' | 'post' | 'put'](url);
      const answer = ['post', 'put'].includes(method) ? await call.send({}) : await call;
      const body = answer.body as { errorCode?: string };
      // HEAD carries no body: its challenge header is what tells a refusal.
      const refused =
        method === 'head'
          ? answer.headers['www-authenticate'] !== undefined
          : body.errorCode === 'Unauthorized';
      seen.push({
        at: `${method.toUpperCase()} ${path}`,
        public: Array.isArray(operation.security) && operation.security.length === 0,
        unauthorized: answer.status === 401 && refused,
      });
    }
    expect(seen.length).toBeGreaterThanOrEqual(12);
    expect(seen.filter((s) => s.public === s.unauthorized)).toEqual([]);
    for (const s of seen.filter((entry) => !entry.public)) {
      const operation = operations(served).find(
        (o) => `${o.method.toUpperCase()} ${o.path}` === s.at,
      )!.operation;
      expect({ at: s.at, security: operation.security }).toEqual({
        at: s.at,
        security: expect.arrayContaining([{ hmac: [] }, { bearer: [] }]),
      });
      expect(operation.security).toHaveLength(2);
    }
  });
});
