export {
  ERROR_CATALOG,
  ERROR_CODES,
  errorBody,
  isErrorCode,
  languageFromAcceptLanguage,
  type ErrorBody,
  type ErrorCode,
  type ErrorDefinition,
  type MessageLanguage,
} from './errors/error-catalog';
export { OPERATION_ERROR_CODES, type Operation, type OperationErrorCode } from './errors/operation-errors';
export {
  MEMBER_FIELDS,
  MEMBER_STATUSES,
  SCOPE_USERS_READ,
  SCOPE_USERS_WRITE,
  type Member,
  type MemberStatus,
  type UpdatePhoneNumberRequest,
} from './members/member.types';
export {
  checkUpdatePhoneNumberBody,
  type UpdatePhoneNumberBodyCheck,
} from './members/check-update-phone-number-body';
export { UpdatePhoneNumberDto } from './members/update-phone-number.dto';
export {
  ARS_CALL_WINDOW_MS,
  ARS_MAX_ATTEMPTS,
  ARS_PROOF_LIFETIME_MS,
  ARS_VERIFICATION_STATUSES,
  type ArsVerification,
  type ArsVerificationStarted,
  type ArsVerificationStatus,
} from './ars/ars.types';
export {
  checkKoreanMobileNumber,
  type PhoneNumberCheck,
  type PhoneNumberRejection,
} from './phone-number/korean-mobile-number';
export { maskPhoneNumber } from './phone-number/mask-phone-number';
export {
  IsKoreanMobileNumber,
  KOREAN_MOBILE_CONSTRAINT,
} from './phone-number/is-korean-mobile-number.decorator';
export {
  computeHmacSignature,
  HMAC_ALGORITHMS,
  HMAC_SIGNATURE_HEX_LENGTH,
  isHmacAlgorithm,
  signaturesEqual,
  type HmacAlgorithm,
} from './auth/hmac-signature';
export { generateSalt, SALT_MAX_LENGTH, SALT_MIN_LENGTH } from './auth/salt';
export { parseIsoDateWithOffset } from './auth/iso-date';
export { HMAC_MAX_CLOCK_SKEW_MS, HMAC_REPLAY_WINDOW_MS } from './auth/hmac-limits';
export { DEFAULT_BODY_LIMIT_BYTES } from './http/body-limit';
export { AUTH_REALM, WWW_AUTHENTICATE_CHALLENGE } from './auth/www-authenticate';
export {
  AUTHORIZATION_MAX_LENGTH,
  parseAuthorizationHeader,
  type AuthorizationParse,
  type AuthorizationRejection,
  type HmacAuthorizationCredentials,
} from './auth/parse-authorization';
export { signHmacAuthorization, type HmacCredentials, type SignHmacOptions } from './auth/sign-authorization';
export {
  createMemberPhoneClient,
  DEFAULT_BASE_URL,
  DEFAULT_TIMEOUT_MS,
  MemberPhoneClient,
  type MemberPhoneClientAuth,
  type MemberPhoneClientOptions,
  type MemberPhoneRequestOptions,
} from './client/member-phone-client';
export { type BearerTokenContext, type BearerTokenProvider } from './client/bearer-token';
export {
  DEFAULT_RETRY_OPTIONS,
  RETRYABLE_STATUSES,
  type ResolvedRetryOptions,
  type RetryOptions,
} from './client/retry-policy';
export {
  DEFAULT_ARS_UPDATE_TIMEOUT_MS,
  type ArsProgressEvent,
  type ArsUpdateOptions,
} from './client/ars-phone-number-update';
export {
  ERROR_FAMILIES,
  errorFamilyOf,
  MemberPhoneApiError,
  MemberPhoneArsError,
  MemberPhoneAuthenticationError,
  MemberPhoneError,
  MemberPhoneInvalidRequestError,
  MemberPhoneNetworkError,
  MemberPhoneNotFoundError,
  MemberPhonePermissionError,
  MemberPhoneRateLimitError,
  MemberPhoneSecondAuthRequiredError,
  MemberPhoneServiceError,
  MemberPhoneTimeoutError,
  MemberPhoneValidationError,
  type ApiErrorCode,
  type ErrorFamily,
  type MemberPhoneApiErrorDetails,
  type MemberPhoneErrorKind,
} from './client/member-phone-errors';
export {
  isMemberPhoneApiError,
  isMemberPhoneArsError,
  isMemberPhoneAuthenticationError,
  isMemberPhoneError,
  isMemberPhoneNetworkError,
  isMemberPhoneNotFoundError,
  isMemberPhonePermissionError,
  isMemberPhoneRateLimitError,
  isMemberPhoneSecondAuthError,
  isMemberPhoneServiceError,
  isMemberPhoneTimeoutError,
  isMemberPhoneValidationError,
} from './client/member-phone-error-guards';
