import { ERROR_CATALOG, ERROR_CODES, errorBody, type ErrorCode, MEMBER_FIELDS } from '@member-phone/core';
import request from 'supertest';

import { SIGNING_SCRIPT_PATH } from '../src/docs/setup-swagger';
import { SWAGGER_SIGNING_SCRIPT } from '../src/docs/swagger-signing.script';
import { startTestApp, type TestApp } from './support/test-app';

/** The success sample of DESIGN.md section 2 (the seed document's, with its example email). */
const SEED_SAMPLE_MEMBER = {
  name: 'nickName',
  phoneNumber: '01000000000',
  status: 'ACTIVE',
  selectedAccountId: null,
  memberId: '18010100001000',
  email: 'member@example.com',
  dateCreated: '2019-07-30T02:38:40.642Z',
  dateUpdated: '2019-07-30T02:38:40.649Z',
  loginSessions: [],
};

/** Codes the PUT cannot answer with: it has no path parameter to miss, and is not rate limited. */
const NOT_FROM_PUT: ErrorCode[] = ['ResourceNotFound', 'TooManyRequests'];

interface Schema {
  $ref?: string;
  type?: string;
  properties?: Record<string, Schema & { example?: unknown }>;
  required?: string[];
  example?: unknown;
}
interface MediaType {
  schema?: Schema;
  examples?: Record<string, { value: unknown }>;
}
interface Operation {
  description?: string;
  summary?: string;
  security?: Record<string, string[]>[];
  requestBody?: { required?: boolean; content: Record<string, MediaType> };
  responses: Record<string, { description: string; content?: Record<string, MediaType> }>;
}
interface OpenApiDocument {
  openapi: string;
  info: { title: string; description: string };
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Schema>; securitySchemes: Record<string, Record<string, unknown>> };
}

