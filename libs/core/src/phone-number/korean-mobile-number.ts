import { parsePhoneNumberFromString } from 'libphonenumber-js/max';

/**
 * Why a string was refused as a Korean mobile number.
 *
 * - `NOT_A_STRING`: the value is not a string at all.
 * - `EMPTY`: the string is empty.
 * - `INVALID_CHARACTERS`: something other than ASCII digits, `+`, `-` and the space character.
 * - `INVALID_FORMAT`: allowed characters in a shape that is neither the national nor the `+82` form
 *   (surrounding or doubled separators, mixed separators, `+82 010…`, `0082…`, another country code).
 * - `NOT_MOBILE`: well formed, but not a Korean mobile number (070, 050x, 015, 012, landlines, 1588-style
 *   service numbers).
 * - `INVALID_LENGTH`: a mobile prefix with the wrong number of digits (010 needs 11; legacy 011/016-019
 *   need 10 or 11).
 *
 * @example
 * ```ts
 * const check = checkKoreanMobileNumber(input);
 * if (!check.valid && check.reason === 'NOT_MOBILE') showHint('휴대전화 번호를 입력해 주세요');
 * ```
 */
export type PhoneNumberRejection =
  | 'NOT_A_STRING'
  | 'EMPTY'
  | 'INVALID_CHARACTERS'
  | 'INVALID_FORMAT'
  | 'NOT_MOBILE'
  | 'INVALID_LENGTH';

/**
 * Outcome of {@link checkKoreanMobileNumber}: the national digits, or why the input was refused.
 *
 * @example
 * ```ts
 * const check: PhoneNumberCheck = checkKoreanMobileNumber('010-1234-5678');
 * if (check.valid) save(check.phoneNumber); // '01012345678'
 * ```
 */
export type PhoneNumberCheck =
  | { valid: true; phoneNumber: string }
  | { valid: false; reason: PhoneNumberRejection };

// Every character that can appear in an accepted number; anything else is refused outright rather
// than stripped, so what the caller typed is exactly what was judged.
const ALLOWED_CHARACTERS = /^[0-9+\- ]*$/;
// Longest accepted spelling is "+82-10-1234-5678" (16); anything much longer is refused before
// libphonenumber sees it.
const MAX_INPUT_LENGTH = 24;

// National form: "01012345678", or prefix-middle-last with ONE separator kind ("010-1234-5678",
// "011 123 4567"). The back-reference forces both separators to be the same character.
const NATIONAL_FORM = /^(?:(\d+)|(\d{3})([- ])(\d{3,4})\3(\d{4}))$/;
// International form: "+82", an optional single separator, then the national number without its
// trunk "0", either undivided or grouped like the national form.
const INTERNATIONAL_FORM = /^\+82[- ]?(?:([1-9]\d*)|([1-9]\d)([- ])(\d{3,4})\3(\d{4}))$/;

const ELEVEN_DIGITS_ONLY = new Set(['010']);
const LEGACY_MOBILE_PREFIXES = new Set(['011', '016', '017', '018', '019']);

function reject(reason: PhoneNumberRejection): PhoneNumberCheck {
  return { valid: false, reason };
}

function nationalDigitsOf(input: string): string | null {
  if (input.startsWith('+')) {
    const match = INTERNATIONAL_FORM.exec(input);
    if (!match) return null;
    const [, undivided, prefix, , middle, last] = match;
    return `0${undivided ?? `${prefix}${middle}${last}`}`;
  }
  const match = NATIONAL_FORM.exec(input);
  if (!match) return null;
  const [, undivided, prefix, , middle, last] = match;
  const digits = undivided ?? `${prefix}${middle}${last}`;
  // "0082…" is the international dialling prefix, not a national number.
  return digits.startsWith('00') ? null : digits;
}

/**
 * The one rule deciding whether a value is a Korean mobile number (DESIGN §5). The DTO, the
 * service and the client all call it.
 *
 * Accepts national digits (`01012345678`), the same grouped 3-4-4 / 3-3-4 with single hyphens or
 * single spaces (`010-1234-5678`, `011 123 4567`), and the `+82` form (`+821012345678`,
 * `+82 10-1234-5678`, `+82-10-1234-5678`). Anything else in the string is refused, never cleaned
 * up. The number must then be a `MOBILE` number for region `KR` according to libphonenumber-js,
 * start with 010 (11 digits) or a legacy 011/016/017/018/019 prefix (10 or 11 digits). Legacy
 * numbers are returned as they are, never rewritten to 010.
 *
 * @param input - any value, typically an untrusted request field
 * @returns the national digits, or the reason for refusing
 *
 * @example
 * ```ts
 * checkKoreanMobileNumber('+82 10-1234-5678'); // { valid: true, phoneNumber: '01012345678' }
 * checkKoreanMobileNumber('070-1234-5678'); // { valid: false, reason: 'NOT_MOBILE' }
 * checkKoreanMobileNumber(' 01012345678'); // { valid: false, reason: 'INVALID_FORMAT' }
 * ```
 */
export function checkKoreanMobileNumber(input: unknown): PhoneNumberCheck {
  if (typeof input !== 'string') return reject('NOT_A_STRING');
  if (input.length === 0) return reject('EMPTY');
  if (!ALLOWED_CHARACTERS.test(input)) return reject('INVALID_CHARACTERS');
  if (input.length > MAX_INPUT_LENGTH) return reject('INVALID_LENGTH');

  const digits = nationalDigitsOf(input);
  if (digits === null) return reject('INVALID_FORMAT');

  const prefix = digits.slice(0, 3);
  if (ELEVEN_DIGITS_ONLY.has(prefix)) {
    if (digits.length !== 11) return reject('INVALID_LENGTH');
  } else if (LEGACY_MOBILE_PREFIXES.has(prefix)) {
    if (digits.length !== 10 && digits.length !== 11) return reject('INVALID_LENGTH');
  } else {
    return reject('NOT_MOBILE');
  }

  const parsed = parsePhoneNumberFromString(digits, 'KR');
  if (
    !parsed ||
    parsed.country !== 'KR' ||
    parsed.nationalNumber !== digits.slice(1) ||
    !parsed.isValid() ||
    parsed.getType() !== 'MOBILE'
  ) {
    return reject('NOT_MOBILE');
  }
  return { valid: true, phoneNumber: digits };
}
