import { applyDecorators } from '@nestjs/common';
import { ERROR_CATALOG, errorBody, type ErrorCode, WWW_AUTHENTICATE_CHALLENGE } from '@member-phone/core';
import { ApiExtraModels, ApiResponse, getSchemaPath, type HeadersObject } from '@nestjs/swagger';

import { ErrorBodyResponse } from './error-body.response';

/** Headers the service adds to some error statuses; the names clients must read. */
const ERROR_HEADERS: Partial<Record<number, HeadersObject>> = {
  401: {
    'WWW-Authenticate': {
      description: 'Names both accepted schemes, `HMAC-SHA256` (API key) and `Bearer`.',
      schema: { type: 'string', example: WWW_AUTHENTICATE_CHALLENGE },
    },
  },
  429: {
    'Retry-After': {
      description: 'Whole seconds to wait before the next attempt can succeed.',
      schema: { type: 'integer', minimum: 1, example: 30 },
    },
  },
};

/**
 * Documents the error answers of a route from the catalog: one response per status, listing each
 * code that shares it with its own example body.
 */
export function ApiErrors(...codes: readonly ErrorCode[]): MethodDecorator & ClassDecorator {
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of codes) {
    const status = ERROR_CATALOG[code].status;
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  const responses = [...byStatus.entries()].map(([status, group]) =>
    ApiResponse({
      status,
      description: group.map((code) => `\`${code}\`: ${ERROR_CATALOG[code].en}`).join('<br>'),
      ...(ERROR_HEADERS[status] ? { headers: ERROR_HEADERS[status] } : {}),
      content: {
        'application/json': {
          schema: { $ref: getSchemaPath(ErrorBodyResponse) },
          examples: Object.fromEntries(group.map((code) => [code, { value: errorBody(code) }])),
        },
      },
    }),
  );
  return applyDecorators(ApiExtraModels(ErrorBodyResponse), ...responses);
}
