import type { Clock } from '../common/clock';
import type { TelephonyConfig } from '../config/app-config';
import { signTelephonyPayload, TELEPHONY_SIGNATURE_HEADER } from './telephony-signature';
import {
  type PlaceCallRequest,
  type PlaceCallResult,
  type TelephonyPort,
  TelephonyUnavailableError,
} from './telephony.port';

/** The `http` variant of the telephony configuration. */
export type HttpTelephonyConfig = Extract<TelephonyConfig, { adapter: 'http' }>;

// The provider's id goes into a varchar(128) column and into logs.
const PROVIDER_CALL_ID = /^[\x21-\x7e]{1,128}$/;

function providerCallIdOf(payload: unknown): string | undefined {
  if (payload === null || typeof payload !== 'object') return undefined;
  const id = (payload as { providerCallId?: unknown }).providerCallId;
  return typeof id === 'string' && PROVIDER_CALL_ID.test(id) ? id : undefined;
}

/**
 * Generic provider adapter: POSTs `{callId, to, requestId}` as signed JSON to the configured URL
 * and expects a 2xx JSON answer `{providerCallId}`. Every other outcome, a timeout included,
 * becomes {@link TelephonyUnavailableError}.
 */
export class HttpTelephony implements TelephonyPort {
  constructor(
    private readonly config: HttpTelephonyConfig,
    private readonly clock: Clock,
    private readonly fetchFn: typeof fetch = fetch,
  ) {}

  async placeCall(request: PlaceCallRequest): Promise<PlaceCallResult> {
    const body = JSON.stringify({
      callId: request.verificationId,
      to: request.to,
      requestId: request.requestId,
    });
    let response: Response;
    try {
      response = await this.fetchFn(this.config.callUrl, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          Accept: 'application/json',
          [TELEPHONY_SIGNATURE_HEADER]: signTelephonyPayload(this.config.secret, body, this.clock.now()),
        },
        body,
        // A redirect would re-send the signed request somewhere nobody configured.
        redirect: 'error',
        signal: AbortSignal.timeout(this.config.timeoutMs),
      });
    } catch (error) {
      throw new TelephonyUnavailableError('telephony provider unreachable', { cause: error });
    }

    if (!response.ok) {
      // Free the connection; the body of a refusal is not ours to interpret.
      await response.body?.cancel().catch(() => undefined);
      throw new TelephonyUnavailableError(`telephony provider answered ${response.status}`);
    }
    let payload: unknown;
    try {
      payload = await response.json();
    } catch (error) {
      throw new TelephonyUnavailableError('telephony provider answered without JSON', { cause: error });
    }
    const providerCallId = providerCallIdOf(payload);
    if (!providerCallId)
      throw new TelephonyUnavailableError('telephony provider answered without a providerCallId');
    return { providerCallId };
  }
}
