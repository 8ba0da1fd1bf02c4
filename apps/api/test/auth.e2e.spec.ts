import {
  computeHmacSignature,
  type Member,
  signHmacAuthorization,
  WWW_AUTHENTICATE_CHALLENGE,
} from '@member-phone/core';
import { SignJWT } from 'jose';
import request from 'supertest';

import { ApiKeysService } from '../src/api-keys/api-keys.service';
import { DEV_TOKEN_ISSUER } from '../src/auth/bearer/dev-token.issuer';
import { TELEPHONY_PORT, type TelephonyPort } from '../src/telephony/telephony.port';
import { type DatabaseSnapshot, snapshotDatabase } from './support/db-snapshot';
import { rawExchange } from './support/raw-http';
import { expectCatalogError, INVALID_TOKEN_CHALLENGE } from './support/http-expect';
import { startTestApp, type TestApp, type TestMember } from './support/test-app';

const PUT_PATH = '/users/v1/member/phone-number';
const ARS_PATH = '/users/v1/member/phone-number/ars';
const GET_PATH = '/users/v1/member';
const NEW_NUMBER = { phoneNumber: '01000000000' };
const MINUTE = 60_000;

/** The two routes that change something: the update itself and the (paid) ARS call. */
const WRITE_ROUTES = [
  ['PUT', PUT_PATH],
  ['POST', ARS_PATH],
] as const;
type WriteRoute = readonly ['PUT' | 'POST', string];

