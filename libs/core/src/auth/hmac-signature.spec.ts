import { computeHmacSignature, HMAC_ALGORITHMS, signaturesEqual } from './hmac-signature';

// Vectors computed with `printf '%s' "$date$salt" | openssl dgst -<alg> -hmac "$secret"`.
const VECTORS = [
  {
    algorithm: 'HMAC-SHA256',
    secret: 'secret-one',
    date: '2019-07-01T00:41:48Z',
    salt: 'jqsba2jxjnrjor',
    signature: '31a8a54a49a03deadf62279b03c8b91ef9447729474c51b4dc601aed6e5f56da',
  },
  {
    algorithm: 'HMAC-SHA256',
    secret: 'NCSAYU7YDBXYORXC9ANWDFBAVDJ1NJY1ZU7BNCXLQ8VL4HHGOBQBNNXKERFGBUW',
    date: '2024-01-15T09:30:00.123+09:00',
    salt: '0123456789abcdefABCDEF',
    signature: '0ef6fb5d6dd0dba824d972d4190624aa96cdb6b4fce94bb2b697842f5be1a7b7',
  },
  {
    algorithm: 'HMAC-SHA256',
    secret: '키-비밀',
    date: '2024-02-29T23:59:59.999999999-0500',
    salt: 'saltsaltsalt',
    signature: '1a343810b5ea0b8a4eb6c1a7fd5ad6b4541667bec75cb267508970af31f3f274',
  },
  {
    algorithm: 'HMAC-MD5',
    secret: 'secret-one',
    date: '2019-07-01T00:41:48Z',
    salt: 'jqsba2jxjnrjor',
    signature: '8bdba7f1309fe15112e7231d84aef239',
  },
  {
    algorithm: 'HMAC-MD5',
    secret: '키-비밀',
    date: '2024-02-29T23:59:59.999999999-0500',
    salt: 'saltsaltsalt',
    signature: '8d0af6b9b89cde8c20f7b606ed6f92cf',
  },
] as const;

describe('computeHmacSignature', () => {
  it.each(VECTORS)('matches openssl for $algorithm over $date', (v) => {
    expect(computeHmacSignature(v.algorithm, v.secret, v.date, v.salt)).toBe(v.signature);
  });

  it('signs the date exactly as given, so a re-formatted date gives another signature', () => {
    const asSent = computeHmacSignature('HMAC-SHA256', 's', '2019-07-01T09:41:48+09:00', 'saltsaltsalt');
    const sameInstant = computeHmacSignature('HMAC-SHA256', 's', '2019-07-01T00:41:48.000Z', 'saltsaltsalt');
    expect(asSent).not.toBe(sameInstant);
  });

  it('refuses an algorithm outside the list', () => {
    expect(() => computeHmacSignature('HMAC-SHA1' as never, 's', 'd', 'salt')).toThrow(TypeError);
  });

  it('lists both algorithms', () => {
    expect(HMAC_ALGORITHMS).toEqual(['HMAC-SHA256', 'HMAC-MD5']);
  });
});

describe('signaturesEqual', () => {
  const sig = VECTORS[0].signature;

  it.each<[string, string, boolean]>([
    [sig, sig, true],
    [sig, sig.toUpperCase(), true],
    [sig.toUpperCase(), sig, true],
    [sig, `${sig.slice(0, -1)}b`, false],
    [sig, sig.slice(0, -2), false],
    [sig, `${sig}00`, false],
    [sig, '', false],
    ['', '', false],
    [sig, `${sig.slice(0, -1)}g`, false],
    [sig, `${sig.slice(0, -1)}é`, false],
    ['abc', 'ABC', true],
  ])('compares %p with %p as %p', (expected, given, equal) => {
    expect(signaturesEqual(expected, given)).toBe(equal);
  });

  it('answers false instead of throwing for non-strings', () => {
    expect(signaturesEqual(sig, undefined as unknown as string)).toBe(false);
    expect(signaturesEqual(null as unknown as string, sig)).toBe(false);
    expect(signaturesEqual(sig, { length: 64 } as unknown as string)).toBe(false);
  });
});
