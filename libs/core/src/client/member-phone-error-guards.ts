import {
  type ApiErrorCode,
  type ErrorFamily,
  type MemberPhoneApiError,
  MemberPhoneError,
  type MemberPhoneArsError,
  type MemberPhoneAuthenticationError,
  type MemberPhoneErrorKind,
  type MemberPhoneInvalidRequestError,
  type MemberPhoneNetworkError,
  type MemberPhoneNotFoundError,
  type MemberPhonePermissionError,
  type MemberPhoneRateLimitError,
  type MemberPhoneSecondAuthRequiredError,
  type MemberPhoneServiceError,
  type MemberPhoneTimeoutError,
  type MemberPhoneValidationError,
} from './member-phone-errors';

const BRAND = Symbol.for('@member-phone/core/MemberPhoneError');

function fieldOf(error: unknown, name: string): unknown {
  return typeof error === 'object' && error !== null ? (error as Record<string, unknown>)[name] : undefined;
}

/**
 * Tells whether a value is any error thrown by the client (also from another copy of this
 * package, recognised by its brand).
 *
 * @example
 * ```ts
 * if (isMemberPhoneError(error)) logger.warn({ err: error.name }, 'member-phone call failed');
 * ```
 */
export function isMemberPhoneError(error: unknown): error is MemberPhoneError {
  return (
    error instanceof MemberPhoneError ||
    (typeof error === 'object' && error !== null && (error as Record<symbol, unknown>)[BRAND] === true)
  );
}

function isKind(error: unknown, kind: MemberPhoneErrorKind): boolean {
  return isMemberPhoneError(error) && fieldOf(error, 'kind') === kind;
}

/**
 * Tells whether a value is an API error, optionally with a given `errorCode`.
 *
 * @example
 * ```ts
 * if (isMemberPhoneApiError(error, 'InvalidMemberStatus')) showMessage(error.errorMessage);
 * ```
 */
export function isMemberPhoneApiError(error: unknown, code?: ApiErrorCode): error is MemberPhoneApiError {
  if (!isKind(error, 'api')) return false;
  return code === undefined || fieldOf(error, 'errorCode') === code;
}

function isFamily(error: unknown, family: ErrorFamily): boolean {
  return isMemberPhoneApiError(error) && error.family === family;
}

/**
 * `Unauthorized`, `InvalidAPIKey`, `SignatureDoesNotMatch`, `RequestTimeTooSkewed` or
 * `DuplicatedSignature`.
 *
 * @example
 * ```ts
 * if (isMemberPhoneAuthenticationError(error)) alertOperator('the API key or token was refused');
 * ```
 */
export function isMemberPhoneAuthenticationError(error: unknown): error is MemberPhoneAuthenticationError {
  return isFamily(error, 'authentication');
}

/**
 * `Forbidden` or `InvalidMemberStatus`.
 *
 * @example
 * ```ts
 * if (isMemberPhonePermissionError(error)) showMessage(error.errorMessage);
 * ```
 */
export function isMemberPhonePermissionError(error: unknown): error is MemberPhonePermissionError {
  return isFamily(error, 'permission');
}

/**
 * A refused request: the number refused locally before sending ({@link MemberPhoneValidationError}),
 * or the server's `ValidationError`, `InvalidPhoneNumber`, `PayloadTooLarge`, `UnsupportedMediaType`.
 *
 * @example
 * ```ts
 * if (isMemberPhoneValidationError(error) && error.errorCode === 'InvalidPhoneNumber') {
 *   showFieldError('phoneNumber');
 * }
 * ```
 */
export function isMemberPhoneValidationError(
  error: unknown,
): error is MemberPhoneValidationError | MemberPhoneInvalidRequestError {
  return isKind(error, 'validation') || isFamily(error, 'validation');
}

/**
 * `SecondAuthRequired`: verify the new number by ARS call first.
 *
 * @example
 * ```ts
 * if (isMemberPhoneSecondAuthError(error)) await client.updatePhoneNumberWithArs(phoneNumber, { onProgress });
 * ```
 */
export function isMemberPhoneSecondAuthError(error: unknown): error is MemberPhoneSecondAuthRequiredError {
  return isFamily(error, 'second-auth');
}

/**
 * `TooManyRequests`; `retryAfterSeconds` says how long to wait.
 *
 * @example
 * ```ts
 * if (isMemberPhoneRateLimitError(error)) showMessage(`try again in ${error.retryAfterSeconds ?? 60} s`);
 * ```
 */
export function isMemberPhoneRateLimitError(error: unknown): error is MemberPhoneRateLimitError {
  return isFamily(error, 'rate-limit');
}

/**
 * `ResourceNotFound`.
 *
 * @example
 * ```ts
 * if (isMemberPhoneNotFoundError(error)) startOver();
 * ```
 */
export function isMemberPhoneNotFoundError(error: unknown): error is MemberPhoneNotFoundError {
  return isFamily(error, 'not-found');
}

/**
 * `InternalError`, `ServiceUnavailable`, or a 5xx without the API's body.
 *
 * @example
 * ```ts
 * if (isMemberPhoneServiceError(error)) showMessage('the service is down, try again later');
 * ```
 */
export function isMemberPhoneServiceError(error: unknown): error is MemberPhoneServiceError {
  return isFamily(error, 'service');
}

/**
 * No HTTP answer at all (refused or reset connection, DNS), from a real socket or from nock alike.
 *
 * @example
 * ```ts
 * if (isMemberPhoneNetworkError(error)) console.warn(error.code); // 'ECONNRESET'
 * ```
 */
export function isMemberPhoneNetworkError(error: unknown): error is MemberPhoneNetworkError {
  return isKind(error, 'network');
}

/**
 * The answer did not arrive in time.
 *
 * @example
 * ```ts
 * if (isMemberPhoneTimeoutError(error)) console.warn(`no answer in ${error.timeoutMs} ms`);
 * ```
 */
export function isMemberPhoneTimeoutError(error: unknown): error is MemberPhoneTimeoutError {
  return isKind(error, 'timeout');
}

/**
 * The ARS verification ended without being verified.
 *
 * @example
 * ```ts
 * if (isMemberPhoneArsError(error)) showMessage(`verification ${error.status}`);
 * ```
 */
export function isMemberPhoneArsError(error: unknown): error is MemberPhoneArsError {
  return isKind(error, 'ars');
}
