import { ERROR_CATALOG, type ErrorCode } from '@member-phone/core';

/**
 * The one exception the service throws for an answer it means to give. The global filter turns it
 * into `{errorCode, errorMessage}` with the catalog's status; `headers` are added to the reply
 * (`Retry-After`, `WWW-Authenticate`). `detail` is for logs only and never reaches the client.
 */
export class ApiError extends Error {
  readonly status: number;

  constructor(
    readonly code: ErrorCode,
    readonly options: { headers?: Record<string, string>; detail?: string; cause?: unknown } = {},
  ) {
    super(options.detail ? `${code}: ${options.detail}` : code, { cause: options.cause });
    this.name = 'ApiError';
    this.status = ERROR_CATALOG[code].status;
  }

  get headers(): Record<string, string> {
    return this.options.headers ?? {};
  }
}
