/**
 * One catalog entry: the status and the message in both languages.
 *
 * @example
 * ```ts
 * const entry: ErrorDefinition = ERROR_CATALOG.SecondAuthRequired; // { status: 403, ko: '…', en: '…' }
 * ```
 */
export interface ErrorDefinition {
  /** HTTP status the service answers with. */
  readonly status: number;
  /** Message in Korean (the default language). */
  readonly ko: string;
  /** Message in English (when `Accept-Language` prefers it). */
  readonly en: string;
}

/**
 * The one catalog of error codes. The service answers with these, the client's error classes,
 * the OpenAPI document and the test fixtures all read them from here.
 *
 * @example
 * ```ts
 * ERROR_CATALOG.InvalidPhoneNumber.status; // 400
 * ERROR_CATALOG.InvalidPhoneNumber.en; // 'The phone number is not a valid Korean mobile number.'
 * ```
 */
export const ERROR_CATALOG = {
  ValidationError: {
    status: 400,
    ko: '요청이 올바르지 않습니다. 본문은 문서에 적힌 필드만 담은 JSON 객체여야 합니다.',
    en: 'The request is malformed: the body must be a JSON object with exactly the documented fields.',
  },
  InvalidPhoneNumber: {
    status: 400,
    ko: '올바른 대한민국 휴대전화 번호가 아닙니다.',
    en: 'The phone number is not a valid Korean mobile number.',
  },
  Unauthorized: {
    status: 401,
    ko: '인증 정보가 없거나 올바르지 않습니다.',
    en: 'Credentials are missing or malformed.',
  },
  InvalidAPIKey: {
    status: 403,
    ko: '유효하지 않은 API 키입니다.',
    en: 'The API key is unknown or disabled.',
  },
  SignatureDoesNotMatch: {
    status: 403,
    ko: '서명이 일치하지 않습니다.',
    en: 'The signature does not match.',
  },
  RequestTimeTooSkewed: {
    status: 403,
    ko: '요청 시각이 서버 시각과 15분 넘게 차이 납니다.',
    en: 'The request date is more than 15 minutes away from the server time.',
  },
  DuplicatedSignature: {
    status: 403,
    ko: '이미 사용된 서명입니다. 요청마다 새 salt로 서명해 주세요.',
    en: 'This signature was already used; sign every request with a fresh salt.',
  },
  Forbidden: {
    status: 403,
    ko: '이 작업을 할 권한이 없습니다.',
    en: 'The credential lacks the permission for this operation.',
  },
  InvalidMemberStatus: {
    status: 403,
    ko: '현재 회원 상태에서는 이 작업을 할 수 없습니다.',
    en: 'The member status does not allow this operation.',
  },
  SecondAuthRequired: {
    status: 403,
    ko: '새 전화번호로 ARS 전화 인증을 먼저 완료해 주세요.',
    en: 'Complete the ARS phone-call verification of the new number first.',
  },
  ResourceNotFound: {
    status: 404,
    ko: '요청한 리소스를 찾을 수 없습니다.',
    en: 'The requested resource was not found.',
  },
  PayloadTooLarge: {
    status: 413,
    ko: '요청 본문이 너무 큽니다.',
    en: 'The request body is too large.',
  },
  UnsupportedMediaType: {
    status: 415,
    ko: 'Content-Type은 application/json이어야 합니다.',
    en: 'Content-Type must be application/json.',
  },
  TooManyRequests: {
    status: 429,
    ko: '요청이 너무 많습니다. 잠시 후 다시 시도해 주세요.',
    en: 'Too many requests; retry later.',
  },
  InternalError: {
    status: 500,
    ko: '서버 내부 오류가 발생했습니다.',
    en: 'An internal error occurred.',
  },
  ServiceUnavailable: {
    status: 503,
    ko: '일시적으로 서비스를 이용할 수 없습니다. 잠시 후 다시 시도해 주세요.',
    en: 'The service is temporarily unavailable; retry later.',
  },
} as const satisfies Record<string, ErrorDefinition>;

/**
 * Every error code the API can answer with.
 *
 * @example
 * ```ts
 * const code: ErrorCode = 'SecondAuthRequired';
 * ```
 */
export type ErrorCode = keyof typeof ERROR_CATALOG;

/**
 * Every error code, in catalog order.
 *
 * @example
 * ```ts
 * ERROR_CODES.length; // 16
 * ERROR_CODES[0]; // 'ValidationError'
 * ```
 */
export const ERROR_CODES = Object.keys(ERROR_CATALOG) as ErrorCode[];

/**
 * The body of every non-2xx answer.
 *
 * @example
 * ```ts
 * const body: ErrorBody = { errorCode: 'Forbidden', errorMessage: '이 작업을 할 권한이 없습니다.' };
 * ```
 */
export interface ErrorBody {
  errorCode: ErrorCode;
  errorMessage: string;
}

/**
 * Languages the messages exist in.
 *
 * @example
 * ```ts
 * const language: MessageLanguage = languageFromAcceptLanguage(request.headers['accept-language']);
 * ```
 */
export type MessageLanguage = 'ko' | 'en';

/**
 * Tells whether a string is a known error code.
 *
 * @example
 * ```ts
 * isErrorCode('SecondAuthRequired'); // true
 * isErrorCode('Nope'); // false
 * ```
 */
export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(ERROR_CATALOG, value);
}

/**
 * Builds the `{errorCode, errorMessage}` body for a code, in the given language.
 *
 * @example
 * ```ts
 * errorBody('Forbidden', 'en');
 * // { errorCode: 'Forbidden', errorMessage: 'The credential lacks the permission for this operation.' }
 * ```
 */
export function errorBody(code: ErrorCode, language: MessageLanguage = 'ko'): ErrorBody {
  return { errorCode: code, errorMessage: ERROR_CATALOG[code][language] };
}

/**
 * Picks the message language from an `Accept-Language` header: English when the header ranks any
 * English tag above every Korean one, Korean otherwise (Korean is the default).
 *
 * @example
 * ```ts
 * languageFromAcceptLanguage('en-US,en;q=0.9,ko;q=0.8'); // 'en'
 * languageFromAcceptLanguage(undefined); // 'ko'
 * ```
 */
export function languageFromAcceptLanguage(header: string | undefined | null): MessageLanguage {
  if (!header) return 'ko';
  let en = 0;
  let ko = 0;
  let wildcard = 0;
  for (const part of header.split(',')) {
    const [rawTag, ...params] = part.trim().split(';');
    const tag = (rawTag ?? '').trim().toLowerCase();
    let q = 1;
    for (const param of params) {
      const [name, value] = param.trim().split('=');
      if (name?.trim().toLowerCase() === 'q') {
        const parsed = Number(value);
        q = Number.isFinite(parsed) && parsed >= 0 && parsed <= 1 ? parsed : 0;
      }
    }
    if (tag === 'en' || tag.startsWith('en-')) en = Math.max(en, q);
    else if (tag === 'ko' || tag.startsWith('ko-')) ko = Math.max(ko, q);
    else if (tag === '*') wildcard = Math.max(wildcard, q);
  }
  if (ko === 0 && wildcard > 0 && en === 0) return 'ko';
  return en > ko ? 'en' : 'ko';
}
