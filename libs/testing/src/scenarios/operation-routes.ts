import { type Operation } from '@member-phone/core';

/**
 * Method and path of one operation of the API, as the service routes it.
 *
 * @example
 * ```ts
 * const route: OperationRoute = OPERATION_ROUTES.getMember; // { method: 'GET', path: '/users/v1/member', … }
 * ```
 */
export interface OperationRoute {
  readonly method: 'GET' | 'PUT' | 'POST';
  /** With `{verificationId}` where the path carries one. */
  readonly path: string;
  /** Whether the request carries the `{phoneNumber}` JSON body. */
  readonly hasBody: boolean;
  /** Permission a credential needs. */
  readonly scope: 'users:read' | 'users:write';
}

/**
 * The four routes the kit fakes, keyed by the operation names of `OPERATION_ERROR_CODES`.
 *
 * @example
 * ```ts
 * OPERATION_ROUTES.updatePhoneNumber.path; // '/users/v1/member/phone-number'
 * ```
 */
export const OPERATION_ROUTES: Readonly<Record<Operation, OperationRoute>> = {
  updatePhoneNumber: {
    method: 'PUT',
    path: '/users/v1/member/phone-number',
    hasBody: true,
    scope: 'users:write',
  },
  getMember: { method: 'GET', path: '/users/v1/member', hasBody: false, scope: 'users:read' },
  startArsVerification: {
    method: 'POST',
    path: '/users/v1/member/phone-number/ars',
    hasBody: true,
    scope: 'users:write',
  },
  getArsVerification: {
    method: 'GET',
    path: '/users/v1/member/phone-number/ars/{verificationId}',
    hasBody: false,
    scope: 'users:write',
  },
};

/**
 * Every operation, in the order documents list them.
 *
 * @example
 * ```ts
 * OPERATIONS[0]; // 'updatePhoneNumber'
 * ```
 */
export const OPERATIONS: readonly Operation[] = [
  'updatePhoneNumber',
  'getMember',
  'startArsVerification',
  'getArsVerification',
];
