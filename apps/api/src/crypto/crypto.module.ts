import { Module } from '@nestjs/common';

import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { SecretBox } from './secret-box';

/** Provides {@link SecretBox} keyed by the configured master key. Needs `APP_CONFIG` from a global module. */
@Module({
  providers: [
    {
      provide: SecretBox,
      useFactory: (config: AppConfig) => new SecretBox(config.masterKey),
      inject: [APP_CONFIG],
    },
  ],
  exports: [SecretBox],
})
export class CryptoModule {}
