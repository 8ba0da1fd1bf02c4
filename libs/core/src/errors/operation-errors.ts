import type { ErrorCode } from './error-catalog';

/**
 * Which error codes each operation can answer with, in catalog order. The service documents its routes from this
 * list and the test kit offers exactly these failures, so neither can claim a code the other lacks.
 *
 * @example
 * ```ts
 * OPERATION_ERROR_CODES.updatePhoneNumber.includes('SecondAuthRequired'); // true
 * OPERATION_ERROR_CODES.getMember.includes('SecondAuthRequired'); // false
 * ```
 */
export const OPERATION_ERROR_CODES = {
  /** `PUT /users/v1/member/phone-number` */
  updatePhoneNumber: [
    'ValidationError',
    'InvalidPhoneNumber',
    'Unauthorized',
    'InvalidAPIKey',
    'SignatureDoesNotMatch',
    'RequestTimeTooSkewed',
    'DuplicatedSignature',
    'Forbidden',
    'InvalidMemberStatus',
    'SecondAuthRequired',
    'PayloadTooLarge',
    'UnsupportedMediaType',
    'InternalError',
    'ServiceUnavailable',
  ],
  /** `GET /users/v1/member` */
  getMember: [
    'Unauthorized',
    'InvalidAPIKey',
    'SignatureDoesNotMatch',
    'RequestTimeTooSkewed',
    'DuplicatedSignature',
    'Forbidden',
    'InvalidMemberStatus',
    'InternalError',
    'ServiceUnavailable',
  ],
  /** `POST /users/v1/member/phone-number/ars` */
  startArsVerification: [
    'ValidationError',
    'InvalidPhoneNumber',
    'Unauthorized',
    'InvalidAPIKey',
    'SignatureDoesNotMatch',
    'RequestTimeTooSkewed',
    'DuplicatedSignature',
    'Forbidden',
    'InvalidMemberStatus',
    'PayloadTooLarge',
    'UnsupportedMediaType',
    'TooManyRequests',
    'InternalError',
    'ServiceUnavailable',
  ],
  /** `GET /users/v1/member/phone-number/ars/{verificationId}` */
  getArsVerification: [
    'Unauthorized',
    'InvalidAPIKey',
    'SignatureDoesNotMatch',
    'RequestTimeTooSkewed',
    'DuplicatedSignature',
    'Forbidden',
    'InvalidMemberStatus',
    'ResourceNotFound',
    'InternalError',
    'ServiceUnavailable',
  ],
} as const satisfies Record<string, readonly ErrorCode[]>;

/** One of the operations of {@link OPERATION_ERROR_CODES}. */
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
