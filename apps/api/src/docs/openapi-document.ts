import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';

/** The development keypad's path in the document; present only when the app runs in development. */
export const DEV_KEYPAD_PATH = '/dev/ars/{verificationId}/keypad';

const DESCRIPTION = `
Update the authenticated member's own phone number, SOLAPI users-API style.

**Authentication.** Either an API key, signing every request with HMAC
(\`Authorization: HMAC-SHA256 apiKey=<key>, date=<ISO 8601>, salt=<12-64 chars>, signature=<hex HMAC of date+salt>\`),
or an OAuth2 bearer token (\`Authorization: Bearer <JWT>\`, with \`scope\` listing the permissions).

**Second authentication (ARS).** ARS, the automatic response system, proves that the person at the screen
holds the phone being registered: changing to a new number needs an automated phone call to that number.
Start it with \`POST /users/v1/member/phone-number/ars\`, answer the call and type the code shown on screen on
the keypad, then send the \`PUT\` unchanged.

**Demo credentials.** On its first start on an empty database the embedded default (\`npm start\`) creates a
demo \`ACTIVE\` member (\`member@example.com\`, number 010-1234-5678), an API key with its secret and a
development bearer token, and prints them once in its console, under *member-phone: demo credentials (shown
once)*. In that development mode no real call is placed: the simulator's keypad is
\`POST /dev/ars/{verificationId}/keypad\`.

Errors are always \`{"errorCode": "...", "errorMessage": "..."}\`; branch on \`errorCode\`.
`.trim();

/** Every tag an operation may carry, with what it groups; the document lists those in use. */
const TAGS: readonly { name: string; description: string }[] = [
  {
    name: 'member',
    description: 'The authenticated member: read it, and change its phone number.',
  },
  {
    name: 'ARS second authentication',
    description:
      'ARS (automatic response system): an automated phone call to the new number, on which the person types ' +
      'the code shown on screen. A completed verification lets the phone-number update through once.',
  },
  {
    name: 'Development',
    description:
      'Only in the embedded development mode, where the telephony simulator places no real call: these routes ' +
      'stand in for the person at the phone. They do not exist in production.',
  },
  {
    name: 'Telephony provider',
    description: 'Signed events from the HTTP telephony adapter’s provider (keypad digits, failed calls).',
  },
  { name: 'health', description: 'Liveness and readiness probes for process managers and load balancers.' },
];

type Operations = Record<
  string,
  { tags?: string[]; requestBody?: unknown; security?: Record<string, string[]>[] } | undefined
>;

interface GetOperation {
  operationId?: string;
  summary?: string;
  responses: Record<string, { content?: unknown } & Record<string, unknown>>;
  [key: string]: unknown;
}

/** The HEAD twin of a GET operation: its statuses and headers, without any body. */
function headOperationOf(get: GetOperation): GetOperation {
  const copy = structuredClone(get);
  const responses = Object.fromEntries(
    Object.entries(copy.responses).map(([status, { content: _content, ...response }]) => [status, response]),
  );
  return {
    ...copy,
    ...(copy.operationId ? { operationId: `${copy.operationId}Head` } : {}),
    summary: `${copy.summary ?? 'GET'} (HEAD: status and headers only)`,
    description: 'The GET without its body: the same status and headers, and no content.',
    responses,
  };
}

/** The schema names every request body of the document refers to. */
function requestBodySchemaNames(document: OpenAPIObject): Set<string> {
  const names = new Set<string>();
  for (const item of Object.values(document.paths)) {
    for (const operation of Object.values(item as Operations)) {
      const content = (operation?.requestBody as { content?: Record<string, { schema?: { $ref?: string } }> })
        ?.content;
      for (const media of Object.values(content ?? {})) {
        const ref = media.schema?.$ref;
        if (ref?.startsWith('#/components/schemas/')) names.add(ref.slice('#/components/schemas/'.length));
      }
    }
  }
  return names;
}

/** The tags the operations of the document use. */
function usedTags(document: OpenAPIObject): Set<string> {
  const used = new Set<string>();
  for (const item of Object.values(document.paths)) {
    for (const operation of Object.values(item as Operations)) {
      for (const tag of operation?.tags ?? []) used.add(tag);
    }
  }
  return used;
}

/**
 * Builds the OpenAPI document of an app from its routes. The committed `apps/api/openapi.json` is this
 * document for the production app (see `openapi-contract.ts`); `/docs` serves it for the running app.
 */
export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('member-phone — 사용자 전화번호 수정')
    .setDescription(DESCRIPTION)
    .setVersion('1.0.0')
    .setLicense('MIT', 'https://opensource.org/licenses/MIT')
    // Relative: "Try it out" and generated clients talk to whichever host serves the document.
    .addServer('/', 'The host serving this document')
    .addSecurity('hmac', {
      type: 'apiKey',
      in: 'header',
      name: 'Authorization',
      description:
        'API key signature: `HMAC-SHA256 apiKey=<key>, date=<ISO 8601 with offset>, salt=<12-64 chars>, ' +
        'signature=<hex HMAC-SHA256(secret, date + salt)>`. A fresh salt for every request. ' +
        'In Swagger UI, enter the key and secret in the signing panel at the top of the page: it signs each ' +
        '"Try it out" request in the browser.',
    })
    .addBearerAuth(
      { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'OAuth2 access token' },
      'bearer',
    )
    .build();
  const document = SwaggerModule.createDocument(app, config);

  const used = usedTags(document);
  document.tags = TAGS.filter((tag) => used.has(tag.name)).map((tag) => ({ ...tag }));

  // Routes without @ApiSecurity are the guard's @Public ones (openapi-contract.spec.ts proves it over
  // HTTP): say so explicitly, or readers and linters cannot tell "public" from "forgotten".
  for (const item of Object.values(document.paths)) {
    for (const operation of Object.values(item as Operations)) {
      if (operation && !operation.security) operation.security = [];
    }
  }

  // Fastify answers HEAD on every GET route (load balancers probe with it): same status and
  // headers, no body. Document what it really does rather than leave a silent extra method.
  for (const item of Object.values(document.paths) as Record<string, unknown>[]) {
    const get = item.get as GetOperation | undefined;
    if (get && !item.head) item.head = headOperationOf(get);
  }

  // The body pipe refuses any field a DTO does not declare: say so, so clients and validators agree.
  const schemas = document.components?.schemas ?? {};
  for (const name of requestBodySchemaNames(document)) {
    const schema = schemas[name];
    if (schema && !('$ref' in schema)) schema.additionalProperties = false;
  }
  return document;
}
