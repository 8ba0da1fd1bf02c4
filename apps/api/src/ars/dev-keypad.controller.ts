import { Body, Controller, HttpCode, Inject, Param, Post } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';

import { Public } from '../auth/auth.decorators';
import { ApiError } from '../common/api-error';
import { ApiErrors } from '../common/openapi/api-errors.decorator';
import { Meta, type RequestMeta } from '../common/request-meta';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { ArsService } from './ars.service';
import type { SimulatedKeypadResult } from './ars.types';
import { SimulatedKeypadResponse } from './ars.responses';
import { DevKeypadDto } from './dev-keypad.dto';

/** Stands in for the person at the phone while the simulator places the calls. */
@ApiTags('Development')
@Controller('dev/ars')
export class DevKeypadController {
  constructor(
    private readonly ars: ArsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Post(':verificationId/keypad')
  @Public()
  @HttpCode(200)
  @ApiOperation({
    operationId: 'pressSimulatedKeypad',
    summary: 'Development only: type digits on the keypad of a simulated ARS call',
    description:
      'Stands in for the person at the phone: no real call is placed in development. Needs no credentials; ' +
      'the route does not exist in production.',
  })
  @ApiOkResponse({ type: SimulatedKeypadResponse, description: 'What the keypad input did.' })
  @ApiErrors('ResourceNotFound', 'ValidationError')
  press(
    @Param('verificationId') verificationId: string,
    @Body() body: DevKeypadDto,
    @Meta() meta: RequestMeta,
  ): Promise<SimulatedKeypadResult> {
    // Second lock behind the module not being imported in production.
    if (this.config.mode !== 'development') throw new ApiError('ResourceNotFound');
    return this.ars.simulateKeypad(verificationId, body.digits, meta);
  }
}
