import { type DynamicModule, Module } from '@nestjs/common';

import { CLOCK, type Clock } from '../common/clock';
import type { AppConfig } from '../config/app-config';
import { HttpTelephony } from './http-telephony.adapter';
import { SimulatorTelephony } from './simulator-telephony.adapter';
import { TELEPHONY_PORT, type TelephonyPort } from './telephony.port';

/**
 * Provides {@link TELEPHONY_PORT} with the adapter the configuration names. Needs a global
 * provider of `CLOCK`.
 */
@Module({})
export class TelephonyModule {
  static forConfig(config: Pick<AppConfig, 'telephony'>): DynamicModule {
    const telephony = config.telephony;
    return {
      module: TelephonyModule,
      providers: [
        {
          provide: TELEPHONY_PORT,
          inject: [CLOCK],
          useFactory: (clock: Clock): TelephonyPort =>
            telephony.adapter === 'http' ? new HttpTelephony(telephony, clock) : new SimulatorTelephony(),
        },
      ],
      exports: [TELEPHONY_PORT],
    };
  }
}
