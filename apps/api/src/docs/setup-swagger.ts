import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';

const DESCRIPTION = `
Update the authenticated member's own phone number, SOLAPI users-API style.

**Authentication.** Either an API key, signing every request with HMAC
(\`Authorization: HMAC-SHA256 apiKey=<key>, date=<ISO 8601>, salt=<12-64 chars>, signature=<hex HMAC of date+salt>\`),
or an OAuth2 bearer token (\`Authorization: Bearer <JWT>\`, with \`scope\` listing the permissions).

**Second authentication (ARS).** Changing to a new number needs an ARS (automatic response system) phone
call to that number: start it with \`POST /users/v1/member/phone-number/ars\`, answer the call and type the
code shown on screen on the keypad, then send the \`PUT\` unchanged.

**Demo credentials.** On its first start on an empty database the service creates a demo \`ACTIVE\`
member, an API key and a development bearer token, and prints them in its console. Paste the token
into *Authorize → bearer*. In the embedded development mode no real call is placed: the simulator's
keypad is \`POST /dev/ars/{verificationId}/keypad\`.

Errors are always \`{"errorCode": "...", "errorMessage": "..."}\`; branch on \`errorCode\`.
`.trim();

/** Builds the OpenAPI document of the running app (the export script uses the same function). */
export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('member-phone — 사용자 전화번호 수정')
    .setDescription(DESCRIPTION)
    .setVersion('1.0.0')
    .addSecurity('hmac', {
      type: 'apiKey',
      in: 'header',
      name: 'Authorization',
      description:
        'API key signature: `HMAC-SHA256 apiKey=<key>, date=<ISO 8601 with offset>, salt=<12-64 chars>, ' +
        'signature=<hex HMAC-SHA256(secret, date + salt)>`. A fresh salt for every request.',
    })
    .addBearerAuth(
      { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'OAuth2 access token' },
      'bearer',
    )
    .build();
  return SwaggerModule.createDocument(app, config);
}

/** Serves Swagger UI at `/docs` and the document at `/docs-json`. */
export function setupSwagger(app: INestApplication): OpenAPIObject {
  const document = buildOpenApiDocument(app);
  SwaggerModule.setup('docs', app, document, {
    jsonDocumentUrl: 'docs-json',
    customSiteTitle: 'member-phone API',
    swaggerOptions: { persistAuthorization: false, displayRequestDuration: true },
  });
  return document;
}
