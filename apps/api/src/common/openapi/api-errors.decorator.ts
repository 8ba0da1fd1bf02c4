import { applyDecorators } from '@nestjs/common';
import { ERROR_CATALOG, errorBody, type ErrorCode } from '@member-phone/core';
import { ApiExtraModels, ApiResponse, getSchemaPath } from '@nestjs/swagger';

import { ErrorBodyResponse } from './error-body.response';

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
