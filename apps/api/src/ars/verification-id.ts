import { randomUUID } from 'node:crypto';

const VERIFICATION_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** A new verification id: a random UUID, in lower case as `crypto` writes it. */
export function newVerificationId(): string {
  return randomUUID();
}

/**
 * Whether a value from a URL or an event can be a verification id at all. Anything else is "not
 * found" before any query: PostgreSQL text refuses NUL bytes, and a query should never be the
 * place where a malformed id is discovered.
 */
export function isVerificationId(value: string): boolean {
  return VERIFICATION_ID.test(value);
}
