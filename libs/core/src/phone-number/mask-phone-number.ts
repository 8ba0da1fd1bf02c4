/**
 * Masks a phone number for logs and audit records, keeping the prefix and the last four digits:
 * 11 digits give `010-****-5678`, 10 digits give `011-***-4567`. Anything else, including
 * formatted or partial input, gives `***`, so a malformed value never leaks into a log line.
 *
 * @param phoneNumber - national digits, as returned by `checkKoreanMobileNumber`
 *
 * @example
 * ```ts
 * maskPhoneNumber('01012345678'); // '010-****-5678'
 * maskPhoneNumber('0111234567'); // '011-***-4567'
 * maskPhoneNumber('+821012345678'); // '***'
 * ```
 */
export function maskPhoneNumber(phoneNumber: string): string {
  if (typeof phoneNumber !== 'string' || !/^\d{10,11}$/.test(phoneNumber)) return '***';
  const hidden = '*'.repeat(phoneNumber.length - 7);
  return `${phoneNumber.slice(0, 3)}-${hidden}-${phoneNumber.slice(-4)}`;
}
