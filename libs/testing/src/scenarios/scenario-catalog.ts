import {
  ARS_VERIFICATION_STATUSES,
  ERROR_CATALOG,
  type ArsVerificationStatus,
  type ErrorCode,
  OPERATION_ERROR_CODES,
  type Operation,
} from '@member-phone/core';
import { OPERATION_ROUTES, OPERATIONS } from './operation-routes';
import { type Scenario, type ScenarioName, type ScenarioRequest, type ScenarioState } from './scenario.types';

const CURRENT_NUMBER = '01000000000';
const NEW_NUMBER = '01012345678';
const FIFTEEN_MINUTES_AND_MORE = 20 * 60 * 1000;
// Over the service's default body limit (16 KiB), still JSON so only the size is wrong.
const OVERSIZED_BODY = `{"phoneNumber":"${NEW_NUMBER}","padding":"${'x'.repeat(20 * 1024)}"}`;

const BASE_STATE: ScenarioState = {
  member: { status: 'ACTIVE', phoneNumber: CURRENT_NUMBER },
  scopes: null,
};

interface ErrorSetup {
  readonly state?: Partial<ScenarioState>;
  readonly request?: Partial<ScenarioRequest>;
  readonly whenToUse: string;
}

function otherScope(operation: Operation): string[] {
  return [OPERATION_ROUTES[operation].scope === 'users:read' ? 'users:write' : 'users:read'];
}

// How each code comes about in the real service, shared by every route that answers it.
function errorSetup(code: ErrorCode, operation: Operation): ErrorSetup {
  switch (code) {
    case 'ValidationError':
      return {
        request: {
          rawBody: {
            contentType: 'application/json',
            text: `{"phoneNumber":"${NEW_NUMBER}","memberId":"18010100001000"}`,
          },
        },
        whenToUse: 'the code under test sends a body with a missing, extra or mistyped field',
      };
    case 'PayloadTooLarge':
      return {
        request: { rawBody: { contentType: 'application/json', text: OVERSIZED_BODY } },
        whenToUse: 'the code under test sends a body over the service limit (16 KiB by default)',
      };
    case 'UnsupportedMediaType':
      return {
        request: { rawBody: { contentType: 'text/plain', text: `phoneNumber=${NEW_NUMBER}` } },
        whenToUse: 'the code under test forgets `Content-Type: application/json`',
      };
    case 'InvalidPhoneNumber':
      return {
        request: {
          rawBody: { contentType: 'application/json', text: '{"phoneNumber":"070-1234-5678"}' },
        },
        whenToUse: 'the service refuses the number (not a Korean mobile number) and the UI must say so',
      };
    case 'Unauthorized':
      return {
        request: { credential: 'none' },
        whenToUse: 'credentials are missing or malformed, or a bearer token expired',
      };
    case 'InvalidAPIKey':
      return {
        request: { credential: 'unknown-key' },
        whenToUse: 'the API key is unknown or was disabled',
      };
    case 'SignatureDoesNotMatch':
      return {
        request: { credential: 'wrong-secret' },
        whenToUse: 'the request is signed with the wrong secret',
      };
    case 'RequestTimeTooSkewed':
      return {
        state: { serverClockAheadMs: FIFTEEN_MINUTES_AND_MORE },
        whenToUse: 'the caller’s clock is more than 15 minutes off',
      };
    case 'DuplicatedSignature':
      return {
        request: { credential: 'replayed' },
        whenToUse: 'a signed request is replayed (a retry that reuses the signature)',
      };
    case 'Forbidden':
      return {
        state: { scopes: otherScope(operation) },
        whenToUse: `the credential lacks \`${OPERATION_ROUTES[operation].scope}\``,
      };
    case 'InvalidMemberStatus':
      return {
        state: { member: { status: 'INACTIVE', phoneNumber: CURRENT_NUMBER } },
        whenToUse: 'the member is not in a status the operation allows (here INACTIVE)',
      };
    case 'SecondAuthRequired':
      return {
        whenToUse: 'a new number without a completed ARS verification: the UI must start one',
      };
    case 'TooManyRequests':
      return {
        state: { recentArsCall: true },
        whenToUse: 'a rate limit refuses the call; the answer carries `Retry-After`',
      };
    case 'ResourceNotFound':
      return {
        request: { verificationId: 'unknown' },
        whenToUse: 'the verification id is unknown or belongs to another member',
      };
    case 'InternalError':
      return {
        state: { failure: 'bug' },
        whenToUse: 'the service hits a bug; the client must show a generic failure',
      };
    case 'ServiceUnavailable':
      return {
        state: { failure: 'database-unreachable' },
        whenToUse: 'the service’s database (or telephony provider) is down; `Retry-After` is set',
      };
  }
}

function baseRequest(operation: Operation): ScenarioRequest {
  if (OPERATION_ROUTES[operation].hasBody) return { credential: 'valid', phoneNumber: NEW_NUMBER };
  if (operation === 'getArsVerification') return { credential: 'valid', verificationId: 'own' };
  return { credential: 'valid' };
}

function baseState(operation: Operation): ScenarioState {
  if (operation !== 'getArsVerification') return BASE_STATE;
  return { ...BASE_STATE, arsVerification: { phoneNumber: NEW_NUMBER, status: 'CALLING' } };
}

