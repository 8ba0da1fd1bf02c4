import { parseAuthorizationHeader, signHmacAuthorization } from '@member-phone/core';
import type { Kysely } from 'kysely';

import { ApiKeysRepository } from '../../api-keys/api-keys.repository';
import { ApiKeysService } from '../../api-keys/api-keys.service';
import { ApiError } from '../../common/api-error';
import type { AppConfig } from '../../config/app-config';
import { SecretBox } from '../../crypto/secret-box';
import type { Database, MemberRow } from '../../database/schema';
import { MembersRepository } from '../../members/members.repository';
import { insertMember, openTestDatabase, testConfig } from '../testing/auth-test-kit';
import { ManualClock } from '../../common/testing/manual-clock';
import { type HmacAuthorization, HmacVerifier } from './hmac.verifier';
import { ReplayStore } from './replay.store';

const MINUTE = 60_000;
const NOW = Date.UTC(2025, 0, 15, 3, 0, 0);
const SALT = 'salt-0123456789abcdef';

function parse(header: string): HmacAuthorization {
  const parsed = parseAuthorizationHeader(header);
  if (!parsed.ok || parsed.scheme !== 'hmac')
    throw new Error(`test header did not parse: ${JSON.stringify(parsed)}`);
  return parsed;
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: unknown) => error,
  );
}

async function codeOf(promise: Promise<unknown>): Promise<string> {
  const error = await rejection(promise);
  if (!(error instanceof ApiError)) throw error;
  return error.code;
}

