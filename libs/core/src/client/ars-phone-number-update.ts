import { ARS_CALL_WINDOW_MS, type ArsVerification, type ArsVerificationStarted } from '../ars/ars.types';
import { type Member } from '../members/member.types';
import { isMemberPhoneSecondAuthError } from './member-phone-error-guards';
import { MemberPhoneArsError, MemberPhoneTimeoutError } from './member-phone-errors';
import { abortableSleep } from './retry-policy';

/**
 * One step of {@link MemberPhoneClient.updatePhoneNumberWithArs}, in this order:
 * `calling` once (with the `code` to show on screen), `waiting` after every poll that still
 * says `CALLING` (with `attemptsLeft`), `verified` once, `updated` once with the member. When the
 * first update needs no second authentication (the member already holds the number), `updated`
 * is the only step and no call is placed.
 *
 * @example
 * ```ts
 * const onProgress = (event: ArsProgressEvent) => {
 *   if (event.stage === 'calling') showOnScreen(event.verification.code);
 * };
 * ```
 */
export type ArsProgressEvent =
  | { stage: 'calling'; verification: ArsVerificationStarted }
  | { stage: 'waiting'; verification: ArsVerification }
  | { stage: 'verified'; verification: ArsVerification }
  | { stage: 'updated'; member: Member };

/**
 * Options of {@link MemberPhoneClient.updatePhoneNumberWithArs}.
 *
 * @example
 * ```ts
 * const options: ArsUpdateOptions = { onProgress, signal: controller.signal, timeoutMs: 120_000 };
 * ```
 */
export interface ArsUpdateOptions {
  /**
   * Called at every step; a returned promise is awaited before the flow goes on, and a throw (or
   * rejection) stops the flow with that error.
   */
  onProgress?: (event: ArsProgressEvent) => unknown;
  /** Aborting it stops the flow (between polls too) with the signal's reason. */
  signal?: AbortSignal;
  /** The whole flow. Default the call window plus 30 s (210000). */
  timeoutMs?: number;
  /** Wait before the first status poll; each later wait is 1.5 times longer. Default 1000. */
  pollIntervalMs?: number;
  /** Ceiling of the wait between polls. Default 5000. */
  maxPollIntervalMs?: number;
}

/**
 * Default overall time of the ARS helper: the call window plus some slack for the update.
 *
 * @example
 * ```ts
 * DEFAULT_ARS_UPDATE_TIMEOUT_MS; // 210000
 * ```
 */
export const DEFAULT_ARS_UPDATE_TIMEOUT_MS = ARS_CALL_WINDOW_MS + 30_000;

// What the helper needs of the client; a structural type keeps this file free of an import cycle.
interface ArsCapableClient {
  startArsVerification(
    phoneNumber: string,
    options?: { signal?: AbortSignal },
  ): Promise<ArsVerificationStarted>;
  getArsVerification(verificationId: string, options?: { signal?: AbortSignal }): Promise<ArsVerification>;
  updatePhoneNumber(phoneNumber: string, options?: { signal?: AbortSignal }): Promise<Member>;
}

function positiveInteger(name: string, value: number): number {
  if (!Number.isInteger(value) || value <= 0 || value > 2_147_483_647) {
    throw new RangeError(`${name} must be a positive integer`);
  }
  return value;
}

/**
 * The flow behind `client.updatePhoneNumberWithArs`; call that method instead.
 *
 * @example
 * ```ts
 * const member = await runArsPhoneNumberUpdate(client, '01012345678', { onProgress });
 * ```
 */
export async function runArsPhoneNumberUpdate(
  client: ArsCapableClient,
  phoneNumber: string,
  options: ArsUpdateOptions = {},
): Promise<Member> {
  const timeoutMs = positiveInteger('timeoutMs', options.timeoutMs ?? DEFAULT_ARS_UPDATE_TIMEOUT_MS);
  let intervalMs = positiveInteger('pollIntervalMs', options.pollIntervalMs ?? 1000);
  const maxIntervalMs = positiveInteger('maxPollIntervalMs', options.maxPollIntervalMs ?? 5000);
  const callerSignal = options.signal;
  callerSignal?.throwIfAborted();
  const deadline = AbortSignal.timeout(timeoutMs);
  const signal = callerSignal ? AbortSignal.any([callerSignal, deadline]) : deadline;
  const report = async (event: ArsProgressEvent): Promise<void> => {
    await options.onProgress?.(event);
  };

  try {
    // A number the member already holds, or one with a verified proof waiting, needs no call
    // (DESIGN §2 step 5): try the update first and pay for a call only when the service asks for
    // the second authentication.
    try {
      const member = await client.updatePhoneNumber(phoneNumber, { signal });
      await report({ stage: 'updated', member });
      return member;
    } catch (error) {
      if (!isMemberPhoneSecondAuthError(error)) throw error;
    }
    const started = await client.startArsVerification(phoneNumber, { signal });
    await report({ stage: 'calling', verification: started });
    let verification: ArsVerification = started;
    let polls = 0;
    while (verification.status === 'CALLING') {
      await abortableSleep(intervalMs, signal);
      intervalMs = Math.min(maxIntervalMs, Math.ceil(intervalMs * 1.5));
      verification = await client.getArsVerification(started.verificationId, { signal });
      polls += 1;
      if (verification.status === 'CALLING') await report({ stage: 'waiting', verification });
    }
    if (verification.status !== 'VERIFIED') {
      throw new MemberPhoneArsError(started.verificationId, verification.status, polls + 1);
    }
    await report({ stage: 'verified', verification });
    // The verified number, not the caller's spelling of it: the proof is bound to those digits.
    const member = await client.updatePhoneNumber(started.phoneNumber, { signal });
    await report({ stage: 'updated', member });
    return member;
  } catch (error) {
    callerSignal?.throwIfAborted();
    if (deadline.aborted) throw new MemberPhoneTimeoutError(timeoutMs, error, 0);
    throw error;
  }
}
