import { Controller, HttpCode, Inject, Post, Req } from '@nestjs/common';
import { ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';

import { Public } from '../auth/auth.decorators';
import { ApiErrors } from '../common/openapi/api-errors.decorator';
import { ApiError } from '../common/api-error';
import { CLOCK, type Clock } from '../common/clock';
import { Meta, type RequestMeta } from '../common/request-meta';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { parseTelephonyEvent } from '../telephony/telephony-event';
import { TELEPHONY_SIGNATURE_HEADER, verifyTelephonySignature } from '../telephony/telephony-signature';
import { TelephonyEventResponse } from './ars.responses';
import { ArsService } from './ars.service';
import type { TelephonyEventResult } from './ars.types';

type RequestWithRawBody = FastifyRequest & { rawBody?: string };

/** Inbound events of the HTTP telephony provider, authenticated by their signature alone. */
@ApiTags('Telephony provider')
@Controller('telephony/v1')
export class TelephonyWebhookController {
  constructor(
    private readonly ars: ArsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Post('events')
  @Public()
  @HttpCode(200)
  @ApiOperation({
    operationId: 'receiveTelephonyEvent',
    summary: 'Keypad and call events from the telephony provider (signed)',
    description:
      'Body `{"type":"keypad","callId":"<verificationId>","digits":"123456"}` or ' +
      '`{"type":"call.failed","callId":"<verificationId>"}`; other types are acknowledged and ignored.',
  })
  @ApiHeader({
    name: TELEPHONY_SIGNATURE_HEADER,
    required: true,
    description: 't=<unix seconds>,v1=<hex HMAC-SHA256>',
  })
  @ApiOkResponse({ type: TelephonyEventResponse, description: 'What the event did.' })
  @ApiErrors('Unauthorized', 'ValidationError', 'ResourceNotFound', 'UnsupportedMediaType')
  receive(@Req() request: RequestWithRawBody, @Meta() meta: RequestMeta): Promise<TelephonyEventResult> {
    const telephony = this.config.telephony;
    if (telephony.adapter !== 'http') throw new ApiError('ResourceNotFound');

    // The JSON parser keeps the body exactly as received; without it (not JSON) there is nothing to verify.
    const rawBody = request.rawBody;
    if (typeof rawBody !== 'string') throw new ApiError('UnsupportedMediaType');
    const header = request.headers[TELEPHONY_SIGNATURE_HEADER.toLowerCase()];
    const now = this.clock.now();
    if (
      !verifyTelephonySignature(
        telephony.secret,
        typeof header === 'string' ? header : undefined,
        rawBody,
        now,
      )
    ) {
      throw new ApiError('Unauthorized', { detail: 'telephony event signature invalid or stale' });
    }

    const event = parseTelephonyEvent(rawBody);
    if (!event) throw new ApiError('ValidationError', { detail: 'malformed telephony event' });
    return this.ars.handleTelephonyEvent(event, now, meta);
  }
}
