import { HttpException } from '@nestjs/common';
import type { ErrorCode } from '@member-phone/core';

import { isDatabaseUnavailable } from '../../database/database-unavailable';
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
  // A path that cannot be decoded, or a path parameter over the router's limit, names no resource.
  FST_ERR_BAD_URL: 'ResourceNotFound',
  FST_ERR_MAX_PARAM_LENGTH: 'ResourceNotFound',
};

/** Status codes a framework may use for what the client sent, and the catalog code for each. */
const CLIENT_STATUS_CODES: Readonly<Record<number, ErrorCode>> = {
  400: 'ValidationError',
  401: 'Unauthorized',
  // Only our own guard decides on permissions, and it throws ApiError('Forbidden'). A framework's
  // 403 is the static file server refusing a path outside its folder: no such resource.
  403: 'ResourceNotFound',
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

function codeOf(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? code : undefined;
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
  if (isDatabaseUnavailable(error))
    return { apiError: new ApiError('ServiceUnavailable', { cause: error }), expected: true };
  const status = (error as { statusCode?: unknown } | null)?.statusCode;
  if (typeof status === 'number' && CLIENT_STATUS_CODES[status]) {
    return { apiError: new ApiError(CLIENT_STATUS_CODES[status], { cause: error }), expected: true };
  }
  return { apiError: new ApiError('InternalError', { cause: error }), expected: false };
}
