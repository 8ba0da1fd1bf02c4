import { ValidateBy, type ValidationArguments, type ValidationOptions } from 'class-validator';
import { checkKoreanMobileNumber } from './korean-mobile-number';

/**
 * Name of the class-validator constraint added by {@link IsKoreanMobileNumber}. A validation error
 * whose only failed constraint on `phoneNumber` is this one means `InvalidPhoneNumber`; any other
 * failure (missing, not a string, extra field) means `ValidationError`.
 *
 * @example
 * ```ts
 * const failed = Object.keys(error.constraints ?? {});
 * const code = failed.length === 1 && failed[0] === KOREAN_MOBILE_CONSTRAINT
 *   ? 'InvalidPhoneNumber'
 *   : 'ValidationError';
 * ```
 */
export const KOREAN_MOBILE_CONSTRAINT = 'isKoreanMobileNumber';

function describeRejection(args: ValidationArguments): string {
  const result = checkKoreanMobileNumber(args.value);
  const reason = result.valid ? 'INVALID_FORMAT' : result.reason;
  return `${args.property} must be a Korean mobile number (${reason})`;
}

/**
 * class-validator decorator applying {@link checkKoreanMobileNumber}. It refuses non-strings too,
 * so it is safe on its own, but pair it with `@IsString()` so a wrong type is reported as such.
 * Validation does not normalise: read the national digits from `checkKoreanMobileNumber` after.
 *
 * @example
 * ```ts
 * class Body {
 *   @IsString()
 *   @IsKoreanMobileNumber()
 *   phoneNumber!: string;
 * }
 * ```
 */
export function IsKoreanMobileNumber(validationOptions?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: KOREAN_MOBILE_CONSTRAINT,
      validator: {
        validate: (value: unknown): boolean => checkKoreanMobileNumber(value).valid,
        defaultMessage: describeRejection,
      },
    },
    validationOptions,
  );
}
