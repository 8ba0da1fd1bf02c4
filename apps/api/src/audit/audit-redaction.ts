import { maskPhoneNumber } from '@member-phone/core';

import type { AuditDetails } from './audit.types';

// A Korean mobile number in any of the accepted spellings, not glued to other letters or digits (so
// the digit groups of a UUID never match).
const PHONE_NUMBER_LIKE = /(?<![0-9A-Za-z])(?:\+82[- ]?|0)1[016789](?:[- ]?\d){7,8}(?![0-9A-Za-z])/g;

// Keys under which a verification code could slip in by mistake.
const SECRET_KEYS = /^(code|digits|secret|token)$/i;

function nationalDigits(match: string): string {
  const digits = match.replace(/\D/g, '');
  return digits.startsWith('82') ? `0${digits.slice(2)}` : digits;
}

/** Masks every phone-number-shaped run in a text. */
export function maskPhoneNumbersIn(text: string): string {
  return text.replace(PHONE_NUMBER_LIKE, (match) => maskPhoneNumber(nationalDigits(match)));
}

/**
 * Last line of defence before details reach the table: callers already mask numbers, but an
 * unmasked one or a code must never be stored even when a caller forgets.
 */
export function redactAuditDetails(details: AuditDetails): AuditDetails {
  const safe: AuditDetails = {};
  for (const [key, value] of Object.entries(details)) {
    if (SECRET_KEYS.test(key)) safe[key] = '[redacted]';
    else safe[key] = typeof value === 'string' ? maskPhoneNumbersIn(value) : value;
  }
  return safe;
}
