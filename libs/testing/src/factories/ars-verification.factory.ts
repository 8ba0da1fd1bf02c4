import { ARS_MAX_ATTEMPTS, type ArsVerification, type ArsVerificationStarted } from '@member-phone/core';

/**
 * An ARS verification as `GET /users/v1/member/phone-number/ars/{id}` answers it: still calling,
 * all attempts left, for the seed's number. Each call returns a new object.
 *
 * @example
 * ```ts
 * buildArsVerification({ status: 'VERIFIED' });
 * ```
 */
export function buildArsVerification(overrides: Partial<ArsVerification> = {}): ArsVerification {
  return {
    verificationId: 'ars-0f5a3c2e-7d41-4b8e-9a6f-2c1d0e9b8a70',
    phoneNumber: '01000000000',
    status: 'CALLING',
    attemptsLeft: ARS_MAX_ATTEMPTS,
    expireAt: '2019-07-30T02:41:40.642Z',
    ...overrides,
  };
}

/**
 * The `201` answer of `POST /users/v1/member/phone-number/ars`: a fresh verification plus the
 * code to show on screen.
 *
 * @example
 * ```ts
 * buildArsVerificationStarted({ phoneNumber: '01012345678' }).code; // '482913'
 * ```
 */
export function buildArsVerificationStarted(
  overrides: Partial<ArsVerificationStarted> = {},
): ArsVerificationStarted {
  return { ...buildArsVerification(), code: '482913', ...overrides };
}
