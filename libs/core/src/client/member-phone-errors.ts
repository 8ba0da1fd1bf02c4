import { type ArsVerificationStatus } from '../ars/ars.types';
import { type ErrorCode } from '../errors/error-catalog';
import { type PhoneNumberRejection } from '../phone-number/korean-mobile-number';

/**
 * An `errorCode` as the client reports it: a catalog code, or any newer code the server may send.
 * (`string & Record<never, never>` keeps editor completion of the catalog codes.)
 *
 * @example
 * ```ts
 * const code: ApiErrorCode = error.errorCode;
 * if (code === 'SecondAuthRequired') startArs();
 * ```
 */
export type ApiErrorCode = ErrorCode | (string & Record<never, never>);

/**
 * Which kind of client error a value is. Guards read it (with the brand) instead of `instanceof`,
 * so errors thrown by another copy of this package are still recognised.
 *
 * @example
 * ```ts
 * if (isMemberPhoneError(error) && error.kind === 'network') retryLater();
 * ```
 */
export type MemberPhoneErrorKind = 'api' | 'validation' | 'network' | 'timeout' | 'ars';

/**
 * The family of an API `errorCode`: what a caller usually does about it.
 *
 * - `authentication`: the credentials were refused (fix the key, the clock or the token).
 * - `permission`: the credential or the member may not do this.
 * - `validation`: the request itself is wrong; sending it again will not help.
 * - `second-auth`: run the ARS verification of the new number first.
 * - `rate-limit`: wait `retryAfterSeconds`.
 * - `not-found`: the verification (or route) does not exist for this member.
 * - `service`: the server failed; retrying later may help.
 * - `unknown`: a code newer than this client.
 *
 * @example
 * ```ts
 * const family: ErrorFamily = errorFamilyOf('DuplicatedSignature'); // 'authentication'
 * ```
 */
export type ErrorFamily =
  | 'authentication'
  | 'permission'
  | 'validation'
  | 'second-auth'
  | 'rate-limit'
  | 'not-found'
  | 'service'
  | 'unknown';

/**
 * The family of every catalog code. Every code is listed, so the compiler flags a catalog code
 * that was added without deciding its family.
 *
 * @example
 * ```ts
 * ERROR_FAMILIES.SecondAuthRequired; // 'second-auth'
 * ```
 */
export const ERROR_FAMILIES = {
  ValidationError: 'validation',
  InvalidPhoneNumber: 'validation',
  Unauthorized: 'authentication',
  InvalidAPIKey: 'authentication',
  SignatureDoesNotMatch: 'authentication',
  RequestTimeTooSkewed: 'authentication',
  DuplicatedSignature: 'authentication',
  Forbidden: 'permission',
  InvalidMemberStatus: 'permission',
  SecondAuthRequired: 'second-auth',
  ResourceNotFound: 'not-found',
  PayloadTooLarge: 'validation',
  UnsupportedMediaType: 'validation',
  TooManyRequests: 'rate-limit',
  InternalError: 'service',
  ServiceUnavailable: 'service',
} as const satisfies Record<ErrorCode, Exclude<ErrorFamily, 'unknown'>>;

/**
 * The family of an `errorCode`; `unknown` for a code this client does not know.
 *
 * @example
 * ```ts
 * errorFamilyOf('TooManyRequests'); // 'rate-limit'
 * errorFamilyOf('SomethingNew'); // 'unknown'
 * ```
 */
export function errorFamilyOf(code: string): ErrorFamily {
  return Object.prototype.hasOwnProperty.call(ERROR_FAMILIES, code)
    ? ERROR_FAMILIES[code as ErrorCode]
    : 'unknown';
}

// A brand survives two copies of this package in one process, where `instanceof` would not.
const BRAND = Symbol.for('@member-phone/core/MemberPhoneError');

/**
 * Base class of every error the client throws, so one `catch` can tell them from the rest.
 *
 * @example
 * ```ts
 * try {
 *   await client.updatePhoneNumber(input);
 * } catch (error) {
 *   if (error instanceof MemberPhoneError) report(error.message, error.attempts);
 *   else throw error;
 * }
 * ```
 */
export class MemberPhoneError extends Error {
  override name = 'MemberPhoneError';
  readonly [BRAND] = true;
  /** Which subclass this is, readable across package copies. */
  readonly kind: MemberPhoneErrorKind;
  /** How many HTTP requests the call sent before giving up (0 when refused before sending). */
  readonly attempts: number;

  constructor(
    message: string,
    kind: MemberPhoneErrorKind,
    options: { cause?: unknown; attempts?: number | undefined } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.kind = kind;
    this.attempts = options.attempts ?? 1;
  }
}

/**
 * What the client knows about a non-2xx answer (or a 2xx it could not read).
 *
 * @example
 * ```ts
 * const details: MemberPhoneApiErrorDetails = { errorCode: 'Forbidden', errorMessage: '…', status: 403 };
 * ```
 */
