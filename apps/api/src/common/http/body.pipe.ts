import { type ArgumentMetadata, Injectable, type PipeTransform } from '@nestjs/common';
import {
  checkUpdatePhoneNumberBody,
  KOREAN_MOBILE_CONSTRAINT,
  type UpdatePhoneNumberBodyCheck,
  UpdatePhoneNumberDto,
} from '@member-phone/core';
import { validate, type ValidationError as ClassValidationError } from 'class-validator';

import { ApiError } from '../api-error';
import { INVALID_JSON, UNSUPPORTED_MEDIA_TYPE } from './body-parsers';

function onlyThePhoneRuleFailed(errors: ClassValidationError[]): boolean {
  return (
    errors.length === 1 &&
    errors[0]?.property === 'phoneNumber' &&
    Object.keys(errors[0].constraints ?? {}).every((name) => name === KOREAN_MOBILE_CONSTRAINT)
  );
}

/**
 * Bodies whose rule core states as a plain function. The pipe asks that function instead of
 * class-validator: it is the very rule the client and the test kit apply, and it costs no
 * decorator reflection per request.
 */
const BODY_RULES = new Map<unknown, (value: unknown) => UpdatePhoneNumberBodyCheck>([
  [UpdatePhoneNumberDto, checkUpdatePhoneNumberBody],
]);

/**
 * Turns the request body into the handler's DTO or refuses it with the catalog's code: not JSON
 * (`ValidationError`), not `application/json` (`UnsupportedMediaType`), not a plain object, a
 * missing, extra or mistyped field (`ValidationError`), a string that is not a Korean mobile
 * number (`InvalidPhoneNumber`). Runs after the guard, so an unauthenticated caller learns nothing
 * about the body rules.
 */
@Injectable()
export class BodyPipe implements PipeTransform {
  async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type !== 'body') return value;
    if (value === UNSUPPORTED_MEDIA_TYPE || value === undefined) throw new ApiError('UnsupportedMediaType');
    if (value === INVALID_JSON) throw new ApiError('ValidationError', { detail: 'body is not JSON' });
    const dtoClass = metadata.metatype;
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw new ApiError('ValidationError', { detail: 'body is not a JSON object' });
    }
    if (!dtoClass || dtoClass === Object) return value;
    const rule = BODY_RULES.get(dtoClass);
    if (rule) {
      const check = rule(value);
      if (check.ok) return Object.assign(Object.create(dtoClass.prototype as object) as object, check.body);
      throw new ApiError(check.errorCode, { detail: check.reason });
    }
    const dto: object = Object.assign(Object.create(dtoClass.prototype as object) as object, value);
    const errors = await validate(dto, {
      whitelist: true,
      forbidNonWhitelisted: true,
      forbidUnknownValues: true,
      validationError: { target: false, value: false },
    });
    if (errors.length === 0) return dto;
    if (onlyThePhoneRuleFailed(errors)) throw new ApiError('InvalidPhoneNumber');
    throw new ApiError('ValidationError', { detail: errors.map((e) => e.property).join(',') });
  }
}
