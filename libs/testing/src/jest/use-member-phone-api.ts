import { DEFAULT_BASE_URL } from '@member-phone/core';
import nock from 'nock';
import {
  type MemberPhoneApiMock,
  type MemberPhoneApiMockOptions,
  mockMemberPhoneApi,
} from '../fixtures/member-phone-api.mock';

type Hook = (fn: () => void | Promise<void>) => void;

interface TestHooks {
  beforeAll: Hook;
  beforeEach: Hook;
  afterEach: Hook;
  afterAll: Hook;
}

/**
 * Options of {@link useMemberPhoneApi}.
 *
 * @example
 * ```ts
 * const api = useMemberPhoneApi({ baseUrl: 'http://localhost:3000', verify: false });
 * ```
 */
export interface UseMemberPhoneApiOptions extends MemberPhoneApiMockOptions {
  /** Default the SOLAPI host the core client uses. */
  baseUrl?: string;
  /** Run `verify()` after each test (default `true`). */
  verify?: boolean;
  /**
   * Refuse real connections while the tests run, except to `localhost` and `127.0.0.1` (default
   * `true`), so a request the mock does not answer fails instead of reaching the internet. Nested
   * blocks may each ask for it: the network opens again only when the outermost one ends.
   */
  disableNetConnect?: boolean;
}

function hooks(): TestHooks {
  const scope = globalThis as unknown as Partial<TestHooks>;
  if (!scope.beforeAll || !scope.beforeEach || !scope.afterEach || !scope.afterAll) {
    throw new Error(
      'useMemberPhoneApi() needs the test framework globals beforeEach/afterEach (jest, vitest globals)',
    );
  }
  return scope as TestHooks;
}

// Blocks (nested describes) that currently hold the network closed. Only the last one to leave
// opens it again, so an inner block's afterAll never reopens it under the outer block's tests.
let netConnectHolds = 0;

function holdNetConnect(): void {
  if (netConnectHolds === 0) {
    nock.disableNetConnect();
    nock.enableNetConnect(isLocal);
  }
  netConnectHolds += 1;
}

function releaseNetConnect(): void {
  netConnectHolds = Math.max(0, netConnectHolds - 1);
  if (netConnectHolds === 0) nock.enableNetConnect();
}

function isLocal(host: string): boolean {
  const name = host.replace(/:\d+$/, '');
  return name === 'localhost' || name === '127.0.0.1' || name === '[::1]' || name === '::1';
}

/**
 * Installs a {@link MemberPhoneApiMock} for the tests of the enclosing `describe` (or file): a
 * fresh state before each test, `verify()` after each (unused answers and unmatched requests fail
 * the test), and its interceptors removed at the end. Call it at describe level, not inside a test.
 *
 * @example
 * ```ts
 * const api = useMemberPhoneApi();
 *
 * it('asks for the ARS call when the server wants one', async () => {
 *   api.scenario('updatePhoneNumber.SecondAuthRequired');
 *   await expect(client.updatePhoneNumber('01012345678')).rejects.toMatchObject({
 *     errorCode: 'SecondAuthRequired',
 *   });
 * });
 * ```
 */
export function useMemberPhoneApi(options: UseMemberPhoneApiOptions = {}): MemberPhoneApiMock {
  const { beforeAll, beforeEach, afterEach, afterAll } = hooks();
  const { baseUrl = DEFAULT_BASE_URL, verify = true, disableNetConnect = true, ...mockOptions } = options;
  const api = mockMemberPhoneApi(baseUrl, mockOptions);
  if (disableNetConnect) {
    beforeAll(holdNetConnect);
  }
  beforeEach(() => api.reset());
  afterEach(() => {
    try {
      if (verify) api.verify();
    } finally {
      api.reset();
    }
  });
  afterAll(() => {
    api.cleanup();
    if (disableNetConnect) releaseNetConnect();
  });
  return api;
}
