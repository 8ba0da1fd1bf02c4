import { Logger } from '@nestjs/common';
import { maskPhoneNumber } from '@member-phone/core';

import type { PlaceCallRequest, PlaceCallResult, TelephonyPort } from './telephony.port';

/**
 * Development adapter: places no call, only logs that it would have. The keypad is then "pressed"
 * through the development-only route `POST /dev/ars/:verificationId/keypad`.
 */
export class SimulatorTelephony implements TelephonyPort {
  private readonly logger = new Logger(SimulatorTelephony.name);

  placeCall(request: PlaceCallRequest): Promise<PlaceCallResult> {
    this.logger.log(
      `call placed to ${maskPhoneNumber(request.to)} (verification ${request.verificationId}, request ${request.requestId}); ` +
        `press the keypad with POST /dev/ars/${request.verificationId}/keypad`,
    );
    return Promise.resolve({ providerCallId: `sim-${request.verificationId}` });
  }
}
