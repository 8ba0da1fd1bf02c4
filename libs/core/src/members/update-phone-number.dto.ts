import { IsString } from 'class-validator';
import { IsKoreanMobileNumber } from '../phone-number/is-korean-mobile-number.decorator';
import { type UpdatePhoneNumberRequest } from './member.types';

/**
 * Body of `PUT /users/v1/member/phone-number` and `POST /users/v1/member/phone-number/ars`, for
 * class-validator. Validate it with `whitelist` and `forbidNonWhitelisted` so an extra field is
 * refused rather than silently dropped.
 *
 * @example
 * ```ts
 * const dto = Object.assign(new UpdatePhoneNumberDto(), { phoneNumber: '010-1234-5678' });
 * const errors = await validate(dto, { whitelist: true, forbidNonWhitelisted: true });
 * // errors: []
 * ```
 */
export class UpdatePhoneNumberDto implements UpdatePhoneNumberRequest {
  @IsString()
  @IsKoreanMobileNumber()
  phoneNumber!: string;
}
