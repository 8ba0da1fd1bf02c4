import {
  type ArsVerificationStatus,
  type ErrorCode,
  type MemberStatus,
  type Operation,
  type OperationErrorCode,
} from '@member-phone/core';

/**
 * The name of one scenario: `<operation>.<outcome>`. Error scenarios exist for exactly the codes
 * `OPERATION_ERROR_CODES` lists for the operation, so a name for a code the route never answers
 * does not type-check.
 *
 * @example
 * ```ts
 * const name: ScenarioName = 'updatePhoneNumber.SecondAuthRequired';
 * // const wrong: ScenarioName = 'getMember.SecondAuthRequired'; // type error
 * ```
 */
export type ScenarioName =
  | 'updatePhoneNumber.success'
  | 'updatePhoneNumber.sameNumber'
  | 'getMember.success'
  | 'startArsVerification.success'
  | `getArsVerification.${ArsVerificationStatus}`
  | { [O in Operation]: `${O}.${OperationErrorCode<O>}` }[Operation];

/**
 * An error scenario name of one operation.
 *
 * @example
 * ```ts
 * const name: ErrorScenarioName<'getMember'> = 'getMember.Forbidden';
 * ```
 */
export type ErrorScenarioName<O extends Operation> = `${O}.${OperationErrorCode<O>}`;

/**
 * What has to be true in the real service before the scenario's request is sent. The conformance
 * suite of the api app builds exactly this state, sends the request and records the answer.
 *
 * @example
 * ```ts
 * const state: ScenarioState = {
 *   member: { status: 'ACTIVE', phoneNumber: '01000000000' },
 *   scopes: null,
 *   arsVerification: { phoneNumber: '01012345678', status: 'VERIFIED' },
 * };
 * ```
 */
export interface ScenarioState {
  /** The member the credential belongs to. */
  readonly member: { readonly status: MemberStatus; readonly phoneNumber: string };
  /** Permissions of the member's API key; `null` is a key created without a scope list (all). */
  readonly scopes: readonly string[] | null;
  /** An ARS verification the member holds, in this status, made by the same API key. */
  readonly arsVerification?: { readonly phoneNumber: string; readonly status: ArsVerificationStatus };
  /** The member placed an ARS call a moment ago, so the per-member cooldown is running. */
  readonly recentArsCall?: boolean;
  /** The server's clock runs this far ahead of the caller's. */
  readonly serverClockAheadMs?: number;
  /** A dependency breaks while the request is served. */
  readonly failure?: 'database-unreachable' | 'bug';
}

/**
 * How the scenario's request is sent. The real `MemberPhoneClient` sends it unless `rawBody` asks
 * for a body the client never produces, or the credential is one the client cannot present.
 *
 * @example
 * ```ts
 * const request: ScenarioRequest = { credential: 'valid', phoneNumber: '01012345678' };
 * ```
 */
export interface ScenarioRequest {
  /**
   * `valid`: the member's key; `none`: no `Authorization` header; `unknown-key`: a key the service
   * never issued; `wrong-secret`: the member's key signed with another secret; `replayed`: an
   * `Authorization` header the service already accepted once.
   */
  readonly credential: 'valid' | 'none' | 'unknown-key' | 'wrong-secret' | 'replayed';
  /** The number the client sends (routes with a body). */
  readonly phoneNumber?: string;
  /** A body the client would refuse to send, sent as is. */
  readonly rawBody?: { readonly contentType: string; readonly text: string };
  /** `own`: the member's verification from the state; `unknown`: an id nobody holds. */
  readonly verificationId?: 'own' | 'unknown';
}

/**
 * One scripted answer of the fake API, with the state it needs in the real service and the
 * request that produces it there.
 *
 * @example
 * ```ts
 * const scenario: Scenario = getScenario('updatePhoneNumber.SecondAuthRequired');
 * scenario.status; // 403
 * scenario.errorCode; // 'SecondAuthRequired'
 * ```
 */
export interface Scenario {
  readonly name: ScenarioName;
  readonly operation: Operation;
  /** `200`/`201` for success scenarios, the catalog status for error scenarios. */
  readonly status: number;
  /** `undefined` for success scenarios. */
  readonly errorCode: ErrorCode | undefined;
  /** When a test should use it, in one sentence. */
  readonly whenToUse: string;
  readonly state: ScenarioState;
  readonly request: ScenarioRequest;
}
