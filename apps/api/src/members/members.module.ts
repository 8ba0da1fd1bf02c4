import { Module } from '@nestjs/common';

import { MembersAdminService } from './members-admin.service';
import { MembersController } from './members.controller';
import { MembersRepository } from './members.repository';
import { MembersService } from './members.service';

@Module({
  controllers: [MembersController],
  providers: [MembersService, MembersRepository, MembersAdminService],
  exports: [MembersRepository, MembersAdminService],
})
export class MembersModule {}
