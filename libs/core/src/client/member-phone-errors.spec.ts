import {
  isMemberPhoneApiError,
  isMemberPhoneError,
  MemberPhoneApiError,
  MemberPhoneError,
  MemberPhoneNetworkError,
  MemberPhoneTimeoutError,
  MemberPhoneValidationError,
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
      name: 'MemberPhoneApiError',
      errorCode: 'Forbidden',
      [Symbol.for('@member-phone/core/MemberPhoneError')]: true,
    });
    expect(isMemberPhoneError(foreign)).toBe(true);
    expect(isMemberPhoneApiError(foreign, 'Forbidden')).toBe(true);
  });

  it('rejects look-alikes without the brand, and other client errors', () => {
    const lookAlike = Object.assign(new Error('x'), { name: 'MemberPhoneApiError', errorCode: 'Forbidden' });
    expect(isMemberPhoneApiError(lookAlike)).toBe(false);
    expect(isMemberPhoneApiError(new MemberPhoneValidationError('EMPTY'))).toBe(false);
    expect(isMemberPhoneApiError({ errorCode: 'Forbidden' })).toBe(false);
    expect(isMemberPhoneApiError(undefined)).toBe(false);
  });
});