export interface MemberPhoneApiErrorDetails {
  errorCode: ApiErrorCode;
  errorMessage: string;
  status: number;
  requestId?: string | undefined;
  retryAfterSeconds?: number | undefined;
  wellFormedBody?: boolean;
  /** How many requests were sent, this one included. Default 1. */
  attempts?: number | undefined;
}

/**
 * The API answered with an error. Branch on `errorCode` (or on `family`), not on `status`.
 * The client throws the family's subclass ({@link MemberPhoneAuthenticationError}, …); a code
 * newer than this client comes as this class itself with `family: 'unknown'`.
 *
 * When the body was not the API's `{errorCode, errorMessage}` (a proxy's HTML page, an empty
 * body), `wellFormedBody` is `false` and `errorCode` is derived from the status.
 *
 * @example
 * ```ts
 * try {
 *   await client.updatePhoneNumber('010-1234-5678');
 * } catch (error) {
 *   if (isMemberPhoneApiError(error, 'SecondAuthRequired')) await runArsVerification();
 *   else throw error;
 * }
 * ```
 */
export class MemberPhoneApiError extends MemberPhoneError {
  override name = 'MemberPhoneApiError';
  /** A catalog code, or a newer code this client version does not know yet. */
  readonly errorCode: ApiErrorCode;
  /** The server's message, in the requested language. */
  readonly errorMessage: string;
  readonly status: number;
  /** What a caller usually does about this code. */
  readonly family: ErrorFamily;
  /** The `x-request-id` answer header: quote it when reporting a problem. */
  readonly requestId: string | undefined;
  /** From `Retry-After` (on `429` and `503`), in seconds. */
  readonly retryAfterSeconds: number | undefined;
  /** `false` when the body was not the API's error shape. */
  readonly wellFormedBody: boolean;

  constructor(details: MemberPhoneApiErrorDetails) {
    super(`${details.errorCode} (${details.status}): ${details.errorMessage}`, 'api', {
      attempts: details.attempts,
    });
    this.errorCode = details.errorCode;
    this.errorMessage = details.errorMessage;
    this.status = details.status;
    this.family = errorFamilyOf(details.errorCode);
    this.requestId = details.requestId;
    this.retryAfterSeconds = details.retryAfterSeconds;
    this.wellFormedBody = details.wellFormedBody ?? true;
  }
}

/**
 * The credentials were refused: `Unauthorized`, `InvalidAPIKey`, `SignatureDoesNotMatch`,
 * `RequestTimeTooSkewed` or `DuplicatedSignature`.
 *
 * @example
 * ```ts
 * if (error instanceof MemberPhoneAuthenticationError && error.errorCode === 'RequestTimeTooSkewed') {
 *   console.warn('check the clock of this machine');
 * }
 * ```
 */
export class MemberPhoneAuthenticationError extends MemberPhoneApiError {
  override name = 'MemberPhoneAuthenticationError';
}

/**
 * The credential lacks the permission (`Forbidden`) or the member's status forbids the operation
 * (`InvalidMemberStatus`).
 *
 * @example
 * ```ts
 * if (error instanceof MemberPhonePermissionError) showMessage(error.errorMessage);
 * ```
 */
export class MemberPhonePermissionError extends MemberPhoneApiError {
  override name = 'MemberPhonePermissionError';
}

/**
 * The server refused the request itself: `ValidationError`, `InvalidPhoneNumber`,
 * `PayloadTooLarge` or `UnsupportedMediaType`. (A number refused before sending is a
 * {@link MemberPhoneValidationError} instead; {@link isMemberPhoneValidationError} matches both.)
 *
 * @example
 * ```ts
 * if (error instanceof MemberPhoneInvalidRequestError) showFieldError(error.errorMessage);
 * ```
 */
export class MemberPhoneInvalidRequestError extends MemberPhoneApiError {
  override name = 'MemberPhoneInvalidRequestError';
}

/**
 * `SecondAuthRequired`: no usable ARS verification of this member and number. Verify the number
 * (for instance with `client.updatePhoneNumberWithArs`) and send the update again.
 *
 * @example
 * ```ts
 * if (error instanceof MemberPhoneSecondAuthRequiredError) {
 *   await client.updatePhoneNumberWithArs(phoneNumber, { onProgress });
 * }
 * ```
 */
export class MemberPhoneSecondAuthRequiredError extends MemberPhoneApiError {
  override name = 'MemberPhoneSecondAuthRequiredError';
}

/**
 * `TooManyRequests`: a rate limit; `retryAfterSeconds` says when to try again.
 *
 * @example
 * ```ts
 * if (error instanceof MemberPhoneRateLimitError) showMessage(`retry in ${error.retryAfterSeconds} s`);
 * ```
 */
export class MemberPhoneRateLimitError extends MemberPhoneApiError {
  override name = 'MemberPhoneRateLimitError';
}

/**
 * `ResourceNotFound`: for instance another member's verification id.
 *
 * @example
 * ```ts
 * if (error instanceof MemberPhoneNotFoundError) startOver();
 * ```
 */
