import { ApiProperty } from '@nestjs/swagger';
import {
  ARS_VERIFICATION_STATUSES,
  type ArsVerification,
  type ArsVerificationStarted,
  type ArsVerificationStatus,
} from '@member-phone/core';

import type { KeypadOutcome, SimulatedKeypadResult, TelephonyEventResult } from './ars.types';

// Classes only for the OpenAPI document; handlers return the plain interfaces from @member-phone/core.

export class ArsVerificationResponse implements ArsVerification {
  @ApiProperty({ format: 'uuid', example: '5f0c6f8e-2b7a-4d39-9d0e-8c1d1f3a2b4c' })
  verificationId!: string;

  @ApiProperty({ description: 'The number being verified, national digits.', example: '01012345678' })
  phoneNumber!: string;

  @ApiProperty({ enum: ARS_VERIFICATION_STATUSES, example: 'CALLING' })
  status!: ArsVerificationStatus;

  @ApiProperty({ description: 'Keypad attempts left while CALLING; 0 in every other status.', example: 5 })
  attemptsLeft!: number;

  @ApiProperty({
    format: 'date-time',
    description: 'While CALLING: end of the call window. Once VERIFIED: end of the proof lifetime.',
    example: '2024-01-01T00:03:00.000Z',
  })
  expireAt!: string;
}

export class ArsVerificationStartedResponse
  extends ArsVerificationResponse
  implements ArsVerificationStarted
{
  @ApiProperty({
    description: 'Digits to show on screen; the person types them on the keypad.',
    example: '482913',
  })
  code!: string;
}

const KEYPAD_OUTCOMES: KeypadOutcome[] = ['verified', 'mismatch', 'failed', 'not_open'];

export class SimulatedKeypadResponse implements SimulatedKeypadResult {
  @ApiProperty({ enum: KEYPAD_OUTCOMES, example: 'verified' })
  outcome!: KeypadOutcome;

  @ApiProperty({ enum: ARS_VERIFICATION_STATUSES, example: 'VERIFIED' })
  status!: ArsVerificationStatus;
}

export class TelephonyEventResponse implements TelephonyEventResult {
  @ApiProperty({ enum: [...KEYPAD_OUTCOMES, 'ignored', 'duplicate'], example: 'mismatch' })
  outcome!: KeypadOutcome | 'ignored' | 'duplicate';
}