describe('Swagger UI and the OpenAPI document of the running app', () => {
  let t: TestApp;
  let doc: OpenApiDocument;

  beforeAll(async () => {
    t = await startTestApp();
    const answer = await request(t.app.getHttpServer()).get('/docs-json').expect(200);
    expect(answer.headers['content-type']).toMatch(/^application\/json/);
    doc = answer.body as OpenApiDocument;
  });
  afterAll(() => t.close());

  const resolve = (schema: Schema | undefined): Schema => {
    const ref = schema?.$ref;
    if (!ref) return schema ?? {};
    const name = ref.replace('#/components/schemas/', '');
    const found = doc.components.schemas[name];
    if (!found) throw new Error(`${ref} is not in components.schemas`);
    return found;
  };
  const operation = (path: string, method: string): Operation => {
    const found = doc.paths[path]?.[method];
    if (!found) throw new Error(`no ${method.toUpperCase()} ${path} in the document`);
    return found;
  };
  /** Every documented error code of an operation, with the status it is listed under and its example. */
  const documentedErrors = (op: Operation) =>
    Object.entries(op.responses)
      .filter(([status]) => Number(status) >= 400)
      .flatMap(([status, response]) =>
        Object.entries(response.content?.['application/json']?.examples ?? {}).map(([code, example]) => ({
          code,
          status: Number(status),
          example: example.value,
          description: response.description,
        })),
      );

  it.each(['/docs', '/docs/'])('GET %s answers the Swagger UI page, whose assets all load', async (path) => {
    const server = t.app.getHttpServer();
    const page = await request(server).get(path).expect(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.text).toContain('<div id="swagger-ui"></div>');
    expect(page.text).toContain('<title>member-phone API</title>');

    const assets = [...page.text.matchAll(/(?:src|href)="(\.\/[^"]+)"/g)].map(([, href]) => href!);
    expect(assets).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/swagger-ui\.css$/),
        expect.stringMatching(/swagger-ui-bundle\.js$/),
        expect.stringMatching(/swagger-ui-init\.js$/),
      ]),
    );
    for (const asset of assets) {
      const url = new URL(asset, `http://127.0.0.1${path}`).pathname;
      const loaded = await request(server).get(url);
      expect({ url, status: loaded.status }).toEqual({ url, status: 200 });
    }
    // The page's own script carries the same document as /docs-json.
    const initScript = assets.find((asset) => asset.endsWith('swagger-ui-init.js'))!;
    const init = await request(server).get(new URL(initScript, `http://127.0.0.1${path}`).pathname);
    expect(init.text).toContain('"swaggerDoc"');
    expect(init.text).toContain('"/users/v1/member/phone-number"');
  });

  it('serves the page’s signing script from the app itself and wires it into Swagger UI, nothing from elsewhere', async () => {
    const server = t.app.getHttpServer();
    const page = await request(server).get('/docs').expect(200);
    expect(page.text).toContain(`<script src='${SIGNING_SCRIPT_PATH}'></script>`);
    expect(page.text).not.toMatch(/(?:src|href)=["']?(?:https?:)?\/\//);

    const script = await request(server).get(SIGNING_SCRIPT_PATH).expect(200);
    expect(script.headers['content-type']).toBe('application/javascript; charset=utf-8');
    expect(script.text).toBe(SWAGGER_SIGNING_SCRIPT);

    const init = await request(server).get('/docs/swagger-ui-init.js').expect(200);
    expect(init.text).toContain('globalThis.memberPhoneDocs');
    for (const hook of ['requestInterceptor', 'responseInterceptor', 'plugin']) {
      expect(init.text).toMatch(new RegExp(`"${hook}s?": [\\[(]`));
      expect(init.text).toContain(`.${hook}(`);
    }
    expect(init.text).toContain('"validatorUrl": null');
    expect(init.text).toContain('"persistAuthorization": false');
  });

  it('is OpenAPI 3 with both security schemes: HMAC in the Authorization header and a JWT bearer', () => {
    expect(doc.openapi).toMatch(/^3\.\d+\.\d+$/);
    expect(doc.components.securitySchemes).toEqual({
      hmac: expect.objectContaining({ type: 'apiKey', in: 'header', name: 'Authorization' }),
      bearer: expect.objectContaining({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' }),
    });
    expect(doc.components.securitySchemes.hmac!.description).toContain('HMAC-SHA256 apiKey=');
    expect(operation('/users/v1/member/phone-number', 'put').security).toEqual(
      expect.arrayContaining([{ hmac: [] }, { bearer: [] }]),
    );
  });

  it('documents the PUT body with the seed request as its example, phoneNumber required and alone', () => {
    const body = operation('/users/v1/member/phone-number', 'put').requestBody;
    expect(body?.required).toBe(true);
    const schema = resolve(body?.content['application/json']?.schema);
    expect(Object.keys(schema.properties ?? {})).toEqual(['phoneNumber']);
    expect(schema.required).toEqual(['phoneNumber']);
    expect(schema.properties!.phoneNumber).toMatchObject({ type: 'string', example: '01000000000' });
  });

  it('documents the PUT 200 as exactly the member fields, with the seed sample as example values', () => {
    const ok = operation('/users/v1/member/phone-number', 'put').responses['200'];
    const schema = resolve(ok?.content?.['application/json']?.schema);
    expect(Object.keys(schema.properties ?? {})).toEqual([...MEMBER_FIELDS]);
    expect([...(schema.required ?? [])].sort()).toEqual([...MEMBER_FIELDS].sort());
    const examples = Object.fromEntries(
      Object.entries(schema.properties ?? {}).map(([name, property]) => [name, property.example]),
    );
    expect(examples).toEqual(SEED_SAMPLE_MEMBER);
    expect(schema.properties!.selectedAccountId).toMatchObject({ nullable: true });
  });

  it('lists on the PUT every catalog error it can answer with, under its status, with the catalog body as example', () => {
    const errors = documentedErrors(operation('/users/v1/member/phone-number', 'put'));
    expect(errors.map((e) => e.code).sort()).toEqual(
      ERROR_CODES.filter((c) => !NOT_FROM_PUT.includes(c)).sort(),
    );
    for (const { code, status, example, description } of errors) {
      expect({ code, status, example }).toEqual({
        code,
        status: ERROR_CATALOG[code as ErrorCode].status,
        example: errorBody(code as ErrorCode),
      });
      expect(description).toContain(`\`${code}\``);
    }
  });

  it('documents the ARS routes, the start with TooManyRequests and its own body, the status with ResourceNotFound', () => {
    const start = operation('/users/v1/member/phone-number/ars', 'post');
    const startErrors = documentedErrors(start);
    expect(startErrors).toEqual(
      expect.arrayContaining([
        {
          code: 'TooManyRequests',
          status: 429,
          example: errorBody('TooManyRequests'),
          description: expect.any(String),
        },
        expect.objectContaining({ code: 'InvalidPhoneNumber', status: 400 }),
      ]),
    );
    const started = resolve(start.responses['201']?.content?.['application/json']?.schema);
    expect(Object.keys(started.properties ?? {}).sort()).toEqual(
      ['attemptsLeft', 'code', 'expireAt', 'phoneNumber', 'status', 'verificationId'].sort(),
    );

    const status = operation('/users/v1/member/phone-number/ars/{verificationId}', 'get');
    expect(documentedErrors(status).map((e) => e.code)).toContain('ResourceNotFound');
    const view = resolve(status.responses['200']?.content?.['application/json']?.schema);
    expect(Object.keys(view.properties ?? {})).not.toContain('code');
  });

  it('states the ARS requirement on the PUT and in the document description', () => {
    const put = operation('/users/v1/member/phone-number', 'put');
    expect(put.description).toContain('Second authentication required: ARS phone call');
    expect(put.description).toContain('POST /users/v1/member/phone-number/ars');
    expect(put.description).toContain('`users:write`');
    expect(put.description).toContain('`ACTIVE`');
    expect(doc.info.description).toMatch(/Second authentication \(ARS\)/);
    expect(doc.info.description).toContain('POST /users/v1/member/phone-number/ars');
  });
});
