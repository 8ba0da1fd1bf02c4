import { Logger } from '@nestjs/common';

import { SimulatorTelephony } from './simulator-telephony.adapter';

describe('SimulatorTelephony', () => {
  it('places no call, logs the masked number only and answers sim-<verificationId>', async () => {
    const lines: string[] = [];
    jest.spyOn(Logger.prototype, 'log').mockImplementation((message: unknown) => {
      lines.push(String(message));
    });

    const result = await new SimulatorTelephony().placeCall({
      verificationId: 'v-123',
      to: '01012345678',
      requestId: 'req-9',
    });

    expect(result).toEqual({ providerCallId: 'sim-v-123' });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('call placed');
    expect(lines[0]).toContain('010-****-5678');
    expect(lines[0]).toContain('v-123');
    expect(lines[0]).not.toContain('01012345678');
  });
});
