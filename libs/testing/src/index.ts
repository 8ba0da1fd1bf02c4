export { buildArsVerification, buildArsVerificationStarted } from './factories/ars-verification.factory';
export { buildMember } from './factories/member.factory';
export {
  mockMemberPhoneApi,
  type MemberPhoneApiMock,
  type MockErrorOptions,
  type MockNetworkError,
  type MockReplyOptions,
  type RecordedRequest,
  type UnmatchedRequest,
} from './fixtures/member-phone-api.mock';
export {
  UPDATE_PHONE_NUMBER_ERROR_CODES,
  type UpdatePhoneNumberErrorCode,
} from './fixtures/update-phone-number-error-codes';
