import { webcrypto } from 'node:crypto';
import { createContext, runInContext } from 'node:vm';

import { computeHmacSignature, parseAuthorizationHeader, signHmacAuthorization } from '@member-phone/core';

import { SWAGGER_SIGNING_SCRIPT } from './swagger-signing.script';

interface SwaggerRequest {
  url: string;
  method: string;
  headers: Record<string, string>;
  body?: string;
}

interface PageHooks {
  requestInterceptor(request: SwaggerRequest): Promise<SwaggerRequest>;
  useCredentials(apiKey: string, apiSecret: string): Promise<void>;
  forgetCredentials(): void;
  signAuthorization(
    apiKey: string,
    apiSecret: string,
    options?: { date?: string; salt?: string },
  ): Promise<string>;
}

const ORIGIN = 'http://127.0.0.1:3000';

/** A document shaped like the served one: two signed operations, one public. */
const SPEC = {
  paths: {
    '/users/v1/member': { get: { security: [{ hmac: [] }, { bearer: [] }] } },
    '/users/v1/member/phone-number/ars/{verificationId}': {
      get: { security: [{ bearer: [] }, { hmac: [] }] },
    },
    '/dev/ars/{verificationId}/keypad': { post: { security: [] } },
    '/bearer-only': { get: { security: [{ bearer: [] }] } },
  },
};

/** Runs the page script in a fresh context with the browser's Web Crypto (Node's is the same API). */
function loadScript(): PageHooks {
  const context = createContext({
    crypto: webcrypto,
    TextEncoder,
    URL,
    location: { href: `${ORIGIN}/docs`, origin: ORIGIN },
    ui: { specSelectors: { specJson: () => SPEC } },
  });
  runInContext(SWAGGER_SIGNING_SCRIPT, context);
  return (context as { memberPhoneDocs: PageHooks }).memberPhoneDocs;
}

const request = (path: string, method = 'GET', headers: Record<string, string> = {}): SwaggerRequest => ({
  url: `${ORIGIN}${path}`,
  method,
  headers,
});

describe('the /docs signing script', () => {
  it('computes the header of signHmacAuthorization from @member-phone/core, byte for byte', async () => {
    const hooks = loadScript();
    const options = { date: '2019-07-01T00:41:48Z', salt: 'jqsba2jxjnrjor' };
    await expect(hooks.signAuthorization('NCSAYU7YDBXYORXC', 'secret-one', options)).resolves.toBe(
      signHmacAuthorization({ apiKey: 'NCSAYU7YDBXYORXC', apiSecret: 'secret-one' }, options),
    );
  });

  it('signs nothing before credentials are entered: the request keeps what Authorize set', async () => {
    const hooks = loadScript();
    const sent = await hooks.requestInterceptor(
      request('/users/v1/member', 'GET', { Authorization: 'Bearer t' }),
    );
    expect(sent.headers).toEqual({ Authorization: 'Bearer t' });
  });

  it('gives each request to an hmac operation a fresh signature the server recomputes, replacing a bearer', async () => {
    const hooks = loadScript();
    await hooks.useCredentials('NCSAYU7YDBXYORXC', 'secret-two');
    const first = await hooks.requestInterceptor(
      request('/users/v1/member', 'get', { authorization: 'Bearer t' }),
    );
    const second = await hooks.requestInterceptor(
      request('/users/v1/member/phone-number/ars/5f0c6f8e-2b7a-4d39-9d0e-8c1d1f3a2b4c'),
    );
    const headers = [first.headers, second.headers];
    expect(headers.map((h) => Object.keys(h))).toEqual([['Authorization'], ['Authorization']]);

    const parsed = headers.map((h) => parseAuthorizationHeader(h.Authorization));
    for (const result of parsed) {
      if (!result.ok || result.scheme !== 'hmac')
        throw new Error(`not an HMAC header: ${JSON.stringify(result)}`);
      const { credentials } = result;
      expect(credentials).toMatchObject({ algorithm: 'HMAC-SHA256', apiKey: 'NCSAYU7YDBXYORXC' });
      expect(credentials.salt).toMatch(/^[0-9A-Za-z]{32}$/);
      expect(Math.abs(Date.parse(credentials.date) - Date.now())).toBeLessThan(60_000);
      expect(credentials.signature).toBe(
        computeHmacSignature('HMAC-SHA256', 'secret-two', credentials.date, credentials.salt),
      );
    }
    const salts = parsed.map((result) =>
      result.ok && result.scheme === 'hmac' ? result.credentials.salt : '',
    );
    expect(new Set(salts).size).toBe(2);
    expect(JSON.stringify(headers)).not.toContain('secret-two');
  });

  it('leaves public and bearer-only operations, other origins and forgotten credentials unsigned', async () => {
    const hooks = loadScript();
    await hooks.useCredentials('NCSAYU7YDBXYORXC', 'secret-three');
    const untouched = [
      request('/dev/ars/5f0c6f8e-2b7a-4d39-9d0e-8c1d1f3a2b4c/keypad', 'POST'),
      request('/bearer-only'),
      request('/users/v1/member', 'DELETE'),
      { ...request('/users/v1/member'), url: 'https://elsewhere.example/users/v1/member' },
    ];
    for (const sent of untouched) {
      expect((await hooks.requestInterceptor({ ...sent, headers: {} })).headers).toEqual({});
    }
    hooks.forgetCredentials();
    expect((await hooks.requestInterceptor(request('/users/v1/member'))).headers).toEqual({});
  });
});
