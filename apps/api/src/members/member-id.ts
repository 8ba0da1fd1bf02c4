import { randomInt } from 'node:crypto';

const KST_OFFSET_MS = 9 * 60 * 60 * 1000;

/**
 * Member ids look like SOLAPI's (`18010100001000`): 14 digits, the creation date in Korea as
 * `yyMMdd`, then 8 random digits. Uniqueness comes from the primary key; a clash is retried.
 */
export function newMemberId(now: number): string {
  const kst = new Date(now + KST_OFFSET_MS);
  const date =
    String(kst.getUTCFullYear() % 100).padStart(2, '0') +
    String(kst.getUTCMonth() + 1).padStart(2, '0') +
    String(kst.getUTCDate()).padStart(2, '0');
  return date + String(randomInt(0, 100_000_000)).padStart(8, '0');
}
