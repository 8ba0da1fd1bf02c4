import { type ErrorCode, ERROR_CODES } from './error-catalog';

/** Codes every authenticated route can answer with before its own rules run. */
const AUTHENTICATED = [
  'Unauthorized',
  'InvalidAPIKey',
  'SignatureDoesNotMatch',
  'RequestTimeTooSkewed',
  'DuplicatedSignature',
  'Forbidden',
  'InvalidMemberStatus',
  'InternalError',
  'ServiceUnavailable',
] as const satisfies readonly ErrorCode[];

/** Codes every route with a JSON body can answer with. */
const JSON_BODY = [
  'ValidationError',
  'PayloadTooLarge',
  'UnsupportedMediaType',
] as const satisfies readonly ErrorCode[];

/** The same codes, in the catalog's order (the order documents and tests list them in). */
function inCatalogOrder<const T extends readonly ErrorCode[]>(codes: T): T {
  return ERROR_CODES.filter((code) => codes.includes(code)) as unknown as T;
}

/**
 * Which error codes each operation can answer with, in catalog order. The service documents its
 * routes from this list and the test kit offers exactly these failures, so neither can claim a code
 * the other lacks.
 *
 * @example
 * ```ts
 * OPERATION_ERROR_CODES.updatePhoneNumber.includes('SecondAuthRequired'); // true
 * OPERATION_ERROR_CODES.getMember.includes('SecondAuthRequired'); // false
 * ```
 */
export const OPERATION_ERROR_CODES = {
  /** `PUT /users/v1/member/phone-number` */
  updatePhoneNumber: inCatalogOrder([
    ...JSON_BODY,
    'InvalidPhoneNumber',
    'SecondAuthRequired',
    ...AUTHENTICATED,
  ]),
  /** `GET /users/v1/member` */
  getMember: inCatalogOrder(AUTHENTICATED),
  /** `POST /users/v1/member/phone-number/ars` */
  startArsVerification: inCatalogOrder([
    ...JSON_BODY,
    'InvalidPhoneNumber',
    'TooManyRequests',
    ...AUTHENTICATED,
  ]),
  /** `GET /users/v1/member/phone-number/ars/{verificationId}` */
  getArsVerification: inCatalogOrder(['ResourceNotFound', ...AUTHENTICATED]),
} as const satisfies Record<string, readonly ErrorCode[]>;

/**
 * One of the operations of {@link OPERATION_ERROR_CODES}.
 *
 * @example
 * ```ts
 * const operation: Operation = 'updatePhoneNumber';
 * OPERATION_ERROR_CODES[operation].includes('SecondAuthRequired'); // true
 * ```
 */
export type Operation = keyof typeof OPERATION_ERROR_CODES;

/**
 * An error code the given operation can answer with.
 *
 * @example
 * ```ts
 * const code: OperationErrorCode<'getArsVerification'> = 'ResourceNotFound';
 * ```
 */
export type OperationErrorCode<O extends Operation> = (typeof OPERATION_ERROR_CODES)[O][number];
