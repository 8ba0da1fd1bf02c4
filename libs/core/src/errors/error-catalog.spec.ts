import {
  ERROR_CATALOG,
  ERROR_CODES,
  errorBody,
  isErrorCode,
  languageFromAcceptLanguage,
} from './error-catalog';

describe('error catalog', () => {
  it('gives every code a 4xx or 5xx status and a message in both languages', () => {
    for (const code of ERROR_CODES) {
      const entry = ERROR_CATALOG[code];
      expect(entry.status).toBeGreaterThanOrEqual(400);
      expect(entry.status).toBeLessThan(600);
      expect(entry.ko).toMatch(/[가-힣]/);
      expect(entry.en).toMatch(/^[\x20-\x7e]+$/);
    }
  });

  it('holds the statuses of DESIGN section 6', () => {
    const statuses = Object.fromEntries(ERROR_CODES.map((c) => [c, ERROR_CATALOG[c].status]));
    expect(statuses).toEqual({
      ValidationError: 400,
      InvalidPhoneNumber: 400,
      Unauthorized: 401,
      InvalidAPIKey: 403,
      SignatureDoesNotMatch: 403,
      RequestTimeTooSkewed: 403,
      DuplicatedSignature: 403,
      Forbidden: 403,
      InvalidMemberStatus: 403,
      SecondAuthRequired: 403,
      ResourceNotFound: 404,
      PayloadTooLarge: 413,
      UnsupportedMediaType: 415,
      TooManyRequests: 429,
      InternalError: 500,
      ServiceUnavailable: 503,
    });
  });

  it('builds the body in Korean by default and in English on request', () => {
    expect(errorBody('Forbidden')).toEqual({
      errorCode: 'Forbidden',
      errorMessage: ERROR_CATALOG.Forbidden.ko,
    });
    expect(errorBody('Forbidden', 'en').errorMessage).toBe(ERROR_CATALOG.Forbidden.en);
  });

  it('recognises only its own codes, not inherited object keys', () => {
    expect(isErrorCode('SecondAuthRequired')).toBe(true);
    expect(isErrorCode('toString')).toBe(false);
    expect(isErrorCode('__proto__')).toBe(false);
    expect(isErrorCode(42)).toBe(false);
  });

  it.each([
    [undefined, 'ko'],
    ['', 'ko'],
    ['en', 'en'],
    ['en-US,en;q=0.9', 'en'],
    ['ko-KR,ko;q=0.9,en;q=0.8', 'ko'],
    ['en;q=0.5,ko;q=0.9', 'ko'],
    ['ko;q=0.2,en-GB;q=0.7', 'en'],
    ['fr-FR', 'ko'],
    ['*', 'ko'],
    ['en;q=0', 'ko'],
    ['en;q=abc', 'ko'],
  ])('picks the language for Accept-Language %p', (header, expected) => {
    expect(languageFromAcceptLanguage(header)).toBe(expected);
  });
});
