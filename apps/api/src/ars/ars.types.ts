import type { ArsVerificationStatus } from '@member-phone/core';

/** What one keypad entry did to its verification. `not_open`: unknown, closed, expired or out of attempts. */
export type KeypadOutcome = 'verified' | 'mismatch' | 'failed' | 'not_open';

/** Digits typed during a call, naming the verification by our id or by the provider's call id. */
export interface KeypadInput {
  readonly verificationId?: string;
  readonly providerCallId?: string;
  readonly digits: string;
}

/**
 * Answer of the telephony webhook. `ignored`: an event type this service does not act on;
 * `duplicate`: a copy of an event already received, not acted on again.
 */
export interface TelephonyEventResult {
  readonly outcome: KeypadOutcome | 'ignored' | 'duplicate';
}

/** Answer of the development keypad route. */
export interface SimulatedKeypadResult {
  readonly outcome: KeypadOutcome;
  readonly status: ArsVerificationStatus;
}

/** The proof the phone-number update asks for, inside its own transaction. */
export interface ProofClaim {
  readonly memberId: string;
  /** National digits, as stored. */
  readonly phoneNumber: string;
  readonly credentialId: string;
  readonly now: number;
}
