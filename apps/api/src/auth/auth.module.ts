import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';

import { ApiKeysModule } from '../api-keys/api-keys.module';
import { MembersRepository } from '../members/members.repository';
import { AuthGuard } from './auth.guard';
import { BearerVerifier } from './bearer/bearer.verifier';
import { DevTokenIssuer } from './bearer/dev-token.issuer';
import { HmacVerifier } from './hmac/hmac.verifier';
import { ReplayStore } from './hmac/replay.store';

/**
 * Authentication for the whole app: registers {@link AuthGuard} as the global guard. Needs
 * `APP_CONFIG`, `CLOCK` and `KYSELY` from global modules. Exports the development token issuer
 * (seed, CLI) and the replay store.
 */
@Module({
  imports: [ApiKeysModule],
  providers: [
    MembersRepository,
    ReplayStore,
    HmacVerifier,
    BearerVerifier,
    DevTokenIssuer,
    { provide: APP_GUARD, useClass: AuthGuard },
  ],
  exports: [DevTokenIssuer, ReplayStore],
})
export class AuthModule {}
