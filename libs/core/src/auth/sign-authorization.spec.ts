import { computeHmacSignature } from './hmac-signature';
import { parseAuthorizationHeader } from './parse-authorization';
import { signHmacAuthorization } from './sign-authorization';

const CREDENTIALS = { apiKey: 'NCSAYU7YDBXYORXC', apiSecret: 'secret-one' };

describe('signHmacAuthorization', () => {
  it('builds the header of DESIGN §3 from a fixed date and salt (openssl vector)', () => {
    expect(signHmacAuthorization(CREDENTIALS, { date: '2019-07-01T00:41:48Z', salt: 'jqsba2jxjnrjor' })).toBe(
      'HMAC-SHA256 apiKey=NCSAYU7YDBXYORXC, date=2019-07-01T00:41:48Z, salt=jqsba2jxjnrjor, ' +
        'signature=31a8a54a49a03deadf62279b03c8b91ef9447729474c51b4dc601aed6e5f56da',
    );
  });

  it('signs with HMAC-MD5 on request (openssl vector)', () => {
    expect(
      signHmacAuthorization(CREDENTIALS, {
        algorithm: 'HMAC-MD5',
        date: '2019-07-01T00:41:48Z',
        salt: 'jqsba2jxjnrjor',
      }),
    ).toBe(
      'HMAC-MD5 apiKey=NCSAYU7YDBXYORXC, date=2019-07-01T00:41:48Z, salt=jqsba2jxjnrjor, ' +
        'signature=8bdba7f1309fe15112e7231d84aef239',
    );
  });

  it('defaults to now as an ISO string and a fresh 32-character salt, which its parser accepts', () => {
    const before = Date.now();
    const header = signHmacAuthorization(CREDENTIALS);
    const after = Date.now();
    const parsed = parseAuthorizationHeader(header);
    if (!parsed.ok || parsed.scheme !== 'hmac') throw new Error(`not parsed: ${header}`);
    expect(parsed.credentials.algorithm).toBe('HMAC-SHA256');
    expect(parsed.credentials.date).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    expect(parsed.dateMs).toBeGreaterThanOrEqual(before);
    expect(parsed.dateMs).toBeLessThanOrEqual(after);
    expect(parsed.credentials.salt).toMatch(/^[0-9A-Za-z]{32}$/);
    expect(parsed.credentials.signature).toBe(
      computeHmacSignature('HMAC-SHA256', 'secret-one', parsed.credentials.date, parsed.credentials.salt),
    );
  });

  it('writes a Date as toISOString and a string date exactly as given', () => {
    const salt = 'saltsaltsalt';
    expect(signHmacAuthorization(CREDENTIALS, { date: new Date(0), salt })).toContain(
      'date=1970-01-01T00:00:00.000Z,',
    );
    expect(signHmacAuthorization(CREDENTIALS, { date: '2019-07-01T09:41:48+0900', salt })).toContain(
      'date=2019-07-01T09:41:48+0900,',
    );
  });

  it('gives two different salts and signatures for two calls', () => {
    const date = '2019-07-01T00:41:48Z';
    const first = signHmacAuthorization(CREDENTIALS, { date });
    const second = signHmacAuthorization(CREDENTIALS, { date });
    expect(first).not.toBe(second);
  });

  it.each([
    [{ apiKey: '', apiSecret: 's' }],
    [{ apiKey: 'a b', apiSecret: 's' }],
    [{ apiKey: 'a,b', apiSecret: 's' }],
    [{ apiKey: 'a\r\nX-Injected: 1', apiSecret: 's' }],
    [{ apiKey: 'key', apiSecret: '' }],
  ])('refuses credentials that cannot be sent safely: %p', (credentials) => {
    expect(() => signHmacAuthorization(credentials)).toThrow(TypeError);
  });

  it('refuses a salt or date that would corrupt the header, and an unknown algorithm', () => {
    expect(() => signHmacAuthorization(CREDENTIALS, { salt: 'salt, date=x' })).toThrow(TypeError);
    expect(() => signHmacAuthorization(CREDENTIALS, { date: 'now now' })).toThrow(TypeError);
    expect(() => signHmacAuthorization(CREDENTIALS, { algorithm: 'HMAC-SHA1' as never })).toThrow(TypeError);
  });
});
