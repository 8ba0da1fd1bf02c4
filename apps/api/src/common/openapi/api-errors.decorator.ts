import { applyDecorators } from '@nestjs/common';
import { ERROR_CATALOG, errorBody, type ErrorCode, WWW_AUTHENTICATE_CHALLENGE } from '@member-phone/core';
import { ApiExtraModels, ApiResponse, getSchemaPath, type HeadersObject } from '@nestjs/swagger';

import { ErrorBodyResponse } from './error-body.response';

/** The `Retry-After` the service sends with every 503 that names no other (see send-error.ts). */
export const SERVICE_UNAVAILABLE_RETRY_AFTER_SECONDS = 5;

const WWW_AUTHENTICATE_HEADER: HeadersObject = {
  'WWW-Authenticate': {
    description: 'Names both accepted schemes, `HMAC-SHA256` (API key) and `Bearer`.',
    schema: { type: 'string', example: WWW_AUTHENTICATE_CHALLENGE },
  },
};

/** Headers the service adds to some error statuses; the names clients must read. */
const ERROR_HEADERS: Partial<Record<number, HeadersObject>> = {
  429: {
    'Retry-After': {
      description: 'Whole seconds to wait before the next attempt can succeed.',
      schema: { type: 'integer', minimum: 1, example: 30 },
    },
  },
  503: {
    'Retry-After': {
      description: 'Whole seconds to wait before trying again.',
      schema: { type: 'integer', minimum: 1, example: SERVICE_UNAVAILABLE_RETRY_AFTER_SECONDS },
    },
  },
};

export interface ApiErrorsOptions {
  /**
   * Whether a 401 carries the `WWW-Authenticate` challenge of the API's own schemes. Default true;
   * false for routes authenticated otherwise (the telephony provider's signed events), which send none.
   */
  challenge?: boolean;
  /** A sentence per status, appended to the catalog's text: what causes it on this route. */
  notes?: Partial<Record<number, string>>;
}

/**
 * Documents the error answers of a route from the catalog: one response per status, listing each
 * code that shares it with its own example body, and the headers the service really sends with it.
 */
export function ApiErrorsWith(options: ApiErrorsOptions, ...codes: readonly ErrorCode[]) {
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of codes) {
    const status = ERROR_CATALOG[code].status;
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  const headersFor = (status: number): HeadersObject | undefined =>
    status === 401
      ? options.challenge === false
        ? undefined
        : WWW_AUTHENTICATE_HEADER
      : ERROR_HEADERS[status];
  const responses = [...byStatus.entries()].map(([status, group]) => {
    const headers = headersFor(status);
    const note = options.notes?.[status];
    return ApiResponse({
      status,
      description:
        group.map((code) => `\`${code}\`: ${ERROR_CATALOG[code].en}`).join('<br>') +
        (note ? `<br>${note}` : ''),
      ...(headers ? { headers } : {}),
      content: {
        'application/json': {
          schema: { $ref: getSchemaPath(ErrorBodyResponse) },
          examples: Object.fromEntries(group.map((code) => [code, { value: errorBody(code) }])),
        },
      },
    });
  });
  return applyDecorators(ApiExtraModels(ErrorBodyResponse), ...responses);
}

/** {@link ApiErrorsWith} with the defaults: what the API's authenticated routes answer. */
export function ApiErrors(...codes: readonly ErrorCode[]) {
  return ApiErrorsWith({}, ...codes);
}