export class MemberPhoneNotFoundError extends MemberPhoneApiError {
  override name = 'MemberPhoneNotFoundError';
}

/**
 * The server failed: `InternalError`, `ServiceUnavailable`, or a 5xx without the API's body.
 * The client already retried the idempotent calls; `attempts` says how often.
 *
 * @example
 * ```ts
 * if (error instanceof MemberPhoneServiceError) logger.error({ requestId: error.requestId }, 'API down');
 * ```
 */
export class MemberPhoneServiceError extends MemberPhoneApiError {
  override name = 'MemberPhoneServiceError';
}

const API_ERROR_CLASSES: Readonly<Record<ErrorFamily, typeof MemberPhoneApiError>> = {
  authentication: MemberPhoneAuthenticationError,
  permission: MemberPhonePermissionError,
  validation: MemberPhoneInvalidRequestError,
  'second-auth': MemberPhoneSecondAuthRequiredError,
  'rate-limit': MemberPhoneRateLimitError,
  'not-found': MemberPhoneNotFoundError,
  service: MemberPhoneServiceError,
  unknown: MemberPhoneApiError,
};

/**
 * Builds the API error of the code's family, as the client does for every error answer.
 *
 * @example
 * ```ts
 * const error = apiErrorFor({ errorCode: 'TooManyRequests', errorMessage: '…', status: 429 });
 * error instanceof MemberPhoneRateLimitError; // true
 * ```
 */
export function apiErrorFor(details: MemberPhoneApiErrorDetails): MemberPhoneApiError {
  return new API_ERROR_CLASSES[errorFamilyOf(details.errorCode)](details);
}

/**
 * The phone number was refused locally by `checkKoreanMobileNumber`; no request was sent.
 * `errorCode` matches what the server would have answered.
 *
 * @example
 * ```ts
 * try {
 *   await client.updatePhoneNumber('070-1234-5678');
 * } catch (error) {
 *   if (error instanceof MemberPhoneValidationError) showFieldError(error.reason); // 'NOT_MOBILE'
 * }
 * ```
 */
export class MemberPhoneValidationError extends MemberPhoneError {
  override name = 'MemberPhoneValidationError';
  readonly errorCode = 'InvalidPhoneNumber' as const;
  readonly family = 'validation' as const;
  readonly reason: PhoneNumberRejection;

  constructor(reason: PhoneNumberRejection) {
    // The number itself stays out of the message: messages end up in logs.
    super(`phoneNumber is not a Korean mobile number (${reason})`, 'validation', { attempts: 0 });
    this.reason = reason;
  }
}

/**
 * The request never got an HTTP answer (DNS, refused connection, reset socket), after the
 * retries the client's policy allowed. The original error is kept as `cause`; `code` is its
 * system error code when there is one.
 *
 * @example
 * ```ts
 * catch (error) {
 *   if (error instanceof MemberPhoneNetworkError && error.code === 'ECONNREFUSED') retryLater();
 * }
 * ```
 */
export class MemberPhoneNetworkError extends MemberPhoneError {
  override name = 'MemberPhoneNetworkError';
  readonly code: string | undefined;

  constructor(message: string, code: string | undefined, cause: unknown, attempts?: number) {
    super(message, 'network', { cause, attempts });
    this.code = code;
  }
}

/**
 * No complete answer arrived within the time allowed: one attempt's `timeoutMs`, the retry
 * policy's `maxElapsedMs`, or the ARS helper's overall `timeoutMs`. The server may still have
 * applied a change; `PUT` is idempotent, so sending it again is safe.
 *
 * @example
 * ```ts
 * catch (error) {
 *   if (error instanceof MemberPhoneTimeoutError) console.warn(`gave up after ${error.timeoutMs} ms`);
 * }
 * ```
 */
export class MemberPhoneTimeoutError extends MemberPhoneError {
  override name = 'MemberPhoneTimeoutError';
  readonly timeoutMs: number;

  constructor(timeoutMs: number, cause: unknown, attempts?: number) {
    super(`No answer within ${timeoutMs} ms`, 'timeout', { cause, attempts });
    this.timeoutMs = timeoutMs;
  }
}

/**
 * The ARS verification ended without being verified (`FAILED`, `EXPIRED`, `CANCELED`, or
 * already `CONSUMED`), so the ARS helper did not send the update.
 *
 * @example
 * ```ts
 * catch (error) {
 *   if (error instanceof MemberPhoneArsError && error.status === 'FAILED') showMessage('wrong code, try again');
 * }
 * ```
 */
export class MemberPhoneArsError extends MemberPhoneError {
  override name = 'MemberPhoneArsError';
  readonly verificationId: string;
  readonly status: ArsVerificationStatus;

  constructor(verificationId: string, status: ArsVerificationStatus, attempts?: number) {
    super(`The ARS verification ended as ${status}`, 'ars', { attempts });
    this.verificationId = verificationId;
    this.status = status;
  }
}
