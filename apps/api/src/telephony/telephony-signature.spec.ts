import { createHmac } from 'node:crypto';

import { signTelephonyPayload, verifyTelephonySignature } from './telephony-signature';

const SECRET = 'a-telephony-secret-of-at-least-32-chars';
const NOW = Date.UTC(2025, 0, 15, 3, 0, 0);
const BODY = '{"type":"keypad","callId":"v-1","digits":"123456"}';

describe('telephony signature', () => {
  it('signs as t=<unix seconds>,v1=<hex HMAC-SHA256 of "t.body">', () => {
    const t = String(NOW / 1000);
    const expected = createHmac('sha256', SECRET).update(`${t}.${BODY}`).digest('hex');

    expect(signTelephonyPayload(SECRET, BODY, NOW)).toBe(`t=${t},v1=${expected}`);
  });

  it('accepts its own signature within five minutes either way', () => {
    const header = signTelephonyPayload(SECRET, BODY, NOW);

    expect(verifyTelephonySignature(SECRET, header, BODY, NOW)).toBe(true);
    expect(verifyTelephonySignature(SECRET, header, BODY, NOW + 5 * 60_000)).toBe(true);
    expect(verifyTelephonySignature(SECRET, header, BODY, NOW - 5 * 60_000)).toBe(true);
  });

  it('refuses a stale or future-dated signature', () => {
    const header = signTelephonyPayload(SECRET, BODY, NOW);

    expect(verifyTelephonySignature(SECRET, header, BODY, NOW + 5 * 60_000 + 1000)).toBe(false);
    expect(verifyTelephonySignature(SECRET, header, BODY, NOW - 5 * 60_000 - 1000)).toBe(false);
  });

  it('refuses another secret, a changed body and a changed timestamp', () => {
    const header = signTelephonyPayload(SECRET, BODY, NOW);
    const mac = header.split('v1=')[1]!;

    expect(verifyTelephonySignature('another-secret-of-at-least-32-characters', header, BODY, NOW)).toBe(
      false,
    );
    expect(verifyTelephonySignature(SECRET, header, BODY.replace('123456', '123457'), NOW)).toBe(false);
    expect(verifyTelephonySignature(SECRET, `t=${NOW / 1000 + 1},v1=${mac}`, BODY, NOW)).toBe(false);
  });

  it('accepts a header carrying an old and a current signature, in any case', () => {
    const mac = signTelephonyPayload(SECRET, BODY, NOW).split('v1=')[1]!;
    const header = `t=${NOW / 1000},v1=${'0'.repeat(64)},v1=${mac.toUpperCase()},v0=legacy`;

    expect(verifyTelephonySignature(SECRET, header, BODY, NOW)).toBe(true);
  });

  it.each([
    ['no header', undefined],
    ['empty', ''],
    ['no timestamp', 'v1=abcd'],
    ['no signature', `t=${NOW / 1000}`],
    ['two timestamps', `t=${NOW / 1000},t=${NOW / 1000},v1=ab`],
    ['non-numeric timestamp', 't=soon,v1=ab'],
    ['short signature', `t=${NOW / 1000},v1=ab`],
    ['non-hex signature', `t=${NOW / 1000},v1=${'z'.repeat(64)}`],
    ['garbage', '=,=,,'],
  ])('refuses a malformed header (%s) without throwing', (_name, header) => {
    expect(verifyTelephonySignature(SECRET, header, BODY, NOW)).toBe(false);
  });
});
