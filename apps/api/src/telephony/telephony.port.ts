/** What the ARS service asks of a telephony provider. */
export interface PlaceCallRequest {
  /** Our verification id; the provider echoes it back as `callId` in webhook events. */
  readonly verificationId: string;
  /** The number to call, national digits. */
  readonly to: string;
  /** The id of the HTTP request that asked for the call, for correlating logs across systems. */
  readonly requestId: string;
}

export interface PlaceCallResult {
  /** The provider's own id of the call. */
  readonly providerCallId: string;
}

/**
 * Port to the telephony provider. Adapters: the simulator (development) and a generic signed
 * HTTP provider. An adapter that cannot place the call throws {@link TelephonyUnavailableError}.
 */
export interface TelephonyPort {
  placeCall(request: PlaceCallRequest): Promise<PlaceCallResult>;
}

/** Injection token of the configured {@link TelephonyPort}. */
export const TELEPHONY_PORT = Symbol('TELEPHONY_PORT');

/** The provider could not be reached or did not accept the call; the cause says why. */
export class TelephonyUnavailableError extends Error {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super(message, options);
    this.name = 'TelephonyUnavailableError';
  }
}
