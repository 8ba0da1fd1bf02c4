import { validate } from 'class-validator';

import { KOREAN_MOBILE_CONSTRAINT } from '../phone-number/is-korean-mobile-number.decorator';
import { checkUpdatePhoneNumberBody } from './check-update-phone-number-body';
import { UpdatePhoneNumberDto } from './update-phone-number.dto';

describe('checkUpdatePhoneNumberBody', () => {
  it.each(['01000000000', '010-1234-5678', '+82 10 1234 5678', '011-234-5678'])(
    'accepts %j and returns the body as given',
    (phoneNumber) => {
      expect(checkUpdatePhoneNumberBody({ phoneNumber })).toEqual({ ok: true, body: { phoneNumber } });
    },
  );

  it.each([
    ['null', null, 'not an object'],
    ['an array', [{ phoneNumber: '01000000000' }], 'not an object'],
    ['a string', '01000000000', 'not an object'],
    ['a number', 1000000000, 'not an object'],
    ['an empty object', {}, 'phoneNumber missing or not a string'],
    ['a number instead of a string', { phoneNumber: 1000000000 }, 'phoneNumber missing or not a string'],
    ['null instead of a string', { phoneNumber: null }, 'phoneNumber missing or not a string'],
    ['an extra field', { phoneNumber: '01000000000', name: 'x' }, 'unexpected field'],
    ['a misspelt field', { phonenumber: '01000000000' }, 'unexpected field'],
    ['an own __proto__ key', JSON.parse('{"__proto__":{},"phoneNumber":"01000000000"}'), 'unexpected field'],
    [
      'an inherited phoneNumber',
      Object.create({ phoneNumber: '01000000000' }) as object,
      'phoneNumber missing or not a string',
    ],
  ])('refuses %s with ValidationError', (_name, value, reason) => {
    expect(checkUpdatePhoneNumberBody(value)).toEqual({ ok: false, errorCode: 'ValidationError', reason });
  });

  it.each(['0212345678', '01012345', '', '010-1234-56789', '010 1234-5678', '０１０１２３４５６７８'])(
    'refuses the well-formed body with the number %j as InvalidPhoneNumber',
    (phoneNumber) => {
      expect(checkUpdatePhoneNumberBody({ phoneNumber })).toEqual({
        ok: false,
        errorCode: 'InvalidPhoneNumber',
        reason: 'rule',
      });
    },
  );

  // The class-validator DTO is the same rule for callers who validate with decorators: both must
  // give the same verdict on every body.
  it.each([
    { phoneNumber: '01000000000' },
    { phoneNumber: '010-1234-5678' },
    { phoneNumber: '0212345678' },
    { phoneNumber: 42 },
    { phoneNumber: '01000000000', extra: true },
    {},
  ])('agrees with UpdatePhoneNumberDto under whitelist validation for %j', async (body) => {
    const dto = Object.assign(new UpdatePhoneNumberDto(), body);
    const errors = await validate(dto, { whitelist: true, forbidNonWhitelisted: true });
    const onlyRule =
      errors.length === 1 &&
      Object.keys(errors[0]?.constraints ?? {}).every((name) => name === KOREAN_MOBILE_CONSTRAINT);
    const dtoVerdict = errors.length === 0 ? 'ok' : onlyRule ? 'InvalidPhoneNumber' : 'ValidationError';
    const check = checkUpdatePhoneNumberBody(body);
    expect(check.ok ? 'ok' : check.errorCode).toBe(dtoVerdict);
  });
});
