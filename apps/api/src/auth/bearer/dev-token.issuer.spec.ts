import { decodeJwt, decodeProtectedHeader, jwtVerify } from 'jose';

import { testConfig } from '../testing/auth-test-kit';
import { ManualClock } from '../../common/testing/manual-clock';
import { DEV_TOKEN_ISSUER, DevTokenIssuer } from './dev-token.issuer';

const NOW = Date.UTC(2025, 0, 15, 3, 0, 0);

describe('DevTokenIssuer', () => {
  const config = testConfig();
  const issuer = new DevTokenIssuer(config, new ManualClock(NOW));

  it('issues an HS256 token signed with the development secret, valid for 30 days by default', async () => {
    const token = await issuer.issue({ memberId: 'M1', scopes: ['users:read', 'users:write'] });

    expect(decodeProtectedHeader(token)).toEqual({ alg: 'HS256', typ: 'JWT' });
    const { payload } = await jwtVerify(token, new Uint8Array(config.bearer.hs256Secret!), {
      currentDate: new Date(NOW),
      issuer: DEV_TOKEN_ISSUER,
    });
    expect(payload).toEqual({
      sub: 'M1',
      scope: 'users:read users:write',
      jti: expect.stringMatching(/^[0-9a-f]{32}$/) as unknown,
      iss: 'member-phone-dev',
      iat: NOW / 1000,
      exp: NOW / 1000 + 30 * 24 * 3600,
    });
  });

  it('gives every token its own jti and honours a custom lifetime', async () => {
    const a = decodeJwt(await issuer.issue({ memberId: 'M1', scopes: [], ttlSeconds: 60 }));
    const b = decodeJwt(await issuer.issue({ memberId: 'M1', scopes: [] }));
    expect(a.exp).toBe(NOW / 1000 + 60);
    expect(a.scope).toBe('');
    expect(a.jti).not.toBe(b.jti);
  });

  it('refuses in production mode', async () => {
    const production = new DevTokenIssuer({ ...config, mode: 'production' }, new ManualClock(NOW));
    await expect(production.issue({ memberId: 'M1', scopes: [] })).rejects.toThrow(/production/);
  });

  it('refuses when HS256 tokens would not be accepted', async () => {
    const rsOnly = new DevTokenIssuer(
      { ...config, bearer: { ...config.bearer, algorithms: ['RS256'] } },
      new ManualClock(NOW),
    );
    await expect(rsOnly.issue({ memberId: 'M1', scopes: [] })).rejects.toThrow(/HS256/);
  });

  it.each([
    ['a scope with a space', { memberId: 'M1', scopes: ['users read'] }],
    ['an empty member id', { memberId: '', scopes: [] }],
    ['a zero lifetime', { memberId: 'M1', scopes: [], ttlSeconds: 0 }],
    ['a fractional lifetime', { memberId: 'M1', scopes: [], ttlSeconds: 1.5 }],
  ])('refuses %s', async (_name, request) => {
    await expect(issuer.issue(request)).rejects.toThrow(RangeError);
  });
});
