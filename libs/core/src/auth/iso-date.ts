// Extended calendar date and time, optional 1-9 fractional digits, and a mandatory zone: `Z`,
// `±HH:MM` or `±HHMM`. Written out instead of trusting Date.parse, which accepts far more.
const ISO_DATE_WITH_OFFSET =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:(Z)|([+-])(\d{2})(?::(\d{2})|(\d{2})))$/;

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/**
 * Parses an ISO 8601 date-time that carries its zone (`Z`, `+09:00` or `+0900`), with or without
 * 1 to 9 fractional-second digits, checking real calendar ranges (no February 30, no hour 24, no
 * leap second). Digits beyond milliseconds are truncated.
 *
 * @returns epoch milliseconds, or `null` when malformed or without an offset
 *
 * @example
 * ```ts
 * parseIsoDateWithOffset('2019-07-30T11:38:40.642+09:00'); // 1564454320642
 * parseIsoDateWithOffset('2019-07-30T02:38:40'); // null (no offset)
 * ```
 */
export function parseIsoDateWithOffset(date: string): number | null {
  if (typeof date !== 'string' || date.length > 40) return null;
  const match = ISO_DATE_WITH_OFFSET.exec(date);
  if (!match) return null;
  const [, y, mo, d, h, mi, s, fraction, zulu, sign, oh, omColon, omBasic] = match;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = Number(s);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  if (hour > 23 || minute > 59 || second > 59) return null;

  let offsetMinutes = 0;
  if (!zulu) {
    const offsetHours = Number(oh);
    const offsetMins = Number(omColon ?? omBasic);
    if (offsetHours > 23 || offsetMins > 59) return null;
    offsetMinutes = (sign === '-' ? -1 : 1) * (offsetHours * 60 + offsetMins);
  }

  const millis = fraction ? Number(fraction.slice(0, 3).padEnd(3, '0')) : 0;
  // setUTCFullYear, unlike Date.UTC, does not map years 0-99 onto 1900-1999.
  const instant = new Date(0);
  instant.setUTCFullYear(year, month - 1, day);
  instant.setUTCHours(hour, minute, second, millis);
  return instant.getTime() - offsetMinutes * 60_000;
}
