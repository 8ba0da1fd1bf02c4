import { Body, Controller, Get, HttpCode, Put } from '@nestjs/common';
import {
  type Member,
  OPERATION_ERROR_CODES,
  SCOPE_USERS_READ,
  SCOPE_USERS_WRITE,
  UpdatePhoneNumberDto,
} from '@member-phone/core';
import { ApiBody, ApiOkResponse, ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';

import type { AuthContext } from '../auth/auth-context';
import { AllowMemberStatus, Auth, RequireScope } from '../auth/auth.decorators';
import { ApiErrors } from '../common/openapi/api-errors.decorator';
import { Meta, type RequestMeta } from '../common/request-meta';
import { MemberResponse } from './member.response';
import { MembersService } from './members.service';
import { UpdatePhoneNumberBody } from './update-phone-number.body';

@ApiTags('member')
@ApiSecurity('hmac')
@ApiSecurity('bearer')
@Controller('users/v1/member')
export class MembersController {
  constructor(private readonly members: MembersService) {}

  @Get()
  @RequireScope(SCOPE_USERS_READ)
  @AllowMemberStatus('ACTIVE', 'UNVERIFIED')
  @ApiOperation({
    operationId: 'getMember',
    summary: 'Get the authenticated member',
    description: 'Needs `users:read`; the member must be `ACTIVE` or `UNVERIFIED`.',
  })
  @ApiOkResponse({ type: MemberResponse, description: 'The member.' })
  @ApiErrors(...OPERATION_ERROR_CODES.getMember)
  getMember(@Auth() auth: AuthContext): Member {
    return this.members.getMember(auth);
  }

  @Put('phone-number')
  @HttpCode(200)
  @RequireScope(SCOPE_USERS_WRITE)
  @AllowMemberStatus('ACTIVE')
  @ApiOperation({
    operationId: 'updatePhoneNumber',
    summary: '사용자 전화번호 수정 — update the member’s phone number',
    description: [
      'Needs `users:write` and an `ACTIVE` member.',
      '',
      '**Second authentication required: ARS phone call.** Before a *new* number is accepted, start an ARS',
      'verification for it (`POST /users/v1/member/phone-number/ars`), answer the automated call to that number',
      'and type the code shown on screen on the phone keypad. The verification must come from the same',
      'credential, be `VERIFIED`, and is used up by this request (5 minutes to use it).',
      '',
      'Sending the number the member already has answers `200` and changes nothing, so a retried request is safe.',
    ].join('\n'),
  })
  @ApiBody({ type: UpdatePhoneNumberBody })
  @ApiOkResponse({ type: MemberResponse, description: 'The member, with the new number.' })
  @ApiErrors(...OPERATION_ERROR_CODES.updatePhoneNumber)
  updatePhoneNumber(
    @Auth() auth: AuthContext,
    @Body() body: UpdatePhoneNumberDto,
    @Meta() meta: RequestMeta,
  ): Promise<Member> {
    return this.members.updatePhoneNumber(auth, body.phoneNumber, meta);
  }
}
