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
 *   if (error instanceof MemberPhoneError) report(error.message);
 *   else throw error;
 * }
 * ```
 */
export class MemberPhoneError extends Error {
  override name = 'MemberPhoneError';
  readonly [BRAND] = true;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
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
}

/**
 * The API answered with an error. Branch on `errorCode`, not on `status`.
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
  /** The `x-request-id` answer header: quote it when reporting a problem. */
  readonly requestId: string | undefined;
  /** From `Retry-After` (on `429` and `503`), in seconds. */
  readonly retryAfterSeconds: number | undefined;
  /** `false` when the body was not the API's error shape. */
  readonly wellFormedBody: boolean;

  constructor(details: MemberPhoneApiErrorDetails) {
    super(`${details.errorCode} (${details.status}): ${details.errorMessage}`);
    this.errorCode = details.errorCode;
    this.errorMessage = details.errorMessage;
    this.status = details.status;
    this.requestId = details.requestId;
    this.retryAfterSeconds = details.retryAfterSeconds;
    this.wellFormedBody = details.wellFormedBody ?? true;
  }
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
  readonly reason: PhoneNumberRejection;

  constructor(reason: PhoneNumberRejection) {
    // The number itself stays out of the message: messages end up in logs.
    super(`phoneNumber is not a Korean mobile number (${reason})`);
    this.reason = reason;
  }
}

/**
 * The request never got an HTTP answer (DNS, refused connection, reset socket). The original
 * error is kept as `cause`; `code` is its system error code when there is one.
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

  constructor(message: string, code: string | undefined, cause: unknown) {
    super(message, { cause });
    this.code = code;
  }
}

/**
 * No complete answer arrived within the client's `timeoutMs`. The server may still have applied
 * the change; `PUT` is idempotent, so retrying is safe.
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

  constructor(timeoutMs: number, cause: unknown) {
    super(`No answer within ${timeoutMs} ms`, { cause });
    this.timeoutMs = timeoutMs;
  }
}

/**
 * Tells whether a value is any error thrown by the client.
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

/**
 * Tells whether a value is an API error, optionally with a given `errorCode`.
 *
 * @example
 * ```ts
 * if (isMemberPhoneApiError(error, 'DuplicatedSignature')) return retryWithFreshSignature();
 * ```
 */
export function isMemberPhoneApiError(error: unknown, code?: ApiErrorCode): error is MemberPhoneApiError {
  if (!isMemberPhoneError(error) || error.name !== 'MemberPhoneApiError') return false;
  return code === undefined || (error as MemberPhoneApiError).errorCode === code;
}
