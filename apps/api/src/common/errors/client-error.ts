import { randomUUID } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';

import { errorBody } from '@member-phone/core';

import { REQUEST_ID_HEADER } from '../http/request-id';
import { toApiError } from './to-api-error';

// Node's reasons for refusing a request before Fastify sees one, as the status Node would answer.
const STATUS_OF_NODE_CODE: Readonly<Record<string, number>> = {
  HPE_HEADER_OVERFLOW: 431,
  ERR_HTTP_REQUEST_TIMEOUT: 408,
};

/**
 * Fastify's `clientErrorHandler`: answers a request that Node's HTTP parser refused (unknown method,
 * malformed header, conflicting lengths, headers too large, too slow) in the catalog shape, where
 * Fastify's default writes its own JSON. No request exists yet, so the id is a fresh one and the
 * message is in the default language. The connection is closed: the stream cannot be trusted.
 */
export function answerClientError(error: Error & { code?: string }, socket: Duplex): void {
  // A reset connection is gone already; there is nobody to answer.
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  if (socket.writable) {
    const { apiError } = toApiError({ statusCode: STATUS_OF_NODE_CODE[error.code ?? ''] ?? 400 });
    const body = JSON.stringify(errorBody(apiError.code));
    socket.write(
      [
        `HTTP/1.1 ${apiError.status} ${STATUS_CODES[apiError.status] ?? ''}`,
        `${REQUEST_ID_HEADER}: ${randomUUID()}`,
        'content-type: application/json; charset=utf-8',
        `content-length: ${Buffer.byteLength(body)}`,
        'cache-control: no-store',
        'connection: close',
        '',
        body,
      ].join('\r\n'),
    );
  }
  socket.destroy(error);
}
