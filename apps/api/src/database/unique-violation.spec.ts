import { insertMember } from '../auth/testing/auth-test-kit';
import { openTestDatabase } from './testing/test-database';
import { isUniqueViolation } from './unique-violation';

describe('isUniqueViolation', () => {
  it('recognises the error of a duplicate insert on the dialect under test', async () => {
    const database = await openTestDatabase();
    try {
      const member = await insertMember(database.db);
      const duplicate = await insertMember(database.db, { id: member.id }).then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(isUniqueViolation(duplicate)).toBe(true);
      const otherEmail = await insertMember(database.db, { email: member.email }).then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(isUniqueViolation(otherEmail)).toBe(true);
    } finally {
      await database.close();
    }
  });

  it.each([
    ['a foreign-key violation', Object.assign(new Error('fk'), { code: '23503' })],
    ['a SQLite NOT NULL failure', Object.assign(new Error('nn'), { code: 'SQLITE_CONSTRAINT_NOTNULL' })],
    ['a plain error', new Error('23505')],
    ['not an error', '23505'],
  ])('is false for %s', (_name, error) => {
    expect(isUniqueViolation(error)).toBe(false);
  });
});
