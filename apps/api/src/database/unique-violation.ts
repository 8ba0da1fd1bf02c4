/**
 * Tells whether an error is a unique-constraint violation on either dialect: PostgreSQL's SQLSTATE
 * 23505 or SQLite's SQLITE_CONSTRAINT_UNIQUE / _PRIMARYKEY. Callers use it where two replicas may
 * insert the same row at once and the loser should carry on rather than fail.
 */
export function isUniqueViolation(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const code = (error as { code?: unknown }).code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}
