export { buildArsVerification, buildArsVerificationStarted } from './factories/ars-verification.factory';
export { buildMember } from './factories/member.factory';
export {
  MemberPhoneApiMock,
  mockMemberPhoneApi,
  type FaultOptions,
  type MemberPhoneApiMockOptions,
  type MockErrorOptions,
  type MockNetworkError,
  type MockReplyOptions,
  type RecordedRequest,
  type ScenarioOptions,
  type UnmatchedRequest,
} from './fixtures/member-phone-api.mock';
export { type NetworkFault } from './fixtures/network-fault';
export {
  normalizeRecordedResponse,
  RECORDED_HEADERS,
  RECORDED_RESPONSES,
  type RecordedResponse,
  type RecordedResponses,
} from './fixtures/recorded-response';
export {
  BODY_LIMIT_BYTES,
  type FakeApiKey,
  type FakeBearerToken,
  type FakeCredentials,
} from './fixtures/service-rules';
export {
  UPDATE_PHONE_NUMBER_ERROR_CODES,
  type UpdatePhoneNumberErrorCode,
} from './fixtures/update-phone-number-error-codes';
export { useMemberPhoneApi, type UseMemberPhoneApiOptions } from './jest/use-member-phone-api';
export { OPERATION_ROUTES, OPERATIONS, type OperationRoute } from './scenarios/operation-routes';
export { getScenario, isScenarioName, SCENARIOS } from './scenarios/scenario-catalog';
export {
  type ErrorScenarioName,
  type Scenario,
  type ScenarioName,
  type ScenarioRequest,
  type ScenarioState,
} from './scenarios/scenario.types';
