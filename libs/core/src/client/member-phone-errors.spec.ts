import { ERROR_CATALOG, ERROR_CODES } from '../errors/error-catalog';
import {
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
} from './member-phone-error-guards';
import {
  apiErrorFor,
  ERROR_FAMILIES,
  errorFamilyOf,
  MemberPhoneApiError,
  MemberPhoneArsError,
  MemberPhoneAuthenticationError,
  MemberPhoneInvalidRequestError,
  MemberPhoneNotFoundError,
  MemberPhonePermissionError,
  MemberPhoneRateLimitError,
  MemberPhoneSecondAuthRequiredError,
  MemberPhoneServiceError,
  MemberPhoneError,
  MemberPhoneNetworkError,
  MemberPhoneTimeoutError,
  MemberPhoneValidationError,
  type ErrorFamily,
} from './member-phone-errors';

describe('client error classes', () => {
  it('share one base class and carry their names', () => {
    const errors = [
      new MemberPhoneApiError({ errorCode: 'Forbidden', errorMessage: 'no', status: 403 }),
      new MemberPhoneValidationError('NOT_MOBILE'),
      new MemberPhoneNetworkError('down', 'ECONNREFUSED', new Error('x')),
      new MemberPhoneTimeoutError(50, new Error('t')),
    ];
    expect(errors.every((e) => e instanceof MemberPhoneError && e instanceof Error)).toBe(true);
    expect(errors.map((e) => e.name)).toEqual([
      'MemberPhoneApiError',
      'MemberPhoneValidationError',
      'MemberPhoneNetworkError',
      'MemberPhoneTimeoutError',
    ]);
  });

  it('words an API error as code, status and message', () => {
    const error = new MemberPhoneApiError({
      errorCode: 'Forbidden',
      errorMessage: 'no',
      status: 403,
      requestId: 'r1',
    });
    expect(error.message).toBe('Forbidden (403): no');
    expect(error).toMatchObject({ requestId: 'r1', wellFormedBody: true, retryAfterSeconds: undefined });
  });

  it('recognises errors from another copy of the package by their brand', () => {
    const foreign = Object.assign(new Error('x'), {
      name: 'MemberPhonePermissionError',
      kind: 'api',
      family: 'permission',
      errorCode: 'Forbidden',
      [Symbol.for('@member-phone/core/MemberPhoneError')]: true,
    });
    expect(isMemberPhoneError(foreign)).toBe(true);
    expect(isMemberPhoneApiError(foreign, 'Forbidden')).toBe(true);
    expect(isMemberPhonePermissionError(foreign)).toBe(true);
    expect(isMemberPhoneServiceError(foreign)).toBe(false);
  });

  it('rejects look-alikes without the brand, and other client errors', () => {
    const lookAlike = Object.assign(new Error('x'), {
      name: 'MemberPhoneApiError',
      kind: 'api',
      family: 'permission',
      errorCode: 'Forbidden',
    });
    expect(isMemberPhoneApiError(lookAlike)).toBe(false);
    expect(isMemberPhonePermissionError(lookAlike)).toBe(false);
    expect(isMemberPhoneApiError(new MemberPhoneValidationError('EMPTY'))).toBe(false);
    expect(isMemberPhoneApiError({ errorCode: 'Forbidden' })).toBe(false);
    expect(isMemberPhoneApiError(undefined)).toBe(false);
  });

  const CLASS_OF_FAMILY: Record<
    Exclude<ErrorFamily, 'unknown'>,
    [typeof MemberPhoneApiError, (e: unknown) => boolean]
  > = {
    authentication: [MemberPhoneAuthenticationError, isMemberPhoneAuthenticationError],
    permission: [MemberPhonePermissionError, isMemberPhonePermissionError],
    validation: [MemberPhoneInvalidRequestError, isMemberPhoneValidationError],
    'second-auth': [MemberPhoneSecondAuthRequiredError, isMemberPhoneSecondAuthError],
    'rate-limit': [MemberPhoneRateLimitError, isMemberPhoneRateLimitError],
    'not-found': [MemberPhoneNotFoundError, isMemberPhoneNotFoundError],
    service: [MemberPhoneServiceError, isMemberPhoneServiceError],
  };
  const ALL_FAMILY_GUARDS = Object.values(CLASS_OF_FAMILY).map(([, guard]) => guard);

  it.each(ERROR_CODES)('builds %s as its family class, matched by exactly one family guard', (code) => {
    const family = ERROR_FAMILIES[code];
    const error = apiErrorFor({
      errorCode: code,
      errorMessage: ERROR_CATALOG[code].en,
      status: ERROR_CATALOG[code].status,
    });
    const [errorClass, guard] = CLASS_OF_FAMILY[family];
    expect(error).toBeInstanceOf(errorClass);
    expect(error).toBeInstanceOf(MemberPhoneApiError);
    expect(error).toMatchObject({ errorCode: code, family, kind: 'api', name: errorClass.name });
    expect(guard(error)).toBe(true);
    expect(ALL_FAMILY_GUARDS.filter((g) => g(error))).toHaveLength(1);
    expect(isMemberPhoneApiError(error, code)).toBe(true);
  });

  it('families follow DESIGN section 6', () => {
    expect(errorFamilyOf('DuplicatedSignature')).toBe('authentication');
    expect(errorFamilyOf('RequestTimeTooSkewed')).toBe('authentication');
    expect(errorFamilyOf('InvalidMemberStatus')).toBe('permission');
    expect(errorFamilyOf('UnsupportedMediaType')).toBe('validation');
    expect(errorFamilyOf('TooManyRequests')).toBe('rate-limit');
    expect(errorFamilyOf('ServiceUnavailable')).toBe('service');
    expect(errorFamilyOf('toString')).toBe('unknown');
  });

  it('keeps a code newer than the client as a plain MemberPhoneApiError of family unknown', () => {
    const error = apiErrorFor({ errorCode: 'SomethingNew', errorMessage: 'new', status: 409 });
    expect(error.constructor).toBe(MemberPhoneApiError);
    expect(error.family).toBe('unknown');
    expect(ALL_FAMILY_GUARDS.some((g) => g(error))).toBe(false);
  });

  it('counts a locally refused number as a validation error that sent nothing', () => {
    const error = new MemberPhoneValidationError('NOT_MOBILE');
    expect(isMemberPhoneValidationError(error)).toBe(true);
    expect(isMemberPhoneApiError(error)).toBe(false);
    expect(error).toMatchObject({ attempts: 0, family: 'validation', errorCode: 'InvalidPhoneNumber' });
  });

  it('tells network, timeout and ARS errors apart', () => {
    const network = new MemberPhoneNetworkError('down', 'ECONNRESET', {}, 3);
    const timeout = new MemberPhoneTimeoutError(50, {}, 2);
    const ars = new MemberPhoneArsError('v1', 'FAILED', 4);
    expect(
      [network, timeout, ars].map((e) => [
        isMemberPhoneNetworkError(e),
        isMemberPhoneTimeoutError(e),
        isMemberPhoneArsError(e),
      ]),
    ).toEqual([
      [true, false, false],
      [false, true, false],
      [false, false, true],
    ]);
    expect([network.attempts, timeout.attempts, ars.attempts]).toEqual([3, 2, 4]);
    expect(ars).toMatchObject({
      verificationId: 'v1',
      status: 'FAILED',
      message: 'The ARS verification ended as FAILED',
    });
  });
});
