/** Inbound events of the generic HTTP provider, after the signature has been checked. */
export type TelephonyEvent =
  | { readonly type: 'keypad'; readonly callId: string; readonly digits: string }
  | { readonly type: 'call.failed'; readonly callId: string }
  /** Any other event type (answered, hung up…): acknowledged so the provider stops retrying. */
  | { readonly type: 'ignored'; readonly name: string };

const CALL_ID = /^[\x21-\x7e]{1,128}$/;
// Keypad input is short; anything longer is not a person typing a code.
const DIGITS = /^[0-9*#]{0,32}$/;

/**
 * Reads an event from the raw JSON body. Returns `undefined` for a body that is not a well-formed
 * event (not JSON, not an object, a known type with missing or mistyped fields).
 */
export function parseTelephonyEvent(rawBody: string): TelephonyEvent | undefined {
  let payload: unknown;
  try {
    payload = JSON.parse(rawBody);
  } catch {
    return undefined;
  }
  if (payload === null || typeof payload !== 'object' || Array.isArray(payload)) return undefined;
  const { type, callId, digits } = payload as Record<string, unknown>;
  if (typeof type !== 'string' || type.length === 0 || type.length > 64) return undefined;
  if (type !== 'keypad' && type !== 'call.failed') return { type: 'ignored', name: type };
  if (typeof callId !== 'string' || !CALL_ID.test(callId)) return undefined;
  if (type === 'call.failed') return { type, callId };
  if (typeof digits !== 'string' || !DIGITS.test(digits)) return undefined;
  return { type, callId, digits };
}
