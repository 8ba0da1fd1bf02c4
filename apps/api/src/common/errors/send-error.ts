import { errorBody, languageFromAcceptLanguage } from '@member-phone/core';
import type { FastifyReply, FastifyRequest } from 'fastify';

import { REQUEST_ID_HEADER } from '../http/request-id';
import { toApiError } from './to-api-error';

/**
 * Writes `{errorCode, errorMessage}` for any error, in the caller's language, with the catalog's
 * status and the error's headers. Used by the Nest exception filter and by Fastify's own error and
 * not-found handlers and as Fastify's `frameworkErrors` handler, so no path can answer in another
 * shape. Bugs are logged with the request id; the client never sees a stack trace or an internal
 * message.
 */
export function sendError(error: unknown, request: FastifyRequest, reply: FastifyReply): void {
  // The client hung up mid-request (a reset while reading its body): nobody to answer, and no
  // dependency at fault, so this must not read as an outage in the logs.
  if (request.raw.socket?.destroyed) {
    request.log.debug({ err: error }, 'client closed the connection before the answer');
    return;
  }
  const { apiError, expected } = toApiError(error);
  // request.log is Fastify's per-request child logger: it already writes `reqId` on every line, and
  // naming it again would emit a duplicate JSON key, which log stores such as Elasticsearch reject.
  if (!expected) {
    request.log.error({ err: error }, 'unhandled error');
  } else if (apiError.code === 'ServiceUnavailable') {
    request.log.warn({ err: apiError.cause ?? apiError }, 'dependency unavailable');
  }
  if (reply.sent) return;
  const language = languageFromAcceptLanguage(request.headers['accept-language']);
  reply.code(apiError.status);
  // Set here too: Fastify's frameworkErrors (an undecodable URL) answer before any onRequest hook.
  reply.header(REQUEST_ID_HEADER, request.id);
  for (const [name, value] of Object.entries(apiError.headers)) reply.header(name, value);
  if (apiError.code === 'ServiceUnavailable' && !apiError.headers['Retry-After'])
    reply.header('Retry-After', '5');
  reply.header('content-type', 'application/json; charset=utf-8');
  reply.header('cache-control', 'no-store');
  void reply.send(JSON.stringify(errorBody(apiError.code, language)));
}
