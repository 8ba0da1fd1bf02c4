import { createHash, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { exportJWK, SignJWT, UnsecuredJWT } from 'jose';
import type { Kysely } from 'kysely';

import { ApiError } from '../../common/api-error';
import type { AppConfig } from '../../config/app-config';
import type { Database, MemberRow } from '../../database/schema';
import { MembersRepository } from '../../members/members.repository';
import { insertMember, openTestDatabase, testConfig } from '../testing/auth-test-kit';
import { ManualClock } from '../../common/testing/manual-clock';
import { BearerVerifier } from './bearer.verifier';
import { DEV_TOKEN_ISSUER, DevTokenIssuer } from './dev-token.issuer';

const NOW = Date.UTC(2025, 0, 15, 3, 0, 0);
const NOW_S = NOW / 1000;

async function rejection(promise: Promise<unknown>): Promise<ApiError> {
  const error: unknown = await promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (e: unknown) => e,
  );
  if (!(error instanceof ApiError)) throw error;
  return error;
}

const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const pemOf = (key: KeyObject) => key.export({ type: 'spki', format: 'pem' }).toString();

describe('BearerVerifier', () => {
  let db: Kysely<Database>;
  let members: MembersRepository;
  let clock: ManualClock;
  let config: AppConfig;
  let member: MemberRow;

  beforeEach(async () => {
    db = (await openTestDatabase()).db;
    members = new MembersRepository(db);
    clock = new ManualClock(NOW);
    config = testConfig();
    member = await insertMember(db);
  });

  afterEach(async () => {
    await db.destroy();
  });

  const verifierFor = async (cfg: AppConfig = config) => {
    const verifier = new BearerVerifier(cfg, clock, members);
    await verifier.onModuleInit();
    return verifier;
  };
  // Claims given as `undefined` are left out of the token.
  const devToken = (claims: Record<string, unknown> = {}, secret = config.bearer.hs256Secret!) =>
    new SignJWT(
      JSON.parse(
        JSON.stringify({
          sub: member.id,
          iss: DEV_TOKEN_ISSUER,
          iat: NOW_S,
          exp: NOW_S + 3600,
          scope: 'users:read users:write',
          ...claims,
        }),
      ) as Record<string, unknown>,
    )
      .setProtectedHeader({ alg: 'HS256' })
      .sign(new Uint8Array(secret));
  const expectInvalidToken = (error: ApiError) => {
    expect(error.code).toBe('Unauthorized');
    expect(error.status).toBe(401);
    expect(error.headers['WWW-Authenticate']).toBe(
      'HMAC-SHA256 realm="member-phone", Bearer realm="member-phone", error="invalid_token"',
    );
  };

  describe('with the development HS256 secret', () => {
    it('authenticates a token from the development issuer as its subject', async () => {
      const token = await new DevTokenIssuer(config, clock).issue({
        memberId: member.id,
        scopes: ['users:write'],
      });
      const auth = await (await verifierFor()).verify(token);

      expect(auth.method).toBe('bearer');
      expect(auth.member).toEqual(member);
      expect(auth.scopes).toEqual(new Set(['users:write']));
      expect(auth.credentialId).toMatch(/^bearer:[0-9a-f]{32}$/);
    });

    it('names the credential by jti, or by a token hash without one', async () => {
      const verifier = await verifierFor();
      const withJti = await devToken({ jti: 'token-1' });
      const withoutJti = await devToken();
      const overlong = await devToken({ jti: 'j'.repeat(97) });

      expect((await verifier.verify(withJti)).credentialId).toBe('bearer:token-1');
      const hash = (token: string) => createHash('sha256').update(token).digest('hex').slice(0, 32);
      expect((await verifier.verify(withoutJti)).credentialId).toBe(`bearer:${hash(withoutJti)}`);
      expect((await verifier.verify(overlong)).credentialId).toBe(`bearer:${hash(overlong)}`);
    });

    it('reads scope as a space-separated string or a list, and no scope as none', async () => {
      const verifier = await verifierFor();
      expect(
        (await verifier.verify(await devToken({ scope: '  users:read   users:write ' }))).scopes,
      ).toEqual(new Set(['users:read', 'users:write']));
      expect((await verifier.verify(await devToken({ scope: ['users:read'] }))).scopes).toEqual(
        new Set(['users:read']),
      );
      expect((await verifier.verify(await devToken({ scope: undefined }))).scopes).toEqual(new Set());
    });

    it('lets an INACTIVE member authenticate: the route decides on status', async () => {
      await db.updateTable('members').set({ status: 'INACTIVE' }).where('id', '=', member.id).execute();
      const auth = await (await verifierFor()).verify(await devToken());
      expect(auth.member.status).toBe('INACTIVE');
    });

    it.each<[string, () => Promise<string>]>([
      ['expired', () => devToken({ exp: NOW_S - 1 })],
      ['not yet valid', () => devToken({ nbf: NOW_S + 600 })],
      ['signed with another secret', () => devToken({}, Buffer.alloc(32, 7))],
      ['from another issuer', () => devToken({ iss: 'someone-else' })],
      ['without sub', () => devToken({ sub: undefined })],
      ['with a numeric scope', () => devToken({ scope: 42 })],
      [
        'with alg none',
        () => Promise.resolve(new UnsecuredJWT({ sub: 'x' }).setIssuer(DEV_TOKEN_ISSUER).encode()),
      ],
      [
        'HS384',
        () =>
          new SignJWT({ sub: 'x' })
            .setProtectedHeader({ alg: 'HS384' })
            .setIssuer(DEV_TOKEN_ISSUER)
            .sign(new Uint8Array(config.bearer.hs256Secret!)),
      ],
      ['malformed', () => Promise.resolve('not.a.jwt')],
      ['garbage', () => Promise.resolve('abc')],
      [
        'with a tampered payload',
        async () => {
          const [h, , s] = (await devToken()).split('.');
          return `${h}.${Buffer.from(JSON.stringify({ sub: member.id, scope: 'users:write' })).toString('base64url')}.${s}`;
        },
      ],
    ])('refuses a token %s with Unauthorized', async (_name, make) => {
      expectInvalidToken(await rejection((await verifierFor()).verify(await make())));
    });

    it('refuses a token of an unknown or deleted member with Unauthorized', async () => {
      const verifier = await verifierFor();
      expectInvalidToken(await rejection(verifier.verify(await devToken({ sub: 'nobody' }))));
      await db.updateTable('members').set({ status: 'DELETED' }).where('id', '=', member.id).execute();
      expectInvalidToken(await rejection(verifier.verify(await devToken())));
    });

    it('judges expiry by the injected clock', async () => {
      const verifier = await verifierFor();
      const token = await devToken();
      clock.advance(3600_000 + 1000);
      expectInvalidToken(await rejection(verifier.verify(token)));
    });

    it('refuses a token without an expiry: it would never stop working', async () => {
      const verifier = await verifierFor();
      expectInvalidToken(await rejection(verifier.verify(await devToken({ exp: undefined }))));
    });

    it('refuses HS256 when it is not in the allow-list', async () => {
      const verifier = await verifierFor({ ...config, bearer: { ...config.bearer, algorithms: ['RS256'] } });
      expectInvalidToken(await rejection(verifier.verify(await devToken())));
    });

    it('never uses a local secret in production mode', async () => {
      const verifier = await verifierFor({ ...config, mode: 'production' });
      expectInvalidToken(await rejection(verifier.verify(await devToken())));
    });

    it('turns an unreachable database into ServiceUnavailable', async () => {
      jest
        .spyOn(members, 'findById')
        .mockRejectedValue(Object.assign(new Error('down'), { code: 'ECONNREFUSED' }));
      expect((await rejection((await verifierFor()).verify(await devToken()))).code).toBe(
        'ServiceUnavailable',
      );
    });
  });

  describe('with a configured public key', () => {
    const rsaConfig = (extra: Partial<AppConfig['bearer']> = {}): AppConfig => ({
      ...config,
      bearer: { ...config.bearer, publicKeyPem: pemOf(rsa.publicKey), ...extra },
    });
    const rsToken = (claims: Record<string, unknown> = {}, alg = 'RS256', key: KeyObject = rsa.privateKey) =>
      new SignJWT({ scope: 'users:write', ...claims })
        .setProtectedHeader({ alg })
        .setSubject(member.id)
        .setIssuedAt(NOW_S)
        .setExpirationTime(NOW_S + 600)
        .sign(key);

    it('verifies an RS256 token', async () => {
      const auth = await (await verifierFor(rsaConfig())).verify(await rsToken({ jti: 'abc' }));
      expect(auth).toMatchObject({ method: 'bearer', credentialId: 'bearer:abc', member });
    });

    it('refuses an RS256 token without an expiry', async () => {
      const token = await new SignJWT({ scope: 'users:write' })
        .setProtectedHeader({ alg: 'RS256' })
        .setSubject(member.id)
        .sign(rsa.privateKey);
      expectInvalidToken(await rejection((await verifierFor(rsaConfig())).verify(token)));
    });

    it('checks issuer and audience when configured', async () => {
      const verifier = await verifierFor(
        rsaConfig({ issuer: 'https://id.example', audience: 'member-phone' }),
      );
      await expect(
        verifier.verify(await rsToken({ iss: 'https://id.example', aud: 'member-phone' })),
      ).resolves.toMatchObject({
        member,
      });
      expectInvalidToken(
        await rejection(verifier.verify(await rsToken({ iss: 'https://evil.example', aud: 'member-phone' }))),
      );
      expectInvalidToken(
        await rejection(verifier.verify(await rsToken({ iss: 'https://id.example', aud: 'other' }))),
      );
      expectInvalidToken(await rejection(verifier.verify(await rsToken({ aud: 'member-phone' }))));
    });

    it('refuses, as a 401 and not a crash, an allowed algorithm that does not fit the key', async () => {
      const verifier = await verifierFor(rsaConfig());
      expectInvalidToken(await rejection(verifier.verify(await rsToken({}, 'ES256', ec.privateKey))));
    });

    it('refuses a token signed by another RSA key', async () => {
      const other = generateKeyPairSync('rsa', { modulusLength: 2048 });
      expectInvalidToken(
        await rejection(
          (await verifierFor(rsaConfig())).verify(await rsToken({}, 'RS256', other.privateKey)),
        ),
      );
    });

    it('stops the boot on a key that is not PEM or fits no accepted algorithm', async () => {
      await expect(verifierFor(rsaConfig({ publicKeyPem: 'not a key' }))).rejects.toThrow(/PEM/);
      await expect(
        verifierFor(rsaConfig({ publicKeyPem: pemOf(ec.publicKey), algorithms: ['RS256'] })),
      ).rejects.toThrow(/fits none/);
    });
  });

  describe('with a JWKS URL', () => {
    let server: Server;
    let jwksUrl: string;
    let respond: (res: import('node:http').ServerResponse) => void;

    beforeEach(async () => {
      const jwk = { ...(await exportJWK(ec.publicKey)), kid: 'k1', alg: 'ES256', use: 'sig' };
      respond = (res) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ keys: [jwk] }));
      };
      server = createServer((_req, res) => respond(res));
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      jwksUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/.well-known/jwks.json`;
    });

    afterEach(async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    });

    const jwksConfig = (): AppConfig => ({ ...config, bearer: { ...config.bearer, jwksUrl } });
    const esToken = (kid = 'k1', key: KeyObject = ec.privateKey) =>
      new SignJWT({ scope: 'users:read' })
        .setProtectedHeader({ alg: 'ES256', kid })
        .setSubject(member.id)
        .setIssuedAt(NOW_S)
        .setExpirationTime(NOW_S + 600)
        .sign(key);

    it('verifies a token against the key set', async () => {
      const auth = await (await verifierFor(jwksConfig())).verify(await esToken());
      expect(auth).toMatchObject({ method: 'bearer', member, scopes: new Set(['users:read']) });
    });

    it('refuses a token whose kid is not in the key set', async () => {
      expectInvalidToken(await rejection((await verifierFor(jwksConfig())).verify(await esToken('unknown'))));
    });

    it('stops the boot on a JWKS URL that is not a URL, or not HTTPS in production', () => {
      expect(
        () =>
          new BearerVerifier({ ...config, bearer: { ...config.bearer, jwksUrl: 'nope' } }, clock, members),
      ).toThrow(/not a URL/);
      expect(
        () =>
          new BearerVerifier(
            { ...config, mode: 'production', bearer: { ...config.bearer, jwksUrl, algorithms: ['ES256'] } },
            clock,
            members,
          ),
      ).toThrow(/https/);
    });

    it('answers ServiceUnavailable when the key set answers an error', async () => {
      respond = (res) => {
        res.writeHead(500);
        res.end();
      };
      expect((await rejection((await verifierFor(jwksConfig())).verify(await esToken()))).code).toBe(
        'ServiceUnavailable',
      );
    });

    it('answers ServiceUnavailable when the key set cannot be reached', async () => {
      const verifier = await verifierFor(jwksConfig());
      await new Promise<void>((resolve) => server.close(() => resolve()));
      // A fresh listener elsewhere, only so that afterEach has something to close.
      server = createServer();
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      expect((await rejection(verifier.verify(await esToken()))).code).toBe('ServiceUnavailable');
    });
  });
});
