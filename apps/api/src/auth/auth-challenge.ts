import { WWW_AUTHENTICATE_CHALLENGE } from '@member-phone/core';

import { ApiError } from '../common/api-error';

/**
 * The 401 for missing, malformed or rejected credentials. A bearer token that was read but refused
 * adds RFC 6750's `error="invalid_token"` to the Bearer challenge, so OAuth clients know to refresh.
 */
export function unauthorized(
  detail: string,
  options: { invalidBearerToken?: boolean; cause?: unknown } = {},
) {
  const challenge = options.invalidBearerToken
    ? `${WWW_AUTHENTICATE_CHALLENGE}, error="invalid_token"`
    : WWW_AUTHENTICATE_CHALLENGE;
  return new ApiError('Unauthorized', {
    headers: { 'WWW-Authenticate': challenge },
    detail,
    ...(options.cause === undefined ? {} : { cause: options.cause }),
  });
}
