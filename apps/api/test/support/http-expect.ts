import {
  ERROR_CATALOG,
  errorBody,
  type ErrorCode,
  type MessageLanguage,
  WWW_AUTHENTICATE_CHALLENGE,
} from '@member-phone/core';

/** A request id the app made itself (a UUID), as opposed to one a client sent. */
export const GENERATED_REQUEST_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** The `WWW-Authenticate` of a 401 whose bearer token was read and refused. */
export const INVALID_TOKEN_CHALLENGE = `${WWW_AUTHENTICATE_CHALLENGE}, error="invalid_token"`;

/** What the assertion reads of an answer: a supertest response, or a fetch or raw-socket one. */
export interface AnswerLike {
  status: number;
  text: string;
  headers: Record<string, unknown>;
}

/**
 * Asserts a catalog error answer: the catalog's status, a JSON body of exactly `errorCode` and
 * `errorMessage` (in `language`), a request id, `WWW-Authenticate` naming both schemes on a 401 and
 * a whole-seconds `Retry-After` on a 429. Returns the parsed body so callers can look further.
 */
export function expectCatalogError(
  res: AnswerLike,
  code: ErrorCode,
  language: MessageLanguage = 'ko',
): Record<string, unknown> {
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(res.text) as Record<string, unknown>;
  } catch {
    throw new Error(`expected ${code}, got ${res.status} with a body that is not JSON: ${res.text}`);
  }
  expect({ status: res.status, code: body.errorCode }).toEqual({ status: ERROR_CATALOG[code].status, code });
  expect(res.headers['content-type']).toMatch(/^application\/json/);
  expect(Object.keys(body).sort()).toEqual(['errorCode', 'errorMessage']);
  expect(body).toEqual(errorBody(code, language));
  expect(res.text).not.toMatch(/\bat .+\.(ts|js):\d+/);
  expect(res.headers['x-request-id']).toEqual(expect.any(String));
  if (res.status === 401) {
    expect(res.headers['www-authenticate']).toMatch(/^HMAC-SHA256 realm="[^"]+", Bearer realm="[^"]+"/);
  }
  if (res.status === 429) expect(res.headers['retry-after']).toMatch(/^[1-9]\d*$/);
  return body;
}
