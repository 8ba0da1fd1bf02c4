import { randomBytes } from 'node:crypto';

import type { ArsVerificationStarted } from '@member-phone/core';

export const PUT_PATH = '/users/v1/member/phone-number';
export const ARS_PATH = '/users/v1/member/phone-number/ars';

/** An answer read whole; `status` 0 means the connection failed before any answer. */
export interface Answer {
  status: number;
  body: unknown;
  text: string;
  headers: Headers | undefined;
  ms: number;
}

/** A request id of the spec's own, so the audit row of a change can be found again. */
export function newRequestId(prefix: string): string {
  return `${prefix}-${randomBytes(8).toString('hex')}`;
}

/**
 * One JSON request with fetch. A refused or reset connection is an answer with status 0, not a
 * throw: the fault specs expect those while the service is down.
 */
export async function send(
  baseUrl: string,
  method: string,
  path: string,
  options: { authorization?: string; body?: unknown; requestId?: string; timeoutMs?: number } = {},
): Promise<Answer> {
  const started = Date.now();
  const headers: Record<string, string> = {};
  if (options.authorization) headers.authorization = options.authorization;
  if (options.requestId) headers['x-request-id'] = options.requestId;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  try {
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      headers,
      ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
      signal: AbortSignal.timeout(options.timeoutMs ?? 30_000),
    });
    const text = await response.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // not JSON: keep the text
    }
    return { status: response.status, body, text, headers: response.headers, ms: Date.now() - started };
  } catch (error) {
    if (error instanceof Error && error.name === 'TimeoutError') throw error;
    return { status: 0, body: undefined, text: String(error), headers: undefined, ms: Date.now() - started };
  }
}

/** Where a change of number stopped: the step whose answer was not received. */
export type ChangeStage = 'ars' | 'keypad' | 'put' | 'done';

export interface ChangeOutcome {
  stage: ChangeStage;
  /** The last answer received (status 0: the connection failed). */
  answer: Answer;
  /** The PUT's request id, once the PUT was sent. */
  requestId?: string;
}

/**
 * The whole change through HTTP, as a client does it: start ARS, type the code on the simulated
 * keypad, PUT the number. Stops at the first answer that is not the expected success.
 */
export async function changeNumber(
  baseUrl: string,
  authorization: string,
  phoneNumber: string,
  requestPrefix: string,
): Promise<ChangeOutcome> {
  const started = await send(baseUrl, 'POST', ARS_PATH, { authorization, body: { phoneNumber } });
  if (started.status !== 201) return { stage: 'ars', answer: started };
  const { verificationId, code } = started.body as ArsVerificationStarted;
  const pressed = await send(baseUrl, 'POST', `/dev/ars/${verificationId}/keypad`, {
    body: { digits: code },
  });
  if (pressed.status !== 200) return { stage: 'keypad', answer: pressed };
  const requestId = newRequestId(requestPrefix);
  const put = await send(baseUrl, 'PUT', PUT_PATH, { authorization, body: { phoneNumber }, requestId });
  return { stage: put.status === 200 ? 'done' : 'put', answer: put, requestId };
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