describe('Authentication, permission and member status of the real app over HTTP', () => {
  let t: TestApp;
  let placeCall: jest.SpyInstance;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());
  beforeEach(() => {
    placeCall = jest.spyOn(t.app.get<TelephonyPort>(TELEPHONY_PORT), 'placeCall');
  });

  const server = () => t.app.getHttpServer();
  const send = ([method, path]: WriteRoute, authorization?: string, body: object | string = NEW_NUMBER) => {
    const req = method === 'PUT' ? request(server()).put(path) : request(server()).post(path);
    if (authorization !== undefined) req.set('Authorization', authorization);
    return typeof body === 'string' ? req.set('Content-Type', 'application/json').send(body) : req.send(body);
  };
  const get = (authorization?: string) => {
    const req = request(server()).get(GET_PATH);
    return authorization === undefined ? req : req.set('Authorization', authorization);
  };
  const credentialsOf = (m: TestMember) => ({ apiKey: m.apiKey, apiSecret: m.apiSecret });
  const isoNow = () => new Date().toISOString();
  /** Proves a refused request left every table as it was and placed no call. */
  const expectNothingHappened = async (before: DatabaseSnapshot) => {
    expect(await snapshotDatabase(t)).toEqual(before);
    expect(placeCall).not.toHaveBeenCalled();
  };

  it.each([
    ['a good header first, a bad one second', true],
    ['a bad header first, a good one second', false],
  ])(
    'answers 401 Unauthorized to two Authorization headers (%s) and records nothing',
    async (_name, goodFirst) => {
      const m = await t.createMember();
      const before = await snapshotDatabase(t);
      const headers = [
        `Authorization: ${m.hmac()}`,
        'Authorization: HMAC-SHA256 apiKey=x, date=y, salt=z, signature=0',
      ];
      if (!goodFirst) headers.reverse();
      const res = await rawExchange(
        t.baseUrl,
        [`GET ${GET_PATH} HTTP/1.1`, 'Host: 127.0.0.1', ...headers, 'Connection: close', '', ''].join('\r\n'),
      );
      expect(res.status).toBe(401);
      expect(JSON.parse(res.text)).toMatchObject({ errorCode: 'Unauthorized' });
      await expectNothingHappened(before);
    },
  );

  describe('answers 401 Unauthorized naming both schemes for missing or malformed credentials', () => {
    let m: TestMember;
    beforeAll(async () => {
      m = await t.createMember();
    });

    /** A header signed correctly over exactly the date and salt it carries, in any shape. */
    const signed = (date: string, salt: string, names = ['apiKey', 'date', 'salt', 'signature']) => {
      const signature = computeHmacSignature('HMAC-SHA256', m.apiSecret, date, salt);
      const [k, d, s, sig] = names;
      return `HMAC-SHA256 ${k}=${m.apiKey}, ${d}=${date}, ${s}=${salt}, ${sig}=${signature}`;
    };
    const cases: Array<[string, () => string | undefined]> = [
      ['no Authorization header', () => undefined],
      ['an empty header', () => ''],
      ['an unknown scheme', () => 'Token abcdef0123456789'],
      ['Basic', () => `Basic ${Buffer.from('user:password').toString('base64')}`],
      ['HMAC-SHA1', () => signed(isoNow(), 'abcdefghijklmnop').replace('HMAC-SHA256', 'HMAC-SHA1')],
      ['the scheme alone', () => 'HMAC-SHA256'],
      ['a missing signature', () => signed(isoNow(), 'abcdefghijklmnop').replace(/, signature=\w+$/, '')],
      ['a missing apiKey', () => signed(isoNow(), 'abcdefghijklmnop').replace(/apiKey=\w+, /, '')],
      [
        'a duplicate parameter',
        () => signed(isoNow(), 'abcdefghijklmnop').replace(', salt=', ', salt=abcdefghijklmnop, salt='),
      ],
      ['an unknown parameter', () => `${signed(isoNow(), 'abcdefghijklmnop')}, nonce=1234`],
      ['a salt of 11 characters', () => signed(isoNow(), 'a'.repeat(11))],
      ['a salt of 65 characters', () => signed(isoNow(), 'a'.repeat(65))],
      ['a date without offset', () => signed(isoNow().replace(/\.\d+Z$/, ''), 'abcdefghijklmnop')],
      ['a date of 10 fractional digits', () => signed(isoNow().replace(/Z$/, '0000000Z'), 'abcdefghijkl')],
      [
        'a date that is not ISO 8601',
        () => signed(new Date().toUTCString().replace(/[ ,]/g, ''), 'abcdefghijkl'),
      ],
      [
        'a non-hex signature',
        () => signed(isoNow(), 'abcdefghijklmnop').replace(/signature=\w+$/, `signature=${'z'.repeat(64)}`),
      ],
      ['a quoted value', () => signed(isoNow(), 'abcdefghijklmnop').replace(/salt=(\w+)/, 'salt="$1"')],
      ['Bearer without a token', () => 'Bearer '],
      ['Bearer with a token of forbidden characters', () => 'Bearer abc,def'],
    ];

    describe.each(WRITE_ROUTES)('%s %s', (method, path) => {
      it.each(cases)('%s', async (_name, header) => {
        const before = await snapshotDatabase(t);
        const res = await send([method, path], header());
        expectCatalogError(res, 'Unauthorized');
        expect(res.headers['www-authenticate']).toBe(WWW_AUTHENTICATE_CHALLENGE);
        await expectNothingHappened(before);
      });
    });
  });

  describe('API key (HMAC)', () => {
    it.each(WRITE_ROUTES)('refuses an unknown key with InvalidAPIKey on %s %s', async (method, path) => {
      const before = await snapshotDatabase(t);
      const header = signHmacAuthorization({ apiKey: 'MPNOSUCHKEY00000', apiSecret: 's'.repeat(32) });
      expectCatalogError(await send([method, path], header), 'InvalidAPIKey');
      await expectNothingHappened(before);
    });

    it('refuses a disabled key with InvalidAPIKey on every route, at once', async () => {
      const m = await t.createMember();
      expect((await get(m.hmac())).status).toBe(200);
      expect(await t.app.get(ApiKeysService).disable(m.apiKey)).toBe(true);
      const before = await snapshotDatabase(t);
      for (const route of WRITE_ROUTES) expectCatalogError(await send(route, m.hmac()), 'InvalidAPIKey');
      expectCatalogError(await get(m.hmac()), 'InvalidAPIKey');
      await expectNothingHappened(before);
    });

    it('refuses the key of a DELETED member with InvalidAPIKey and its bearer token with 401', async () => {
      const m = await t.createMember({ status: 'DELETED' });
      const token = `Bearer ${await m.bearer()}`;
      const before = await snapshotDatabase(t);
      for (const route of WRITE_ROUTES) {
        expectCatalogError(await send(route, m.hmac()), 'InvalidAPIKey');
        const bearer = await send(route, token);
        expectCatalogError(bearer, 'Unauthorized');
        expect(bearer.headers['www-authenticate']).toBe(INVALID_TOKEN_CHALLENGE);
      }
      expectCatalogError(await get(m.hmac()), 'InvalidAPIKey');
      expectCatalogError(await get(token), 'Unauthorized');
      await expectNothingHappened(before);
    });

    it.each([
      ['16 minutes late', -16 * MINUTE],
      ['16 minutes early', 16 * MINUTE],
      ['a day late', -24 * 60 * MINUTE],
    ])('refuses a date %s with RequestTimeTooSkewed and records no signature', async (_name, offset) => {
      const m = await t.createMember();
      const before = await snapshotDatabase(t);
      for (const route of WRITE_ROUTES) {
        const header = signHmacAuthorization(credentialsOf(m), { date: new Date(Date.now() + offset) });
        expectCatalogError(await send(route, header), 'RequestTimeTooSkewed');
      }
      await expectNothingHappened(before);
    });

    it('accepts a date 14 minutes off', async () => {
      const m = await t.createMember();
      for (const offset of [-14 * MINUTE, 14 * MINUTE]) {
        const header = signHmacAuthorization(credentialsOf(m), { date: new Date(Date.now() + offset) });
        expect((await get(header)).status).toBe(200);
      }
    });

    it('refuses a signature made with the wrong secret with SignatureDoesNotMatch and records nothing', async () => {
      const m = await t.createMember();
      const before = await snapshotDatabase(t);
      for (const route of WRITE_ROUTES) {
        const header = signHmacAuthorization({ apiKey: m.apiKey, apiSecret: `${m.apiSecret}x` });
        expectCatalogError(await send(route, header), 'SignatureDoesNotMatch');
      }
      await expectNothingHappened(before);
    });

    it('refuses a hex signature of the wrong length with SignatureDoesNotMatch (the comparison checks length)', async () => {
      const m = await t.createMember();
      const before = await snapshotDatabase(t);
      for (const route of WRITE_ROUTES) {
        const short = m.hmac().replace(/\w$/, '');
        expectCatalogError(await send(route, short), 'SignatureDoesNotMatch');
        const md5 = signHmacAuthorization({ apiKey: m.apiKey, apiSecret: m.apiSecret }).replace(
          /^HMAC-SHA256/,
          'HMAC-MD5',
        );
        expectCatalogError(await send(route, md5), 'SignatureDoesNotMatch');
      }
      await expectNothingHappened(before);
    });

    it('refuses a replayed signature with DuplicatedSignature on any route', async () => {
      const m = await t.createMember();
      const header = m.hmac();
      expect((await get(header)).status).toBe(200);
      const replays = await t.db
        .selectFrom('hmac_signatures')
        .selectAll()
        .where('api_key_id', '=', m.apiKey)
        .execute();
      expect(replays).toHaveLength(1);
      expect(header.toLowerCase()).toContain(`signature=${replays[0]!.signature}`);

      const before = await snapshotDatabase(t);
      for (const route of WRITE_ROUTES) expectCatalogError(await send(route, header), 'DuplicatedSignature');
      expectCatalogError(await get(header), 'DuplicatedSignature');
      // The same signature in upper case is the same signature.
      expectCatalogError(
        await get(
          header.replace(/signature=(\w+)$/, (_all, hex: string) => `signature=${hex.toUpperCase()}`),
        ),
        'DuplicatedSignature',
      );
      await expectNothingHappened(before);
    });

    it('does not let a request that failed verification burn the signature of a real one', async () => {
      const owner = await t.createMember();
      const other = await t.createMember();
      const header = owner.hmac();
      // Same date, salt and signature, presented under another key: it cannot verify.
      const forged = header.replace(`apiKey=${owner.apiKey}`, `apiKey=${other.apiKey}`);
      expectCatalogError(await get(forged), 'SignatureDoesNotMatch');
      expect((await get(header)).status).toBe(200);
    });

    it('gives exactly one of 20 parallel copies of one signature a 200', async () => {
      const m = await t.createMember();
      const header = m.hmac();
      const results = await Promise.all(Array.from({ length: 20 }, () => get(header)));
      const statuses = results.map((r) => r.status);
      expect(statuses.filter((s) => s === 200)).toHaveLength(1);
      for (const r of results.filter((res) => res.status !== 200))
        expectCatalogError(r, 'DuplicatedSignature');
      const replays = await t.db
        .selectFrom('hmac_signatures')
        .selectAll()
        .where('api_key_id', '=', m.apiKey)
        .execute();
      expect(replays).toHaveLength(1);
    });

    describe('accepts the spellings SOLAPI clients send', () => {
      let m: TestMember;
      beforeAll(async () => {
        m = await t.createMember();
      });
      const salt = () => `salt${Math.random().toString(36).slice(2, 14)}`;
      const kst = () => new Date(Date.now() + 9 * 60 * MINUTE).toISOString().replace(/Z$/, '');

      it.each<[string, () => string]>([
        [
          'capitalised parameter names (ApiKey=, Date=, Salt=, Signature=)',
          () => {
            const date = isoNow();
            const s = salt();
            const sig = computeHmacSignature('HMAC-SHA256', m.apiSecret, date, s);
            return `HMAC-SHA256 ApiKey=${m.apiKey}, Date=${date}, Salt=${s}, Signature=${sig}`;
          },
        ],
        ['HMAC-MD5', () => signHmacAuthorization(credentialsOf(m), { algorithm: 'HMAC-MD5' })],
        ['a +09:00 offset', () => signHmacAuthorization(credentialsOf(m), { date: `${kst()}+09:00` })],
        ['a +0900 offset', () => signHmacAuthorization(credentialsOf(m), { date: `${kst()}+0900` })],
        [
          'nine fractional digits',
          () => signHmacAuthorization(credentialsOf(m), { date: isoNow().replace(/Z$/, '456789Z') }),
        ],
        [
          'no fractional digits',
          () => signHmacAuthorization(credentialsOf(m), { date: isoNow().replace(/\.\d+Z$/, 'Z') }),
        ],
        [
          'a salt of 12 characters',
          () => signHmacAuthorization(credentialsOf(m), { salt: salt().slice(0, 12) }),
        ],
        [
          'a salt of 64 characters',
          () => signHmacAuthorization(credentialsOf(m), { salt: salt().padEnd(64, 'x') }),
        ],
        [
          'an upper-case signature',
          () =>
            signHmacAuthorization(credentialsOf(m)).replace(
              /signature=(\w+)$/,
              (_all, hex: string) => `signature=${hex.toUpperCase()}`,
            ),
        ],
        [
          'a lower-case scheme',
          () => signHmacAuthorization(credentialsOf(m)).replace('HMAC-SHA256', 'hmac-sha256'),
        ],
      ])('%s', async (_name, header) => {
        const res = await get(header());
        expect(res.status).toBe(200);
        expect((res.body as Member).memberId).toBe(m.row.id);
      });

      it('places the ARS call for such a request (the telephony spy sees real calls)', async () => {
        const other = await t.createMember();
        const header = signHmacAuthorization(credentialsOf(other), {
          algorithm: 'HMAC-MD5',
          date: `${kst().replace(/\.\d+$/, '')}.123456789+09:00`,
        });
        const res = await send(WRITE_ROUTES[1], header);
        expect(res.status).toBe(201);
        expect(placeCall).toHaveBeenCalledTimes(1);
        expect(placeCall).toHaveBeenCalledWith(expect.objectContaining({ to: '01000000000' }));
      });
    });
  });

  describe('bearer token', () => {
    let m: TestMember;
    beforeAll(async () => {
      m = await t.createMember();
    });

    const devSecret = () => new Uint8Array(t.config.bearer.hs256Secret!);
    const now = () => Math.floor(Date.now() / 1000);
    const jwt = (claims: Record<string, unknown> = {}) =>
      new SignJWT({ scope: 'users:read users:write', ...claims })
        .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
        .setSubject(m.row.id)
        .setIssuer(DEV_TOKEN_ISSUER)
        .setIssuedAt(now() - 60);
    const b64url = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

    it.each<[string, () => Promise<string>]>([
      [
        'expired',
        () =>
          jwt()
            .setExpirationTime(now() - 1)
            .sign(devSecret()),
      ],
      [
        'signed with another key',
        () =>
          jwt()
            .setExpirationTime(now() + 600)
            .sign(new Uint8Array(32).fill(7)),
      ],
      [
        'with alg none',
        () =>
          Promise.resolve(
            `${b64url({ alg: 'none', typ: 'JWT' })}.${b64url({ sub: m.row.id, scope: 'users:write', iss: DEV_TOKEN_ISSUER, exp: now() + 600 })}.`,
          ),
      ],
      ['garbage', () => Promise.resolve('garbage')],
      ['three garbage parts', () => Promise.resolve('aaa.bbb.ccc')],
      [
        'from another issuer',
        () =>
          jwt()
            .setIssuer('someone-else')
            .setExpirationTime(now() + 600)
            .sign(devSecret()),
      ],
      [
        'not yet valid',
        () =>
          jwt()
            .setNotBefore(now() + 600)
            .setExpirationTime(now() + 1200)
            .sign(devSecret()),
      ],
      [
        'for an unknown member',
        () =>
          jwt()
            .setSubject('99999999999999')
            .setExpirationTime(now() + 600)
            .sign(devSecret()),
      ],
      [
        'with a tampered payload',
        async () => {
          const [header, , signature] = (
            await jwt()
              .setExpirationTime(now() + 600)
              .sign(devSecret())
          ).split('.');
          return `${header}.${b64url({ sub: m.row.id, scope: 'users:write admin', iss: DEV_TOKEN_ISSUER, exp: now() + 600 })}.${signature}`;
        },
      ],
    ])('refuses a token %s with 401 and error="invalid_token"', async (_name, token) => {
      const value = `Bearer ${await token()}`;
      const before = await snapshotDatabase(t);
      for (const route of WRITE_ROUTES) {
        const res = await send(route, value);
        expectCatalogError(res, 'Unauthorized');
        expect(res.headers['www-authenticate']).toBe(INVALID_TOKEN_CHALLENGE);
      }
      await expectNothingHappened(before);
    });

    it('serves a valid token', async () => {
      const res = await get(
        `Bearer ${await jwt()
          .setExpirationTime(now() + 600)
          .sign(devSecret())}`,
      );
      expect(res.status).toBe(200);
      expect((res.body as Member).memberId).toBe(m.row.id);
    });
  });

  describe('permission users:write', () => {
    it.each(WRITE_ROUTES)(
      'refuses a token without users:write with Forbidden on %s %s',
      async (method, path) => {
        const m = await t.createMember();
        const before = await snapshotDatabase(t);
        for (const scopes of [['users:read'], [], ['users:writer', 'Users:Write']]) {
          expectCatalogError(await send([method, path], `Bearer ${await m.bearer(scopes)}`), 'Forbidden');
        }
        await expectNothingHappened(before);
      },
    );

    it('refuses a key created with scopes [users:read] on the PUT and the ARS start, and serves its GET', async () => {
      const m = await t.createMember({ scopes: ['users:read'] });
      const before = await snapshotDatabase(t);
      for (const route of WRITE_ROUTES) expectCatalogError(await send(route, m.hmac()), 'Forbidden');
      // Each refused request still used up its own verified signature, nothing else.
      const after = await snapshotDatabase(t);
      expect({ ...after, hmacSignatures: [] }).toEqual({ ...before, hmacSignatures: [] });
      expect(after.hmacSignatures).toHaveLength(before.hmacSignatures.length + 2);
      expect(placeCall).not.toHaveBeenCalled();
      const res = await get(m.hmac());
      expect(res.status).toBe(200);
      expect((res.body as Member).memberId).toBe(m.row.id);
    });

    it('refuses a token without users:read on the GET', async () => {
      const m = await t.createMember();
      expectCatalogError(await get(`Bearer ${await m.bearer(['users:write'])}`), 'Forbidden');
    });
  });

  describe('member status', () => {
    it.each(['INACTIVE', 'UNVERIFIED'] as const)(
      'refuses a %s member with InvalidMemberStatus on the PUT and the ARS start',
      async (status) => {
        const m = await t.createMember({ status });
        const token = `Bearer ${await m.bearer()}`;
        const before = await snapshotDatabase(t);
        for (const route of WRITE_ROUTES) {
          expectCatalogError(await send(route, token), 'InvalidMemberStatus');
          // Same number too: the status is checked before the body is even looked at.
          expectCatalogError(
            await send(route, token, { phoneNumber: m.row.phone_number }),
            'InvalidMemberStatus',
          );
        }
        await expectNothingHappened(before);
      },
    );

    it('lets an UNVERIFIED member GET itself but not an INACTIVE one', async () => {
      const unverified = await t.createMember({ status: 'UNVERIFIED' });
      const res = await get(unverified.hmac());
      expect(res.status).toBe(200);
      expect(res.body as Member).toMatchObject({ memberId: unverified.row.id, status: 'UNVERIFIED' });
      const inactive = await t.createMember({ status: 'INACTIVE' });
      expectCatalogError(await get(inactive.hmac()), 'InvalidMemberStatus');
    });
  });

  describe('order of the checks', () => {
    it.each(WRITE_ROUTES)(
      '%s %s: no credentials and a broken body → 401, not 400 or 415',
      async (method, path) => {
        const before = await snapshotDatabase(t);
        expectCatalogError(await send([method, path], undefined, '{"phoneNumber":'), 'Unauthorized');
        expectCatalogError(await send([method, path], undefined, '[]'), 'Unauthorized');
        const textPlain = await (
          method === 'PUT' ? request(server()).put(path) : request(server()).post(path)
        )
          .set('Content-Type', 'text/plain')
          .send('01000000000');
        expectCatalogError(textPlain, 'Unauthorized');
        await expectNothingHappened(before);
      },
    );

    it.each(WRITE_ROUTES)(
      '%s %s: a wrong signature and a broken body → SignatureDoesNotMatch',
      async (method, path) => {
        const m = await t.createMember({ status: 'INACTIVE', scopes: [] });
        const before = await snapshotDatabase(t);
        const header = signHmacAuthorization({ apiKey: m.apiKey, apiSecret: 'w'.repeat(32) });
        expectCatalogError(await send([method, path], header, '{"phoneNumber":'), 'SignatureDoesNotMatch');
        await expectNothingHappened(before);
      },
    );

    it.each(WRITE_ROUTES)(
      '%s %s: valid credentials without users:write and a broken body → Forbidden',
      async (method, path) => {
        const m = await t.createMember({ status: 'INACTIVE' });
        const before = await snapshotDatabase(t);
        const token = `Bearer ${await m.bearer(['users:read'])}`;
        expectCatalogError(await send([method, path], token, '{"phoneNumber":'), 'Forbidden');
        expectCatalogError(await send([method, path], token, { phoneNumber: 12 }), 'Forbidden');
        await expectNothingHappened(before);
      },
    );

    it.each(WRITE_ROUTES)(
      '%s %s: an INACTIVE member and a broken body → InvalidMemberStatus',
      async (method, path) => {
        const m = await t.createMember({ status: 'INACTIVE' });
        const before = await snapshotDatabase(t);
        const token = `Bearer ${await m.bearer()}`;
        expectCatalogError(await send([method, path], token, '{"phoneNumber":'), 'InvalidMemberStatus');
        expectCatalogError(
          await send([method, path], token, { phoneNumber: '070-1234-5678' }),
          'InvalidMemberStatus',
        );
        await expectNothingHappened(before);
      },
    );
  });
});
