import { HttpException } from '@nestjs/common';
import type { ErrorCode } from '@member-phone/core';

import { ApiError } from '../api-error';

/** Fastify's own error codes for requests it refuses before a handler runs. */
const FASTIFY_CODES: Readonly<Record<string, ErrorCode>> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'PayloadTooLarge',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'UnsupportedMediaType',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'ValidationError',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'ValidationError',
  FST_ERR_CTP_INVALID_JSON_BODY: 'ValidationError',
  FST_ERR_NOT_FOUND: 'ResourceNotFound',
  FST_ERR_ASYNC_CONSTRAINT: 'ResourceNotFound',
};

/** Status codes a framework may use for what the client sent, and the catalog code for each. */
const CLIENT_STATUS_CODES: Readonly<Record<number, ErrorCode>> = {
  400: 'ValidationError',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'ResourceNotFound',
  405: 'ResourceNotFound',
  408: 'ValidationError',
  411: 'ValidationError',
  413: 'PayloadTooLarge',
  414: 'ValidationError',
  415: 'UnsupportedMediaType',
  429: 'TooManyRequests',
  431: 'ValidationError',
};

/** Node and driver error codes that mean the database cannot be reached right now. */
const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'SQLITE_BUSY',
  'SQLITE_LOCKED',
  'SQLITE_CANTOPEN',
  'SQLITE_IOERR',
  'SQLITE_FULL',
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now
  '53300', // too_many_connections
  '08000', // connection_exception
  '08001',
  '08003',
  '08004',
  '08006',
]);

function codeOf(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}

/** True when the error (or one of its causes) says the database or a dependency is unreachable. */
export function isUnavailableError(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e && depth < 5; depth++) {
    const code = codeOf(e);
    if (code && (UNAVAILABLE_CODES.has(code) || code.startsWith('SQLITE_IOERR'))) return true;
    const message = e instanceof Error ? e.message : '';
    if (
      /Connection terminated|timeout exceeded when trying to connect|driver has already been destroyed/i.test(
        message,
      )
    ) {
      return true;
    }
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}

/**
 * Maps anything thrown while serving a request to the catalog. Only an {@link ApiError} or a
 * recognised framework refusal names a client-side code; everything else is `InternalError`
 * (a bug) or `ServiceUnavailable` (a dependency is down). `expected` is false for bugs.
 */
export function toApiError(error: unknown): { apiError: ApiError; expected: boolean } {
  if (error instanceof ApiError) return { apiError: error, expected: true };
  const fastifyCode = codeOf(error);
  if (fastifyCode && FASTIFY_CODES[fastifyCode]) {
    return { apiError: new ApiError(FASTIFY_CODES[fastifyCode], { cause: error }), expected: true };
  }
  if (error instanceof HttpException) {
    const mapped = CLIENT_STATUS_CODES[error.getStatus()];
    if (mapped) return { apiError: new ApiError(mapped, { cause: error }), expected: true };
  }
  if (isUnavailableError(error))
    return { apiError: new ApiError('ServiceUnavailable', { cause: error }), expected: true };
  const status = (error as { statusCode?: unknown } | null)?.statusCode;
  if (typeof status === 'number' && CLIENT_STATUS_CODES[status]) {
    return { apiError: new ApiError(CLIENT_STATUS_CODES[status], { cause: error }), expected: true };
  }
  return { apiError: new ApiError('InternalError', { cause: error }), expected: false };
}
