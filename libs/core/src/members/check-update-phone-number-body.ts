import { checkKoreanMobileNumber } from '../phone-number/korean-mobile-number';
import { type UpdatePhoneNumberRequest } from './member.types';

/**
 * The outcome of {@link checkUpdatePhoneNumberBody}.
 *
 * @example
 * ```ts
 * const check: UpdatePhoneNumberBodyCheck = checkUpdatePhoneNumberBody(JSON.parse(text));
 * if (!check.ok) return { status: 400, body: { errorCode: check.errorCode } };
 * ```
 */
export type UpdatePhoneNumberBodyCheck =
  | { readonly ok: true; readonly body: UpdatePhoneNumberRequest }
  | {
      readonly ok: false;
      readonly errorCode: 'ValidationError' | 'InvalidPhoneNumber';
      /** Which part was wrong, for a log line or a `detail`; never echoes the value. */
      readonly reason: 'not an object' | 'unexpected field' | 'phoneNumber missing or not a string' | 'rule';
    };

/**
 * The rule for the parsed JSON body of `PUT /users/v1/member/phone-number` and of the ARS start: a
 * plain object with exactly one field, `phoneNumber`, a string that is a Korean mobile number. The
 * service, the client's local check and the test kit all ask this one function, so they can never
 * disagree on what a valid body is. A wrong shape is `ValidationError`; a well-formed body whose
 * number breaks the rule is `InvalidPhoneNumber`.
 *
 * @example
 * ```ts
 * checkUpdatePhoneNumberBody({ phoneNumber: '010-1234-5678' }); // { ok: true, body: { phoneNumber: '010-1234-5678' } }
 * checkUpdatePhoneNumberBody({ phoneNumber: '0212345678' }).ok; // false: InvalidPhoneNumber
 * checkUpdatePhoneNumberBody([]).ok; // false: ValidationError
 * ```
 */
export function checkUpdatePhoneNumberBody(value: unknown): UpdatePhoneNumberBodyCheck {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, errorCode: 'ValidationError', reason: 'not an object' };
  }
  const keys = Object.keys(value);
  if (keys.some((key) => key !== 'phoneNumber')) {
    return { ok: false, errorCode: 'ValidationError', reason: 'unexpected field' };
  }
  // Own property only: a `phoneNumber` inherited through a prototype is not part of the body.
  const phoneNumber: unknown = Object.prototype.hasOwnProperty.call(value, 'phoneNumber')
    ? (value as Record<string, unknown>).phoneNumber
    : undefined;
  if (typeof phoneNumber !== 'string') {
    return { ok: false, errorCode: 'ValidationError', reason: 'phoneNumber missing or not a string' };
  }
  if (!checkKoreanMobileNumber(phoneNumber).valid) {
    return { ok: false, errorCode: 'InvalidPhoneNumber', reason: 'rule' };
  }
  return { ok: true, body: { phoneNumber } };
}
