import { MethodNotAllowedException, NotFoundException, PayloadTooLargeException } from '@nestjs/common';

import { ApiError } from '../api-error';
import { toApiError } from './to-api-error';

const fastifyError = (code: string, statusCode: number) =>
  Object.assign(new Error(code), { code, statusCode });

describe('toApiError', () => {
  it('keeps an ApiError as it is', () => {
    const error = new ApiError('SecondAuthRequired');
    expect(toApiError(error)).toEqual({ apiError: error, expected: true });
  });

  it.each([
    ['FST_ERR_CTP_BODY_TOO_LARGE', 413, 'PayloadTooLarge'],
    ['FST_ERR_CTP_INVALID_MEDIA_TYPE', 415, 'UnsupportedMediaType'],
    ['FST_ERR_CTP_INVALID_CONTENT_LENGTH', 400, 'ValidationError'],
    ['FST_ERR_CTP_EMPTY_JSON_BODY', 400, 'ValidationError'],
    ['FST_ERR_BAD_URL', 400, 'ResourceNotFound'],
    ['FST_ERR_MAX_PARAM_LENGTH', 414, 'ResourceNotFound'],
  ])('maps Fastify refusal %s to the catalog', (code, status, expected) => {
    const { apiError, expected: isExpected } = toApiError(fastifyError(code, status));
    expect(apiError.code).toBe(expected);
    expect(isExpected).toBe(true);
  });

  it('maps framework HTTP exceptions by status', () => {
    expect(toApiError(new NotFoundException()).apiError.code).toBe('ResourceNotFound');
    expect(toApiError(new MethodNotAllowedException()).apiError.code).toBe('ResourceNotFound');
    expect(toApiError(new PayloadTooLargeException()).apiError.code).toBe('PayloadTooLarge');
  });

  it('reads a framework 403 (a path outside the docs folder) as ResourceNotFound, not a permission', () => {
    expect(toApiError(Object.assign(new Error('Forbidden'), { statusCode: 403 })).apiError.code).toBe(
      'ResourceNotFound',
    );
  });

  it('maps an unreachable database to ServiceUnavailable', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    expect(toApiError(new Error('query failed', { cause: refused })).apiError.code).toBe(
      'ServiceUnavailable',
    );
  });

  it('calls anything else a bug: InternalError, not expected', () => {
    const { apiError, expected } = toApiError(
      new TypeError("Cannot read properties of undefined (reading 'x')"),
    );
    expect(apiError.code).toBe('InternalError');
    expect(apiError.status).toBe(500);
    expect(expected).toBe(false);
    expect(toApiError('a thrown string').apiError.code).toBe('InternalError');
    expect(toApiError(null).apiError.code).toBe('InternalError');
  });

  it('never lets a 5xx framework status pass as a client error', () => {
    expect(toApiError(Object.assign(new Error('boom'), { statusCode: 500 })).apiError.code).toBe(
      'InternalError',
    );
  });
});
