import { Controller, HttpCode, Inject, Post, Req } from '@nestjs/common';
import { ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';

import { Public } from '../auth/auth.decorators';
import { ReplayStore } from '../auth/hmac/replay.store';
import { ApiErrorsWith } from '../common/openapi/api-errors.decorator';
import { ApiError } from '../common/api-error';
import { CLOCK, type Clock } from '../common/clock';
import { Meta, type RequestMeta } from '../common/request-meta';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { parseTelephonyEvent } from '../telephony/telephony-event';
import { checkTelephonySignature, TELEPHONY_SIGNATURE_HEADER } from '../telephony/telephony-signature';
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
    private readonly replays: ReplayStore,
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
      '`{"type":"call.failed","callId":"<verificationId>"}`; other types are acknowledged and ignored. An event is acted on once: a copy of it (same ' +
      'signed time and body) answers `duplicate` and changes nothing.',
  })
  @ApiHeader({
    name: TELEPHONY_SIGNATURE_HEADER,
    required: true,
    description: 't=<unix seconds>,v1=<hex HMAC-SHA256>',
  })
  @ApiOkResponse({ type: TelephonyEventResponse, description: 'What the event did.' })
  @ApiErrorsWith(
    {
      // Authenticated by its signature alone: a refusal names no scheme of the API's own.
      challenge: false,
      notes: {
        400: 'Only once the signature holds: a signed body that is not a well-formed event.',
        401:
          'The signature is missing, wrong or stale. It is checked first, over the body exactly as received, ' +
          'so an unsigned body answers 401 even when it is not JSON. No `WWW-Authenticate` header.',
      },
    },
    'ValidationError',
    'Unauthorized',
    'ResourceNotFound',
    'PayloadTooLarge',
    'UnsupportedMediaType',
    'InternalError',
    'ServiceUnavailable',
  )
  async receive(
    @Req() request: RequestWithRawBody,
    @Meta() meta: RequestMeta,
  ): Promise<TelephonyEventResult> {
    const telephony = this.config.telephony;
    if (telephony.adapter !== 'http') throw new ApiError('ResourceNotFound');

    // The JSON parser keeps the body exactly as received; without it (not JSON) there is nothing to verify.
    const rawBody = request.rawBody;
    if (typeof rawBody !== 'string') throw new ApiError('UnsupportedMediaType');
    const header = request.headers[TELEPHONY_SIGNATURE_HEADER.toLowerCase()];
    const now = this.clock.now();
    const signature = checkTelephonySignature(
      telephony.secret,
      typeof header === 'string' ? header : undefined,
      rawBody,
      now,
    );
    if (!signature) {
      throw new ApiError('Unauthorized', { detail: 'telephony event signature invalid or stale' });
    }

    const event = parseTelephonyEvent(rawBody);
    if (!event) throw new ApiError('ValidationError', { detail: 'malformed telephony event' });
    // A captured event replayed within the tolerance would otherwise count a keypad attempt each
    // time, letting anyone who saw one wrong entry fail the call. The event is acted on once; a
    // copy (a provider's retry included) is acknowledged without effect.
    const first = await this.replays.claim({
      signature: `telephony:${signature.mac}`,
      apiKeyId: 'telephony',
      dateMs: signature.timestampMs,
      now,
    });
    if (!first) return { outcome: 'duplicate' };
    return this.ars.handleTelephonyEvent(event, now, meta);
  }
}
