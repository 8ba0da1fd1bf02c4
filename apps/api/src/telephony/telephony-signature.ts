import { createHmac, timingSafeEqual } from 'node:crypto';

/** Name of the header carrying the signature, on outbound requests and inbound events alike. */
export const TELEPHONY_SIGNATURE_HEADER = 'X-Telephony-Signature';

/** How far the signed time may be from ours, either way. */
export const TELEPHONY_SIGNATURE_TOLERANCE_MS = 5 * 60 * 1000;

function hmacHex(secret: string, timestamp: string, body: string): string {
  return createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
}

/**
 * Builds the header value `t=<unix seconds>,v1=<hex HMAC-SHA256(secret, t + "." + body)>`. The
 * timestamp is inside the MAC, so a captured request cannot be replayed outside the tolerance.
 */
export function signTelephonyPayload(secret: string, body: string, nowMs: number): string {
  const timestamp = String(Math.floor(nowMs / 1000));
  return `t=${timestamp},v1=${hmacHex(secret, timestamp, body)}`;
}

function parseHeader(header: string): { timestamp: string; signatures: string[] } | undefined {
  let timestamp: string | undefined;
  const signatures: string[] = [];
  for (const part of header.split(',')) {
    const separator = part.indexOf('=');
    if (separator < 1) return undefined;
    const name = part.slice(0, separator).trim();
    const value = part.slice(separator + 1).trim();
    if (name === 't') {
      if (timestamp !== undefined || !/^\d{1,12}$/.test(value)) return undefined;
      timestamp = value;
    } else if (name === 'v1') {
      signatures.push(value);
    }
    // Other schemes (v0, a future v2) are ignored so a provider can send several during a migration.
  }
  return timestamp !== undefined && signatures.length > 0 ? { timestamp, signatures } : undefined;
}

function sameHex(expectedHex: string, candidate: string): boolean {
  if (!/^[0-9a-fA-F]+$/.test(candidate) || candidate.length !== expectedHex.length) return false;
  const expected = Buffer.from(expectedHex, 'hex');
  const given = Buffer.from(candidate, 'hex');
  return given.length === expected.length && timingSafeEqual(expected, given);
}

/** A signature that verified: the signed time and the MAC the service computed for it. */
export interface VerifiedTelephonySignature {
  readonly timestampMs: number;
  /** Hex HMAC over the signed time and the body: the same for a replay of the same event. */
  readonly mac: string;
}

/**
 * Checks the signature of an inbound event over its raw body: well formed, signed within the
 * tolerance of `nowMs`, and one `v1` value equal (in constant time) to the expected MAC. Returns
 * what a replay check needs, or undefined. Never throws on bad input.
 */
export function checkTelephonySignature(
  secret: string,
  header: string | undefined,
  rawBody: string,
  nowMs: number,
  toleranceMs: number = TELEPHONY_SIGNATURE_TOLERANCE_MS,
): VerifiedTelephonySignature | undefined {
  if (typeof header !== 'string' || header.length > 1024) return undefined;
  const parsed = parseHeader(header);
  if (!parsed) return undefined;
  const timestampMs = Number(parsed.timestamp) * 1000;
  if (Math.abs(nowMs - timestampMs) > toleranceMs) return undefined;
  const expected = hmacHex(secret, parsed.timestamp, rawBody);
  let matched = false;
  // Every candidate is compared, so the time taken does not tell which one matched.
  for (const candidate of parsed.signatures) matched = sameHex(expected, candidate) || matched;
  return matched ? { timestampMs, mac: expected } : undefined;
}

/** {@link checkTelephonySignature} as a yes or no. */
export function verifyTelephonySignature(
  secret: string,
  header: string | undefined,
  rawBody: string,
  nowMs: number,
  toleranceMs: number = TELEPHONY_SIGNATURE_TOLERANCE_MS,
): boolean {
  return checkTelephonySignature(secret, header, rawBody, nowMs, toleranceMs) !== undefined;
}
