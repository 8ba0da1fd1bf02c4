import { insertMember, openTestDatabase, type TestDatabase } from '../ars/testing/ars-test-kit';
import { AuditService } from './audit.service';

describe('AuditService', () => {
  let database: TestDatabase;
  let audit: AuditService;

  beforeAll(async () => {
    database = await openTestDatabase();
    audit = new AuditService(database.handle.db);
  });
  afterAll(() => database.close());

  it('lists a member’s events newest first with their details parsed', async () => {
    const member = await insertMember(database.handle.db);
    const other = await insertMember(database.handle.db);
    const db = database.handle.db;
    await audit.record(
      db,
      {
        type: 'ars.requested',
        memberId: member.id,
        credentialId: 'apikey:k1',
        requestId: 'req-1',
        clientIp: '203.0.113.7',
        details: { verificationId: 'v-1', phoneNumber: '010-****-5678' },
      },
      1_000,
    );
    await audit.record(db, { type: 'ars.failed', memberId: member.id, details: { attempt: 2 } }, 2_000);
    await audit.record(db, { type: 'ars.requested', memberId: other.id }, 3_000);

    const entries = await audit.listForMember(member.id);

    expect(entries.map((e) => e.type)).toEqual(['ars.failed', 'ars.requested']);
    expect(entries[1]).toEqual({
      id: expect.any(Number) as unknown,
      type: 'ars.requested',
      memberId: member.id,
      credentialId: 'apikey:k1',
      requestId: 'req-1',
      clientIp: '203.0.113.7',
      details: { verificationId: 'v-1', phoneNumber: '010-****-5678' },
      dateCreated: new Date(1_000).toISOString(),
    });
    expect(entries[0]).toMatchObject({
      credentialId: null,
      requestId: null,
      clientIp: null,
      details: { attempt: 2 },
    });
  });

  it('returns at most the requested number of events', async () => {
    const member = await insertMember(database.handle.db);
    for (let i = 0; i < 5; i += 1) {
      await audit.record(
        database.handle.db,
        { type: 'ars.failed', memberId: member.id, details: { attempt: i } },
        i,
      );
    }

    const entries = await audit.listForMember(member.id, { limit: 2 });

    expect(entries.map((e) => e.details['attempt'])).toEqual([4, 3]);
  });

  it('masks a full phone number and hides a code even when a caller passes them by mistake', async () => {
    const member = await insertMember(database.handle.db);
    await audit.record(
      database.handle.db,
      {
        type: 'phone.changed',
        memberId: member.id,
        details: {
          newPhoneNumber: '01098765432',
          note: 'moved from +82 10-1111-2222 to 010-3333-4444',
          legacy: '0111234567',
          code: '482913',
          verificationId: '01234567-0123-4567-8901-012345678901',
        },
      },
      1,
    );

    const stored = await database.handle.db
      .selectFrom('audit_events')
      .select('details')
      .where('member_id', '=', member.id)
      .executeTakeFirstOrThrow();

    expect(JSON.parse(stored.details)).toEqual({
      newPhoneNumber: '010-****-5432',
      note: 'moved from 010-****-2222 to 010-****-4444',
      legacy: '011-***-4567',
      code: '[redacted]',
      verificationId: '01234567-0123-4567-8901-012345678901',
    });
    expect(stored.details).not.toContain('482913');
    expect(stored.details).not.toContain('98765432');
  });

  it('records nothing when the surrounding transaction rolls back', async () => {
    const member = await insertMember(database.handle.db);

    await expect(
      database.handle.db.transaction().execute(async (trx) => {
        await audit.record(trx, { type: 'phone.changed', memberId: member.id }, 1);
        throw new Error('the change itself failed');
      }),
    ).rejects.toThrow('the change itself failed');

    expect(await audit.listForMember(member.id)).toEqual([]);
  });
});
