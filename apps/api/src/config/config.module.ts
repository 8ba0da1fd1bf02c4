import { Global, Module } from '@nestjs/common';

import { CLOCK, type Clock } from '../common/clock';
import { APP_CONFIG, type AppConfig } from './app-config';

/** Provides the validated configuration and the clock to every module. */
@Global()
@Module({})
export class ConfigModule {
  static forConfig(config: AppConfig, clock: Clock) {
    return {
      module: ConfigModule,
      providers: [
        { provide: APP_CONFIG, useValue: config },
        { provide: CLOCK, useValue: clock },
      ],
      exports: [APP_CONFIG, CLOCK],
    };
  }
}
