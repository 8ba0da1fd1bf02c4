import { Module } from '@nestjs/common';

import { CryptoModule } from '../crypto/crypto.module';
import { MembersRepository } from '../members/members.repository';
import { ApiKeysRepository } from './api-keys.repository';
import { ApiKeysService } from './api-keys.service';

/**
 * API keys: issuing, listing, disabling, and resolving secrets for the HMAC verifier. Needs
 * `APP_CONFIG`, `CLOCK` and `KYSELY` from global modules. `MembersRepository` is stateless, so this
 * module keeps its own instance rather than depending on the members feature module.
 */
@Module({
  imports: [CryptoModule],
  providers: [ApiKeysRepository, ApiKeysService, MembersRepository],
  exports: [ApiKeysService],
})
export class ApiKeysModule {}
