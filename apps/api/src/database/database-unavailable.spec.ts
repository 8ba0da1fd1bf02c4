import { ApiError } from '../common/api-error';
import { isDatabaseUnavailable, withDatabase } from './database-unavailable';

const withCode = (code: string, message = 'failure') => Object.assign(new Error(message), { code });

describe('isDatabaseUnavailable', () => {
  it.each([
    ['a refused connection', withCode('ECONNREFUSED')],
    ['a reset connection', withCode('ECONNRESET')],
    ['PostgreSQL admin shutdown', withCode('57P01')],
    ['PostgreSQL statement timeout', withCode('57014')],
    ['PostgreSQL too many connections', withCode('53300')],
    ['PostgreSQL connection failure', withCode('08006')],
    ['SQLite busy past the timeout', withCode('SQLITE_BUSY')],
    ['SQLite I/O error', withCode('SQLITE_IOERR_WRITE')],
    ['pg-pool connect timeout', new Error('timeout exceeded when trying to connect')],
    ['a lost pg connection', new Error('Connection terminated unexpectedly')],
    ['a destroyed Kysely', new Error('driver has already been destroyed')],
    ['a cause chain', new Error('query failed', { cause: withCode('ETIMEDOUT') })],
    ['an AggregateError of refused addresses', new AggregateError([withCode('ECONNREFUSED')], 'connect')],
  ])('is true for %s', (_name, error) => {
    expect(isDatabaseUnavailable(error)).toBe(true);
  });

  it.each([
    ['a syntax error', withCode('42601')],
    ['a unique violation', withCode('23505')],
    ['a SQLite constraint', withCode('SQLITE_CONSTRAINT_PRIMARYKEY')],
    ['a TypeError', new TypeError('x is undefined')],
    ['a string', 'ECONNREFUSED'],
    ['undefined', undefined],
  ])('is false for %s', (_name, error) => {
    expect(isDatabaseUnavailable(error)).toBe(false);
  });
});

describe('withDatabase', () => {
  it('returns the value of a successful call', async () => {
    await expect(withDatabase('reading', () => Promise.resolve(42))).resolves.toBe(42);
  });

  it('answers ServiceUnavailable, keeping the cause, when the database cannot be reached', async () => {
    const cause = withCode('ECONNREFUSED');
    const error = await withDatabase('reading', () => Promise.reject(cause)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ code: 'ServiceUnavailable', status: 503, cause });
  });

  it('rethrows any other failure unchanged', async () => {
    const bug = withCode('23505', 'duplicate key');
    await expect(withDatabase('writing', () => Promise.reject(bug))).rejects.toBe(bug);
  });
});