describe('HmacVerifier', () => {
  let db: Kysely<Database>;
  let config: AppConfig;
  let clock: ManualClock;
  let apiKeys: ApiKeysService;
  let members: MembersRepository;
  let verifier: HmacVerifier;
  let member: MemberRow;
  let key: { apiKey: string; apiSecret: string };

  beforeEach(async () => {
    db = (await openTestDatabase()).db;
    config = testConfig();
    clock = new ManualClock(NOW);
    members = new MembersRepository(db);
    apiKeys = new ApiKeysService(new ApiKeysRepository(db), members, new SecretBox(config.masterKey), clock);
    verifier = new HmacVerifier(apiKeys, new ReplayStore(db, config), config, clock);
    member = await insertMember(db);
    key = await apiKeys.create({ memberId: member.id });
  });

  afterEach(async () => {
    await db.destroy();
  });

  const sign = (options: { date?: string; salt?: string; algorithm?: 'HMAC-SHA256' | 'HMAC-MD5' } = {}) =>
    signHmacAuthorization(key, { date: new Date(NOW).toISOString(), salt: SALT, ...options });
  const usedSignatures = () => db.selectFrom('hmac_signatures').selectAll().execute();

  it('authenticates a correctly signed request as the key owner with every permission', async () => {
    const auth = await verifier.verify(parse(sign()));

    expect(auth).toEqual({ method: 'hmac', credentialId: `apikey:${key.apiKey}`, member, scopes: 'all' });
  });

  it("carries a scoped key's scopes", async () => {
    key = await apiKeys.create({ memberId: member.id, scopes: ['users:read'] });
    const auth = await verifier.verify(parse(sign()));
    expect(auth.scopes).toEqual(new Set(['users:read']));
  });

  it('records the verified signature lower-cased, remembered until the date leaves the clock window', async () => {
    const parsed = parse(sign());
    await verifier.verify(parsed);

    expect(await usedSignatures()).toEqual([
      {
        signature: parsed.credentials.signature.toLowerCase(),
        api_key_id: key.apiKey,
        expires_at: NOW + 15 * MINUTE,
      },
    ]);
  });

  it('refuses an unknown key with InvalidAPIKey before looking at its (skewed) date', async () => {
    const header = signHmacAuthorization(
      { apiKey: 'MPNOSUCHKEY00000', apiSecret: 'x'.repeat(32) },
      { date: new Date(NOW - 60 * MINUTE).toISOString(), salt: SALT },
    );
    expect(await codeOf(verifier.verify(parse(header)))).toBe('InvalidAPIKey');
  });

  it('refuses a disabled key with InvalidAPIKey', async () => {
    await apiKeys.disable(key.apiKey);
    expect(await codeOf(verifier.verify(parse(sign())))).toBe('InvalidAPIKey');
  });

  it('refuses the key of a deleted member with InvalidAPIKey', async () => {
    await db.updateTable('members').set({ status: 'DELETED' }).where('id', '=', member.id).execute();
    expect(await codeOf(verifier.verify(parse(sign())))).toBe('InvalidAPIKey');
  });

  it('refuses a key whose member row is gone with InvalidAPIKey', async () => {
    const resolve = apiKeys.resolveSecret.bind(apiKeys);
    jest
      .spyOn(apiKeys, 'resolveSecret')
      .mockImplementation(async (id) => ({ ...(await resolve(id))!, owner: undefined }));
    expect(await codeOf(verifier.verify(parse(sign())))).toBe('InvalidAPIKey');
  });

  it('checks the clock before the signature: a skewed date with a bad signature is RequestTimeTooSkewed', async () => {
    const header = signHmacAuthorization(
      { apiKey: key.apiKey, apiSecret: 'not-the-secret' },
      { date: new Date(NOW - 16 * MINUTE).toISOString(), salt: SALT },
    );
    expect(await codeOf(verifier.verify(parse(header)))).toBe('RequestTimeTooSkewed');
  });

  it.each([
    ['15 minutes behind', -15 * MINUTE, true],
    ['15 minutes ahead', 15 * MINUTE, true],
    ['15 minutes and 1 ms behind', -15 * MINUTE - 1, false],
    ['15 minutes and 1 ms ahead', 15 * MINUTE + 1, false],
  ])('a date %s is accepted: %s', async (_name, offset, accepted) => {
    const result = verifier.verify(parse(sign({ date: new Date(NOW + offset).toISOString() })));
    if (accepted) await expect(result).resolves.toMatchObject({ method: 'hmac' });
    else expect(await codeOf(result)).toBe('RequestTimeTooSkewed');
  });

  it('does not record a skewed request, even correctly signed', async () => {
    await codeOf(verifier.verify(parse(sign({ date: new Date(NOW - 20 * MINUTE).toISOString() }))));
    expect(await usedSignatures()).toEqual([]);
  });

  it('refuses a wrong signature with SignatureDoesNotMatch and never records it as used', async () => {
    const good = sign();
    const goodSignature = parse(good).credentials.signature;
    const forged = good.replace(
      /signature=[0-9a-f]+$/,
      `signature=${goodSignature.replace(/^./, (c) => (c === '0' ? '1' : '0'))}`,
    );

    expect(await codeOf(verifier.verify(parse(forged)))).toBe('SignatureDoesNotMatch');
    expect(await usedSignatures()).toEqual([]);
    // The owner's genuine request with the same date and salt still goes through.
    await expect(verifier.verify(parse(good))).resolves.toMatchObject({ method: 'hmac' });
  });

  it('refuses a request signed with another secret with SignatureDoesNotMatch', async () => {
    const header = signHmacAuthorization(
      { apiKey: key.apiKey, apiSecret: 'y'.repeat(32) },
      { salt: SALT, date: new Date(NOW).toISOString() },
    );
    expect(await codeOf(verifier.verify(parse(header)))).toBe('SignatureDoesNotMatch');
  });

  it('refuses a replay of a verified request with DuplicatedSignature', async () => {
    const header = sign();
    await verifier.verify(parse(header));
    clock.advance(5 * MINUTE);
    expect(await codeOf(verifier.verify(parse(header)))).toBe('DuplicatedSignature');
  });

  it('treats the upper-case hex of a used signature as the same signature', async () => {
    const header = sign();
    await verifier.verify(parse(header));
    const upper = header.replace(
      /signature=([0-9a-f]+)$/,
      (_m, hex: string) => `signature=${hex.toUpperCase()}`,
    );
    expect(upper).not.toBe(header);
    expect(await codeOf(verifier.verify(parse(upper)))).toBe('DuplicatedSignature');
  });

  it('accepts an upper-case hex signature the first time', async () => {
    const upper = sign().replace(
      /signature=([0-9a-f]+)$/,
      (_m, hex: string) => `signature=${hex.toUpperCase()}`,
    );
    await expect(verifier.verify(parse(upper))).resolves.toMatchObject({ method: 'hmac' });
  });

  it('accepts the SDK spelling ApiKey= Date= Salt= Signature=', async () => {
    const header = sign()
      .replace('apiKey=', 'ApiKey=')
      .replace('date=', 'Date=')
      .replace('salt=', 'Salt=')
      .replace('signature=', 'Signature=');
    await expect(verifier.verify(parse(header))).resolves.toMatchObject({
      credentialId: `apikey:${key.apiKey}`,
    });
  });

  it('accepts HMAC-MD5', async () => {
    const header = sign({ algorithm: 'HMAC-MD5' });
    expect(header).toMatch(/^HMAC-MD5 /);
    await expect(verifier.verify(parse(header))).resolves.toMatchObject({ method: 'hmac' });
  });

  it.each([
    ['+09:00', '2025-01-15T12:00:00+09:00'],
    ['+0900', '2025-01-15T12:00:00+0900'],
    ['-05:30', '2025-01-14T21:30:00-05:30'],
    ['9 fractional digits', '2025-01-15T03:00:00.123456789Z'],
    ['9 fractional digits and +09:00', '2025-01-15T12:00:00.000000001+09:00'],
  ])('verifies a %s date over the text exactly as received', async (_name, date) => {
    const header = sign({ date });
    expect(header).toContain(`date=${date},`);
    await expect(verifier.verify(parse(header))).resolves.toMatchObject({ method: 'hmac' });
  });

  it('refuses a signature computed over a re-formatted date', async () => {
    // Signed over the UTC form, sent with the +09:00 form of the same instant.
    const signed = sign({ date: '2025-01-15T03:00:00.000Z' });
    const sent = signed.replace('date=2025-01-15T03:00:00.000Z', 'date=2025-01-15T12:00:00.000+09:00');
    expect(await codeOf(verifier.verify(parse(sent)))).toBe('SignatureDoesNotMatch');
  });

  it('turns an unreachable database into ServiceUnavailable', async () => {
    jest
      .spyOn(apiKeys, 'resolveSecret')
      .mockRejectedValue(
        Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }),
      );
    expect(await codeOf(verifier.verify(parse(sign())))).toBe('ServiceUnavailable');
  });

  it('turns a closed database into ServiceUnavailable', async () => {
    const parsed = parse(sign());
    await db.destroy();
    expect(await codeOf(verifier.verify(parsed))).toBe('ServiceUnavailable');
    db = (await openTestDatabase()).db; // for afterEach
  });

  it('leaves a bug a plain error', async () => {
    jest.spyOn(apiKeys, 'resolveSecret').mockRejectedValue(new TypeError('undefined is not a function'));
    const error = await rejection(verifier.verify(parse(sign())));
    expect(error).toBeInstanceOf(TypeError);
    expect(error).not.toBeInstanceOf(ApiError);
  });

  it('lets N parallel copies of one request through exactly once', async () => {
    const parsed = parse(sign());
    const results = await Promise.allSettled(Array.from({ length: 12 }, () => verifier.verify(parsed)));

    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const codes = results.flatMap((r) => (r.status === 'rejected' ? [(r.reason as ApiError).code] : []));
    expect(codes).toEqual(Array(11).fill('DuplicatedSignature'));
  });
});
