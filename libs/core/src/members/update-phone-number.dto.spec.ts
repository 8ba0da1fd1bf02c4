import { validate } from 'class-validator';
import { KOREAN_MOBILE_CONSTRAINT } from '../phone-number/is-korean-mobile-number.decorator';
import { UpdatePhoneNumberDto } from './update-phone-number.dto';

const STRICT = { whitelist: true, forbidNonWhitelisted: true } as const;

async function failedConstraints(body: Record<string, unknown>): Promise<Record<string, string[]>> {
  const dto = Object.assign(new UpdatePhoneNumberDto(), body);
  const errors = await validate(dto, STRICT);
  return Object.fromEntries(errors.map((e) => [e.property, Object.keys(e.constraints ?? {}).sort()]));
}

describe('UpdatePhoneNumberDto', () => {
  it.each(['01000000000', '010-1234-5678', '+82 10-1234-5678', '0111234567'])(
    'accepts %p',
    async (phoneNumber) => {
      expect(await failedConstraints({ phoneNumber })).toEqual({});
    },
  );

  it.each(['070-1234-5678', ' 01012345678', '0101234567', '０１０１２３４５６７８', ''])(
    'fails only the Korean mobile constraint for the string %p',
    async (phoneNumber) => {
      expect(await failedConstraints({ phoneNumber })).toEqual({
        phoneNumber: [KOREAN_MOBILE_CONSTRAINT],
      });
    },
  );

  it('names the reason in the message', async () => {
    const dto = Object.assign(new UpdatePhoneNumberDto(), { phoneNumber: '070-1234-5678' });
    const [error] = await validate(dto, STRICT);
    expect(error?.constraints?.[KOREAN_MOBILE_CONSTRAINT]).toBe(
      'phoneNumber must be a Korean mobile number (NOT_MOBILE)',
    );
  });

  it.each([[12345678901], [null], [undefined], [['01012345678']]])(
    'fails isString for the non-string %p',
    async (phoneNumber) => {
      const failed = await failedConstraints({ phoneNumber });
      expect(failed.phoneNumber).toContain('isString');
    },
  );

  it('refuses a missing field', async () => {
    expect((await failedConstraints({})).phoneNumber).toContain('isString');
  });

  it('refuses an extra field under forbidNonWhitelisted', async () => {
    const failed = await failedConstraints({ phoneNumber: '01012345678', memberId: 'x' });
    expect(failed).toEqual({ memberId: ['whitelistValidation'] });
  });
});
