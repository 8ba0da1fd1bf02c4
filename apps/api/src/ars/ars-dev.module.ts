import { Module } from '@nestjs/common';

import { DevKeypadController } from './dev-keypad.controller';

/**
 * Development-only keypad route `POST /dev/ars/:verificationId/keypad` for simulated calls. Import
 * it only when `config.mode === 'development'` (the route also answers 404 in any other mode).
 * Uses the `ArsService` that `ArsModule.forConfig` provides globally.
 */
@Module({
  controllers: [DevKeypadController],
})
export class ArsDevModule {}
