import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { sql } from 'kysely';

import { Public } from '../auth/auth.decorators';
import { ApiError } from '../common/api-error';
import { DATABASE_HANDLE } from '../database/database.module';
import type { DatabaseHandle } from '../database/create-database';
import { ShutdownState } from './shutdown.state';

@ApiTags('health')
@Public()
@Controller()
export class HealthController {
  constructor(
    @Inject(DATABASE_HANDLE) private readonly database: DatabaseHandle,
    private readonly shutdown: ShutdownState,
  ) {}

  @Get('health')
  @ApiOperation({ summary: 'Liveness: the process serves requests' })
  @ApiOkResponse({ schema: { example: { status: 'ok' } } })
  health(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('ready')
  @ApiOperation({ summary: 'Readiness: the database answers and the service is not shutting down' })
  @ApiOkResponse({ schema: { example: { status: 'ready', database: 'sqlite' } } })
  @ApiServiceUnavailableResponse({ description: '`ServiceUnavailable`' })
  async ready(): Promise<{ status: 'ready'; database: string }> {
    if (this.shutdown.draining) throw new ApiError('ServiceUnavailable', { detail: 'shutting down' });
    try {
      await sql`select 1`.execute(this.database.db);
    } catch (error) {
      throw new ApiError('ServiceUnavailable', { detail: 'database not reachable', cause: error });
    }
    return { status: 'ready', database: this.database.dialect };
  }
}
