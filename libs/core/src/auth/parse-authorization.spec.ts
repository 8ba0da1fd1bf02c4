import { parseAuthorizationHeader, type AuthorizationRejection } from './parse-authorization';

const SIG256 = '31a8a54a49a03deadf62279b03c8b91ef9447729474c51b4dc601aed6e5f56da';
const SIGMD5 = '8bdba7f1309fe15112e7231d84aef239';
const DATE = '2019-07-01T00:41:48Z';
const DATE_MS = Date.UTC(2019, 6, 1, 0, 41, 48);
const SALT = 'jqsba2jxjnrjor';

function hmac(params: string, scheme = 'HMAC-SHA256'): string {
  return `${scheme} ${params}`;
}
const VALID = `apiKey=KEY1, date=${DATE}, salt=${SALT}, signature=${SIG256}`;

describe('parseAuthorizationHeader', () => {
  describe('HMAC', () => {
    it('reads the four parameters exactly as sent', () => {
      expect(parseAuthorizationHeader(hmac(VALID))).toEqual({
        ok: true,
        scheme: 'hmac',
        credentials: { algorithm: 'HMAC-SHA256', apiKey: 'KEY1', date: DATE, salt: SALT, signature: SIG256 },
        dateMs: DATE_MS,
      });
    });

    it.each<[string, string]>([
      ['lowercase scheme', hmac(VALID, 'hmac-sha256')],
      ['mixed-case scheme', hmac(VALID, 'Hmac-Sha256')],
      ['SDK-style parameter names', hmac(`ApiKey=KEY1, Date=${DATE}, Salt=${SALT}, Signature=${SIG256}`)],
      ['upper-case parameter names', hmac(`APIKEY=KEY1, DATE=${DATE}, SALT=${SALT}, SIGNATURE=${SIG256}`)],
      ['any parameter order', hmac(`signature=${SIG256}, salt=${SALT}, apiKey=KEY1, date=${DATE}`)],
      ['no space after commas', hmac(`apiKey=KEY1,date=${DATE},salt=${SALT},signature=${SIG256}`)],
      [
        'several spaces around commas',
        hmac(`apiKey=KEY1 ,  date=${DATE},\tsalt=${SALT} , signature=${SIG256}`),
      ],
      ['several spaces after the scheme', `HMAC-SHA256   ${VALID}`],
      ['surrounding whitespace', ` HMAC-SHA256 ${VALID}\t`],
    ])('accepts %s', (_name, header) => {
      const parsed = parseAuthorizationHeader(header);
      expect(parsed).toMatchObject({ ok: true, scheme: 'hmac', dateMs: DATE_MS });
      if (parsed.ok && parsed.scheme === 'hmac') {
        expect(parsed.credentials).toEqual({
          algorithm: 'HMAC-SHA256',
          apiKey: 'KEY1',
          date: DATE,
          salt: SALT,
          signature: SIG256,
        });
      }
    });

    it('keeps the signature case and the date text exactly as received', () => {
      const date = '2019-07-01T09:41:48.123456+0900';
      const parsed = parseAuthorizationHeader(
        hmac(`apiKey=KEY1, date=${date}, salt=${SALT}, signature=${SIG256.toUpperCase()}`),
      );
      expect(parsed).toMatchObject({
        ok: true,
        credentials: { date, signature: SIG256.toUpperCase() },
        dateMs: DATE_MS + 123,
      });
    });

    it('leaves a hex signature of the wrong length to the comparison (SignatureDoesNotMatch, not 401)', () => {
      const md5WithSha256Length = parseAuthorizationHeader(hmac(VALID, 'HMAC-MD5'));
      expect(md5WithSha256Length).toMatchObject({
        ok: true,
        credentials: { algorithm: 'HMAC-MD5', signature: SIG256 },
      });
      const sha256WithMd5Length = parseAuthorizationHeader(
        hmac(`apiKey=KEY1, date=${DATE}, salt=${SALT}, signature=${SIGMD5}`),
      );
      expect(sha256WithMd5Length).toMatchObject({ ok: true, credentials: { signature: SIGMD5 } });
    });

    it('reads HMAC-MD5 with a 32-character signature', () => {
      const parsed = parseAuthorizationHeader(
        hmac(`apiKey=KEY1, date=${DATE}, salt=${SALT}, signature=${SIGMD5}`, 'HMAC-MD5'),
      );
      expect(parsed).toMatchObject({ ok: true, credentials: { algorithm: 'HMAC-MD5', signature: SIGMD5 } });
    });

    it('keeps an equals sign inside a value', () => {
      const parsed = parseAuthorizationHeader(
        hmac(`apiKey=ab=cd==, date=${DATE}, salt=${SALT}, signature=${SIG256}`),
      );
      expect(parsed).toMatchObject({ ok: true, credentials: { apiKey: 'ab=cd==' } });
    });

    it.each(['a'.repeat(12), 'a'.repeat(64)])('accepts a salt of length %#', (salt) => {
      const parsed = parseAuthorizationHeader(
        hmac(`apiKey=KEY1, date=${DATE}, salt=${salt}, signature=${SIG256}`),
      );
      expect(parsed).toMatchObject({ ok: true, credentials: { salt } });
    });

    it.each<[string, string, AuthorizationRejection]>([
      ['no parameters', 'HMAC-SHA256', 'MISSING_PARAMETER'],
      ['only spaces after the scheme', 'HMAC-SHA256    ', 'MISSING_PARAMETER'],
      ['a missing salt', hmac(`apiKey=KEY1, date=${DATE}, signature=${SIG256}`), 'MISSING_PARAMETER'],
      ['a missing apiKey', hmac(`date=${DATE}, salt=${SALT}, signature=${SIG256}`), 'MISSING_PARAMETER'],
      ['a missing date', hmac(`apiKey=KEY1, salt=${SALT}, signature=${SIG256}`), 'MISSING_PARAMETER'],
      ['a missing signature', hmac(`apiKey=KEY1, date=${DATE}, salt=${SALT}`), 'MISSING_PARAMETER'],
      ['a duplicate parameter', hmac(`${VALID}, salt=${SALT}`), 'DUPLICATE_PARAMETER'],
      ['a duplicate in another case', hmac(`${VALID}, SALT=${SALT}`), 'DUPLICATE_PARAMETER'],
      ['an unknown parameter', hmac(`${VALID}, nonce=1`), 'UNKNOWN_PARAMETER'],
      ['a prototype key as a name', hmac(`${VALID}, __proto__=1`), 'UNKNOWN_PARAMETER'],
      [
        'an empty value',
        hmac(`apiKey=, date=${DATE}, salt=${SALT}, signature=${SIG256}`),
        'MALFORMED_PARAMETERS',
      ],
      [
        'a parameter without =',
        hmac(`apiKey KEY1, date=${DATE}, salt=${SALT}, signature=${SIG256}`),
        'MALFORMED_PARAMETERS',
      ],
      [
        'a parameter without a name',
        hmac(`=KEY1, date=${DATE}, salt=${SALT}, signature=${SIG256}`),
        'MALFORMED_PARAMETERS',
      ],
      [
        'spaces around =',
        hmac(`apiKey = KEY1, date=${DATE}, salt=${SALT}, signature=${SIG256}`),
        'MALFORMED_PARAMETERS',
      ],
      [
        'a quoted value',
        hmac(`apiKey="KEY1", date=${DATE}, salt=${SALT}, signature=${SIG256}`),
        'MALFORMED_PARAMETERS',
      ],
      ['a trailing comma', hmac(`${VALID},`), 'MALFORMED_PARAMETERS'],
      [
        'a doubled comma',
        hmac(`apiKey=KEY1,, date=${DATE}, salt=${SALT}, signature=${SIG256}`),
        'MALFORMED_PARAMETERS',
      ],
      [
        'semicolons instead of commas',
        hmac(`apiKey=KEY1; date=${DATE}; salt=${SALT}; signature=${SIG256}`),
        'MALFORMED_PARAMETERS',
      ],
      [
        'a non-ASCII value',
        hmac(`apiKey=키, date=${DATE}, salt=${SALT}, signature=${SIG256}`),
        'MALFORMED_PARAMETERS',
      ],
      [
        'an 11-character salt',
        hmac(`apiKey=KEY1, date=${DATE}, salt=${'a'.repeat(11)}, signature=${SIG256}`),
        'INVALID_SALT',
      ],
      [
        'a 65-character salt',
        hmac(`apiKey=KEY1, date=${DATE}, salt=${'a'.repeat(65)}, signature=${SIG256}`),
        'INVALID_SALT',
      ],
      [
        'a non-hex signature',
        hmac(`apiKey=KEY1, date=${DATE}, salt=${SALT}, signature=${SIG256.slice(1)}z`),
        'INVALID_SIGNATURE',
      ],
      [
        'a signature longer than any algorithm makes',
        hmac(`apiKey=KEY1, date=${DATE}, salt=${SALT}, signature=${SIG256}${SIG256}${SIG256}`),
        'INVALID_SIGNATURE',
      ],
      [
        'a base64 signature',
        hmac(
          `apiKey=KEY1, date=${DATE}, salt=${SALT}, signature=MaiqVKmgPerfYiebA8i5HvlEdylHTFG03GAa7W5fVto=`,
        ),
        'INVALID_SIGNATURE',
      ],
      [
        'a date without offset',
        hmac(`apiKey=KEY1, date=2019-07-01T00:41:48, salt=${SALT}, signature=${SIG256}`),
        'INVALID_DATE',
      ],
      [
        'an impossible date',
        hmac(`apiKey=KEY1, date=2019-02-30T00:41:48Z, salt=${SALT}, signature=${SIG256}`),
        'INVALID_DATE',
      ],
      [
        'an epoch date',
        hmac(`apiKey=KEY1, date=1561941708000, salt=${SALT}, signature=${SIG256}`),
        'INVALID_DATE',
      ],
      ['an unknown algorithm', hmac(VALID, 'HMAC-SHA1'), 'UNKNOWN_SCHEME'],
      ['a scheme glued to the parameters', `HMAC-SHA256,${VALID}`, 'UNKNOWN_SCHEME'],
      ['a tab after the scheme', `HMAC-SHA256\t${VALID}`, 'UNKNOWN_SCHEME'],
    ])('refuses %s', (_name, header, reason) => {
      expect(parseAuthorizationHeader(header)).toEqual({ ok: false, reason });
    });
  });

  describe('Bearer', () => {
    it.each([
      [
        'Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig-_nature',
        'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig-_nature',
      ],
      ['bearer abc', 'abc'],
      ['BEARER abc', 'abc'],
      ['Bearer   abc', 'abc'],
      ['Bearer a+b/c~d==', 'a+b/c~d=='],
    ])('reads %p', (header, token) => {
      expect(parseAuthorizationHeader(header)).toEqual({ ok: true, scheme: 'bearer', token });
    });

    it.each([
      'Bearer',
      'Bearer ',
      'Bearer a b',
      'Bearer a=b',
      'Bearer =abc',
      'Bearer "abc"',
      'Bearer a,b',
      'Bearer 토큰',
    ])('refuses %p', (header) => {
      expect(parseAuthorizationHeader(header)).toEqual({ ok: false, reason: 'INVALID_TOKEN' });
    });
  });

  it.each<[unknown, AuthorizationRejection]>([
    [undefined, 'MISSING'],
    ['', 'MISSING'],
    ['   ', 'MISSING'],
    [null, 'MISSING'],
    [42, 'MISSING'],
    [['Bearer abc'], 'MISSING'],
    ['Basic dXNlcjpwYXNz', 'UNKNOWN_SCHEME'],
    ['Token abc', 'UNKNOWN_SCHEME'],
    ['constructor abc', 'UNKNOWN_SCHEME'],
    ['__proto__ abc', 'UNKNOWN_SCHEME'],
    ['abc', 'UNKNOWN_SCHEME'],
    [`Bearer ${'a'.repeat(9000)}`, 'TOO_LONG'],
  ])('refuses %p as %p', (header, reason) => {
    expect(parseAuthorizationHeader(header as string)).toEqual({ ok: false, reason });
  });

  it('never throws on random input', () => {
    const alphabet = 'HMAC-SHA256Bearer apiKey=date,salt signature0123456789abcdefZ:+.T"\t\u0000é';
    for (let i = 0; i < 2000; i += 1) {
      let header = '';
      const length = Math.floor(Math.random() * 120);
      for (let j = 0; j < length; j += 1) header += alphabet[Math.floor(Math.random() * alphabet.length)];
      const parsed = parseAuthorizationHeader(header);
      expect(typeof parsed.ok).toBe('boolean');
    }
  });
});
