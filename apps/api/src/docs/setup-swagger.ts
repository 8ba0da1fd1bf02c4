import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { OpenAPIObject } from '@nestjs/swagger';
import { SwaggerModule } from '@nestjs/swagger';

import { buildOpenApiDocument } from './openapi-document';
import { SWAGGER_SIGNING_CSS, SWAGGER_SIGNING_SCRIPT } from './swagger-signing.script';

export { buildOpenApiDocument } from './openapi-document';

/** Where the page's own script is served; from the app, since the page must work offline. */
export const SIGNING_SCRIPT_PATH = '/docs/member-phone-signing.js';

/** What the page's script puts on `globalThis` (see swagger-signing.script.ts). */
interface PageHooks {
  memberPhoneDocs?: {
    requestInterceptor(request: unknown): unknown;
    responseInterceptor(response: unknown): unknown;
    plugin(system: unknown): unknown;
  };
  SwaggerUIBundle: { plugins: { DownloadUrl(system: unknown): unknown } };
}

// Nest writes these functions into swagger-ui-init.js as source text: they run in the browser, where
// the signing script has defined `memberPhoneDocs` by the time Swagger UI starts (on window load).
const swaggerUiHooks = {
  requestInterceptor: (request: unknown): unknown => {
    const hooks = (globalThis as unknown as PageHooks).memberPhoneDocs;
    return hooks ? hooks.requestInterceptor(request) : request;
  },
  responseInterceptor: (response: unknown): unknown => {
    const hooks = (globalThis as unknown as PageHooks).memberPhoneDocs;
    return hooks ? hooks.responseInterceptor(response) : response;
  },
  plugins: [
    // Nest's page lists this plugin by default; a `plugins` option replaces that list.
    (system: unknown): unknown =>
      (globalThis as unknown as PageHooks).SwaggerUIBundle.plugins.DownloadUrl(system),
    (system: unknown): unknown => {
      const hooks = (globalThis as unknown as PageHooks).memberPhoneDocs;
      return hooks ? hooks.plugin(system) : {};
    },
  ],
};

/**
 * Serves Swagger UI at `/docs` and the document at `/docs-json`, with the page's signing panel:
 * "Try it out" requests get a fresh HMAC signature computed in the browser. The document is built
 * on the first request for it, not at start: scanning every route's metadata is a tenth of the
 * service's cold start, and most replicas never serve the docs at all.
 */
export function setupSwagger(app: NestFastifyApplication): void {
  let document: OpenAPIObject | undefined;
  const documentOnce = (): OpenAPIObject => (document ??= buildOpenApiDocument(app));
  app
    .getHttpAdapter()
    .getInstance()
    .get(SIGNING_SCRIPT_PATH, (_request, reply) => {
      void reply
        .header('content-type', 'application/javascript; charset=utf-8')
        .header('cache-control', 'no-cache')
        .header('x-content-type-options', 'nosniff')
        .send(SWAGGER_SIGNING_SCRIPT);
    });
  SwaggerModule.setup('docs', app, documentOnce, {
    jsonDocumentUrl: 'docs-json',
    customSiteTitle: 'member-phone API',
    customJs: SIGNING_SCRIPT_PATH,
    customCss: SWAGGER_SIGNING_CSS,
    swaggerOptions: {
      persistAuthorization: false,
      displayRequestDuration: true,
      // The online validator badge would send the document's address to validator.swagger.io.
      validatorUrl: null,
      ...swaggerUiHooks,
    },
  });
}
