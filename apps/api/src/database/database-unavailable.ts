import { ApiError } from '../common/api-error';

// Network-level failures reaching PostgreSQL (or any server).
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
]);

// PostgreSQL SQLSTATE classes meaning "the server cannot serve you now" rather than "your SQL is
// wrong": 08 connection exception, 53 insufficient resources, 57 operator intervention (shutdown,
// statement timeout). Anything else (syntax, constraint) is a bug and stays a 500.
const POSTGRES_UNAVAILABLE_CLASSES = ['08', '53', '57'];

// better-sqlite3 codes for a file that is locked past busy_timeout, unreadable or out of space.
const SQLITE_UNAVAILABLE_PREFIXES = [
  'SQLITE_BUSY',
  'SQLITE_LOCKED',
  'SQLITE_IOERR',
  'SQLITE_CANTOPEN',
  'SQLITE_FULL',
];

// node-postgres and pg-pool report a lost or unobtainable connection with plain messages only.
const UNAVAILABLE_MESSAGES = [
  /timeout exceeded when trying to connect/i,
  /connection terminated/i,
  /connection error and is not queryable/i,
  /driver has already been destroyed/i,
];

function codeOf(error: object): string | undefined {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}

/** Tells whether an error (or one of its causes) means the database cannot be reached or used now. */
export function isDatabaseUnavailable(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && typeof current === 'object' && current !== null; depth++) {
    const code = codeOf(current);
    if (code !== undefined) {
      if (NETWORK_CODES.has(code)) return true;
      if (/^[0-9A-Z]{5}$/.test(code) && POSTGRES_UNAVAILABLE_CLASSES.includes(code.slice(0, 2))) return true;
      if (SQLITE_UNAVAILABLE_PREFIXES.some((prefix) => code.startsWith(prefix))) return true;
    }
    const message = (current as { message?: unknown }).message;
    if (typeof message === 'string' && UNAVAILABLE_MESSAGES.some((pattern) => pattern.test(message)))
      return true;
    if (current instanceof AggregateError && current.errors.some((inner) => isDatabaseUnavailable(inner))) {
      return true;
    }
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}

/**
 * Runs a database call; an unreachable database becomes `ServiceUnavailable` (503), any other
 * failure is rethrown unchanged so the filter reports it as the bug it is.
 */
export async function withDatabase<T>(what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof ApiError || !isDatabaseUnavailable(error)) throw error;
    throw new ApiError('ServiceUnavailable', { detail: `database unavailable while ${what}`, cause: error });
  }
}
