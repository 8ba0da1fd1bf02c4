import { Body, Controller, Get, Param, Post } from '@nestjs/common';
import {
  ApiBody,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiSecurity,
  ApiTags,
} from '@nestjs/swagger';
import {
  type ArsVerification,
  type ArsVerificationStarted,
  OPERATION_ERROR_CODES,
  SCOPE_USERS_WRITE,
  UpdatePhoneNumberDto,
} from '@member-phone/core';

import type { AuthContext } from '../auth/auth-context';
import { AllowMemberStatus, Auth, RequireScope } from '../auth/auth.decorators';
import { ApiErrors } from '../common/openapi/api-errors.decorator';
import { Meta, type RequestMeta } from '../common/request-meta';
import { UpdatePhoneNumberBody } from '../members/update-phone-number.body';
import { ArsVerificationResponse, ArsVerificationStartedResponse } from './ars.responses';
import { ArsService } from './ars.service';

@ApiTags('ARS second authentication')
@ApiSecurity('hmac')
@ApiSecurity('bearer')
@Controller('users/v1/member/phone-number/ars')
export class ArsController {
  constructor(private readonly ars: ArsService) {}

  @Post()
  @RequireScope(SCOPE_USERS_WRITE)
  @AllowMemberStatus('ACTIVE')
  @ApiOperation({
    operationId: 'startArsVerification',
    summary: 'Start an ARS verification of a new phone number',
    description:
      'Places an automated call to the number; the person types the returned code on the keypad. ' +
      'Cancels the member’s open verifications. Rate limited per member, number, credential, address and globally.',
  })
  @ApiBody({ type: UpdatePhoneNumberBody })
  @ApiCreatedResponse({
    type: ArsVerificationStartedResponse,
    description: 'The call is placed: show `code` on screen until the person has typed it.',
  })
  @ApiErrors(...OPERATION_ERROR_CODES.startArsVerification)
  start(
    @Auth() auth: AuthContext,
    @Body() body: UpdatePhoneNumberDto,
    @Meta() meta: RequestMeta,
  ): Promise<ArsVerificationStarted> {
    return this.ars.start(auth, body.phoneNumber, meta);
  }

  @Get(':verificationId')
  @RequireScope(SCOPE_USERS_WRITE)
  @AllowMemberStatus('ACTIVE')
  @ApiOperation({
    operationId: 'getArsVerification',
    summary: 'Status of one of the caller’s ARS verifications (never the code)',
  })
  @ApiOkResponse({ type: ArsVerificationResponse, description: 'The verification’s status.' })
  @ApiErrors(...OPERATION_ERROR_CODES.getArsVerification)
  get(@Auth() auth: AuthContext, @Param('verificationId') verificationId: string): Promise<ArsVerification> {
    return this.ars.get(auth, verificationId);
  }
}