function errorScenario(operation: Operation, code: ErrorCode): Scenario {
  const setup = errorSetup(code, operation);
  // A key without users:write cannot start the verification it would then read; the permission
  // check comes before the lookup anyway.
  const state =
    operation === 'getArsVerification' && code === 'Forbidden'
      ? { ...BASE_STATE, ...setup.state }
      : { ...baseState(operation), ...setup.state };
  const request =
    operation === 'getArsVerification' && code === 'Forbidden'
      ? { ...baseRequest(operation), verificationId: 'unknown' as const, ...setup.request }
      : { ...baseRequest(operation), ...setup.request };
  return {
    name: `${operation}.${code}` as ScenarioName,
    operation,
    status: ERROR_CATALOG[code].status,
    errorCode: code,
    whenToUse: setup.whenToUse,
    state,
    request,
  };
}

const ARS_STATUS_USE: Readonly<Record<ArsVerificationStatus, string>> = {
  CALLING: 'the call is ringing or the person has not typed the code yet (poll again)',
  VERIFIED: 'the person typed the code: the number update may go ahead',
  FAILED: 'every keypad attempt was used up with wrong codes',
  EXPIRED: 'the call window ran out before the code was typed',
  CONSUMED: 'the proof was already used by a number update',
  CANCELED: 'a newer verification of the same member replaced this one',
};

function successScenarios(): Scenario[] {
  const arsStates: Scenario[] = ARS_VERIFICATION_STATUSES.map((status) => ({
    name: `getArsVerification.${status}` as const,
    operation: 'getArsVerification' as const,
    status: 200,
    errorCode: undefined,
    whenToUse: `the verification is ${status}: ${ARS_STATUS_USE[status]}`,
    state: { ...BASE_STATE, arsVerification: { phoneNumber: NEW_NUMBER, status } },
    request: { credential: 'valid', verificationId: 'own' },
  }));
  return [
    {
      name: 'updatePhoneNumber.success',
      operation: 'updatePhoneNumber',
      status: 200,
      errorCode: undefined,
      whenToUse: 'the member completed the ARS verification of the new number: the update succeeds',
      state: { ...BASE_STATE, arsVerification: { phoneNumber: NEW_NUMBER, status: 'VERIFIED' } },
      request: { credential: 'valid', phoneNumber: NEW_NUMBER },
    },
    {
      name: 'updatePhoneNumber.sameNumber',
      operation: 'updatePhoneNumber',
      status: 200,
      errorCode: undefined,
      whenToUse: 'the number sent is the member’s current one (or a retried update): 200, no ARS needed',
      state: { ...BASE_STATE, member: { status: 'ACTIVE', phoneNumber: NEW_NUMBER } },
      request: { credential: 'valid', phoneNumber: NEW_NUMBER },
    },
    {
      name: 'getMember.success',
      operation: 'getMember',
      status: 200,
      errorCode: undefined,
      whenToUse: 'the code under test reads the signed-in member',
      state: BASE_STATE,
      request: { credential: 'valid' },
    },
    {
      name: 'startArsVerification.success',
      operation: 'startArsVerification',
      status: 201,
      errorCode: undefined,
      whenToUse: 'the call to the new number is placed; show the returned code on screen',
      state: BASE_STATE,
      request: { credential: 'valid', phoneNumber: NEW_NUMBER },
    },
    ...arsStates,
  ];
}

function buildScenarios(): readonly Scenario[] {
  const successes = successScenarios();
  const all: Scenario[] = [];
  for (const operation of OPERATIONS) {
    all.push(...successes.filter((scenario) => scenario.operation === operation));
    for (const code of OPERATION_ERROR_CODES[operation]) all.push(errorScenario(operation, code));
  }
  return Object.freeze(all);
}

/**
 * Every scenario the kit serves, grouped by operation: successes first, then each error code the
 * route can answer with, in catalog order. The docs' scenario catalog is generated from this list
 * and the api app's conformance suite proves each entry against the real service.
 *
 * @example
 * ```ts
 * SCENARIOS.filter((s) => s.operation === 'getMember').map((s) => s.name);
 * // ['getMember.success', 'getMember.Unauthorized', …]
 * ```
 */
export const SCENARIOS: readonly Scenario[] = buildScenarios();

const BY_NAME = new Map<string, Scenario>(SCENARIOS.map((scenario) => [scenario.name, scenario]));

/**
 * Whether a string names a scenario.
 *
 * @example
 * ```ts
 * isScenarioName('getMember.success'); // true
 * isScenarioName('getMember.SecondAuthRequired'); // false
 * ```
 */
export function isScenarioName(value: unknown): value is ScenarioName {
  return typeof value === 'string' && BY_NAME.has(value);
}

/**
 * The scenario with this name.
 *
 * @throws TypeError for an unknown name (only reachable from untyped code)
 *
 * @example
 * ```ts
 * getScenario('startArsVerification.TooManyRequests').state.recentArsCall; // true
 * ```
 */
export function getScenario(name: ScenarioName): Scenario {
  const scenario = BY_NAME.get(name);
  if (!scenario) throw new TypeError(`Unknown scenario: ${String(name)}`);
  return scenario;
}
