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
  ARS_CALL_WINDOW_MS,
  ARS_MAX_ATTEMPTS,
  ARS_PROOF_LIFETIME_MS,
  ARS_VERIFICATION_STATUSES,
  type ArsVerification,
  type ArsVerificationStarted,
  type ArsVerificationStatus,
} from './ars/ars.types';
