/**
 * States of an ARS (automatic response system) phone-call verification.
 *
 * - `CALLING`: the call is placed; waiting for the keypad.
 * - `VERIFIED`: the right code was typed; usable once by the phone-number update.
 * - `FAILED`: the attempts ran out, or the call could not be placed.
 * - `EXPIRED`: the call window or the proof's lifetime passed.
 * - `CONSUMED`: a phone-number update used it.
 * - `CANCELED`: a newer verification of the same member replaced it.
 *
 * @example
 * ```ts
 * ARS_VERIFICATION_STATUSES.includes(verification.status); // true
 * ```
 */
export const ARS_VERIFICATION_STATUSES = [
  'CALLING',
  'VERIFIED',
  'FAILED',
  'EXPIRED',
  'CONSUMED',
  'CANCELED',
] as const;

/**
 * One of {@link ARS_VERIFICATION_STATUSES}.
 *
 * @example
 * ```ts
 * const status: ArsVerificationStatus = 'VERIFIED';
 * ```
 */
export type ArsVerificationStatus = (typeof ARS_VERIFICATION_STATUSES)[number];

/**
 * Keypad attempts allowed for one verification.
 *
 * @example
 * ```ts
 * const attemptsLeft = ARS_MAX_ATTEMPTS - attemptsUsed; // ARS_MAX_ATTEMPTS is 5
 * ```
 */
export const ARS_MAX_ATTEMPTS = 5;
/**
 * How long the call waits for the keypad, in milliseconds.
 *
 * @example
 * ```ts
 * const expireAt = new Date(now + ARS_CALL_WINDOW_MS); // 3 minutes
 * ```
 */
export const ARS_CALL_WINDOW_MS = 3 * 60 * 1000;
/**
 * How long a verified proof stays usable, in milliseconds.
 *
 * @example
 * ```ts
 * const usableUntil = new Date(verifiedAt + ARS_PROOF_LIFETIME_MS); // 5 minutes
 * ```
 */
export const ARS_PROOF_LIFETIME_MS = 5 * 60 * 1000;

/**
 * Answer of `GET /users/v1/member/phone-number/ars/{verificationId}`: the status, never the code.
 *
 * @example
 * ```ts
 * const v: ArsVerification = await client.getArsVerification(id);
 * if (v.status === 'VERIFIED') await client.updatePhoneNumber(v.phoneNumber);
 * ```
 */
export interface ArsVerification {
  verificationId: string;
  /** The number being verified, in national digits. */
  phoneNumber: string;
  status: ArsVerificationStatus;
  /** Keypad attempts left before the verification fails. */
  attemptsLeft: number;
  /** While `CALLING`: end of the call window. Once `VERIFIED`: end of the proof's lifetime. */
  expireAt: string;
}

/**
 * Answer of `POST /users/v1/member/phone-number/ars` (`201`): the verification plus the digits to
 * show on screen, which the person types on the phone's keypad during the call.
 *
 * @example
 * ```ts
 * const started: ArsVerificationStarted = await client.startArsVerification('01012345678');
 * showOnScreen(started.code);
 * ```
 */
export interface ArsVerificationStarted extends ArsVerification {
  code: string;
}
