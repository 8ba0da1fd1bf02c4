import { randomBytes } from 'node:crypto';

import type { Kysely } from 'kysely';

import { insertMember, openTestDatabase } from '../auth/testing/auth-test-kit';
import { ManualClock } from '../common/testing/manual-clock';
import { ApiError } from '../common/api-error';
import { SecretBox, SecretBoxError } from '../crypto/secret-box';
import type { DatabaseHandle } from '../database/create-database';
import type { Database, MemberRow } from '../database/schema';
import { MembersRepository } from '../members/members.repository';
import { ApiKeysRepository } from './api-keys.repository';
import { ApiKeysService } from './api-keys.service';

describe('ApiKeysService', () => {
  let handle: DatabaseHandle;
  let db: Kysely<Database>;
  let box: SecretBox;
  let clock: ManualClock;
  let repository: ApiKeysRepository;
  let service: ApiKeysService;
  let member: MemberRow;

  beforeEach(async () => {
    handle = await openTestDatabase();
    db = handle.db;
    box = new SecretBox(randomBytes(32));
    clock = new ManualClock(Date.UTC(2025, 5, 1));
    repository = new ApiKeysRepository(db);
    service = new ApiKeysService(repository, new MembersRepository(db), box, clock);
    member = await insertMember(db);
  });

  afterEach(async () => {
    await db.destroy();
  });

  const expectApiError = async (promise: Promise<unknown>, code: string) => {
    const error: unknown = await promise.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).code).toBe(code);
  };

  it('creates a key MP + 14 upper-case alphanumerics with a 32-character secret stored only sealed', async () => {
    const created = await service.create({ memberId: member.id, description: '  CI deploys  ' });

    expect(created.apiKey).toMatch(/^MP[A-Z0-9]{14}$/);
    expect(created.apiSecret).toMatch(/^[A-Za-z0-9]{32}$/);
    expect(created.scopes).toBeNull();
    const row = await db
      .selectFrom('api_keys')
      .selectAll()
      .where('id', '=', created.apiKey)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      member_id: member.id,
      scopes: null,
      status: 'ACTIVE',
      description: 'CI deploys',
      date_created: Date.UTC(2025, 5, 1),
    });
    expect(row.secret_ciphertext).not.toContain(created.apiSecret);
    expect(box.open(row.secret_ciphertext, created.apiKey)).toBe(created.apiSecret);
  });

  it('gives every key a different id and secret', async () => {
    const a = await service.create({ memberId: member.id });
    const b = await service.create({ memberId: member.id });
    expect(a.apiKey).not.toBe(b.apiKey);
    expect(a.apiSecret).not.toBe(b.apiSecret);
  });

  it('stores a scope list de-duplicated, and an empty list as no permission at all', async () => {
    const scoped = await service.create({
      memberId: member.id,
      scopes: ['users:read', 'users:write', 'users:read'],
    });
    const none = await service.create({ memberId: member.id, scopes: [] });

    expect(scoped.scopes).toEqual(['users:read', 'users:write']);
    expect(none.scopes).toEqual([]);
    const rows = await db.selectFrom('api_keys').select(['id', 'scopes']).execute();
    expect(Object.fromEntries(rows.map((r) => [r.id, r.scopes]))).toEqual({
      [scoped.apiKey]: 'users:read users:write',
      [none.apiKey]: '',
    });
  });

  it.each([['has space'], [''], ['x'.repeat(65)], ['한글']])('refuses the scope %j', async (scope) => {
    await expectApiError(service.create({ memberId: member.id, scopes: [scope] }), 'ValidationError');
    expect(await db.selectFrom('api_keys').selectAll().execute()).toEqual([]);
  });

  it('refuses an unknown member and a deleted one', async () => {
    const deleted = await insertMember(db, { status: 'DELETED' });
    await expectApiError(service.create({ memberId: 'nobody' }), 'ResourceNotFound');
    await expectApiError(service.create({ memberId: deleted.id }), 'InvalidMemberStatus');
    expect(await db.selectFrom('api_keys').selectAll().execute()).toEqual([]);
  });

  it('draws a new id when the first one is taken', async () => {
    const insert = jest.spyOn(repository, 'insertIfAbsent').mockResolvedValueOnce(false);
    const created = await service.create({ memberId: member.id });

    expect(insert).toHaveBeenCalledTimes(2);
    const [first, second] = insert.mock.calls.map(([row]) => row.id);
    expect(first).not.toBe(second);
    expect(second).toBe(created.apiKey);
    // The envelope is sealed for the id that was finally used.
    const row = await repository.findById(created.apiKey);
    expect(box.open(row!.secret_ciphertext, created.apiKey)).toBe(created.apiSecret);
  });

  it('resolves the secret of an active key', async () => {
    const created = await service.create({ memberId: member.id, scopes: ['users:read'] });
    const resolved = await service.resolveSecret(created.apiKey);
    expect(resolved?.secret).toBe(created.apiSecret);
    expect(resolved?.row).toMatchObject({ id: created.apiKey, member_id: member.id, scopes: 'users:read' });
  });

  it('resolves nothing for an unknown, over-long or disabled key', async () => {
    const created = await service.create({ memberId: member.id });
    expect(await service.disable(created.apiKey)).toBe(true);
    expect(await service.resolveSecret(created.apiKey)).toBeUndefined();
    expect(await service.resolveSecret('MPUNKNOWN0000000')).toBeUndefined();
    expect(await service.resolveSecret('')).toBeUndefined();
    expect(await service.resolveSecret('M'.repeat(65))).toBeUndefined();
  });

  it('refuses to decrypt a ciphertext copied from another key row', async () => {
    const a = await service.create({ memberId: member.id });
    const b = await service.create({ memberId: member.id });
    const aRow = await repository.findById(a.apiKey);
    await db
      .updateTable('api_keys')
      .set({ secret_ciphertext: aRow!.secret_ciphertext })
      .where('id', '=', b.apiKey)
      .execute();

    await expect(service.resolveSecret(b.apiKey)).rejects.toThrow(SecretBoxError);
  });

  it('opens a changed envelope afresh even after the secret was resolved once', async () => {
    const a = await service.create({ memberId: member.id });
    const b = await service.create({ memberId: member.id });
    expect((await service.resolveSecret(b.apiKey))?.secret).toBe(b.apiSecret);
    const aRow = await repository.findById(a.apiKey);
    await db
      .updateTable('api_keys')
      .set({ secret_ciphertext: aRow!.secret_ciphertext })
      .where('id', '=', b.apiKey)
      .execute();

    await expect(service.resolveSecret(b.apiKey)).rejects.toThrow(SecretBoxError);
  });

  it('stops resolving a key as soon as it is disabled, even one resolved before', async () => {
    const created = await service.create({ memberId: member.id });
    expect((await service.resolveSecret(created.apiKey))?.secret).toBe(created.apiSecret);
    await db.updateTable('api_keys').set({ status: 'DISABLED' }).where('id', '=', created.apiKey).execute();
    expect(await service.resolveSecret(created.apiKey)).toBeUndefined();
  });

  it("resolves a key with its owner's row, read in the same statement", async () => {
    const created = await service.create({ memberId: member.id });
    const resolved = await service.resolveSecret(created.apiKey);
    expect(resolved?.owner).toEqual(member);
  });

  it('disables a key, idempotently, and reports an unknown one', async () => {
    const created = await service.create({ memberId: member.id });
    expect(await service.disable(created.apiKey)).toBe(true);
    expect(await service.disable(created.apiKey)).toBe(true);
    expect(await service.disable('MPUNKNOWN0000000')).toBe(false);
    expect((await repository.findById(created.apiKey))?.status).toBe('DISABLED');
  });

  it("lists a member's keys oldest first, never with the secret", async () => {
    const other = await insertMember(db);
    const first = await service.create({ memberId: member.id, description: 'first' });
    clock.advance(1000);
    const second = await service.create({ memberId: member.id, scopes: ['users:read'] });
    await service.create({ memberId: other.id });
    await service.disable(second.apiKey);

    const listed = await service.list(member.id);

    expect(listed).toEqual([
      {
        apiKey: first.apiKey,
        memberId: member.id,
        scopes: null,
        status: 'ACTIVE',
        description: 'first',
        dateCreated: '2025-06-01T00:00:00.000Z',
      },
      {
        apiKey: second.apiKey,
        memberId: member.id,
        scopes: ['users:read'],
        status: 'DISABLED',
        description: null,
        dateCreated: '2025-06-01T00:00:01.000Z',
      },
    ]);
    expect(JSON.stringify(listed)).not.toContain(first.apiSecret);
    expect(JSON.stringify(listed)).not.toContain('v1.');
  });
});
