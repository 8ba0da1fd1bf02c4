import { Controller, Get, Inject, Logger } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { sql } from 'kysely';

import { Public } from '../auth/auth.decorators';
import { ApiError } from '../common/api-error';
import { ApiErrorsWith } from '../common/openapi/api-errors.decorator';
import type { DatabaseHandle } from '../database/create-database';
import { DATABASE_HANDLE } from '../database/database.module';
import { migrationStatus } from '../database/migrate';
import { ShutdownState } from './shutdown.state';

/** A probe must answer even when the database hangs instead of refusing: the balancer is waiting. */
const PROBE_TIMEOUT_MS = 2_000;

export interface Readiness {
  status: 'ready';
  /** The dialect in use. */
  database: 'sqlite' | 'postgres';
  /** The last migration applied: the schema's level. */
  migration: string | null;
  /** Migrations this build knows that are not applied: always 0 when ready. */
  pendingMigrations: number;
}

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

@ApiTags('health')
@Public()
@Controller()
export class HealthController {
  private readonly logger = new Logger('Readiness');
  private lastProblem: string | undefined;

  constructor(
    @Inject(DATABASE_HANDLE) private readonly database: DatabaseHandle,
    private readonly shutdown: ShutdownState,
  ) {}

  @Get('health')
  @ApiOperation({
    operationId: 'getHealth',
    summary: 'Liveness: the process serves requests (the database is not consulted)',
  })
  @ApiOkResponse({ schema: { example: { status: 'ok' } } })
  @ApiErrorsWith({ notes: { 503: 'Shutting down.' } }, 'ServiceUnavailable')
  health(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('ready')
  @ApiOperation({
    operationId: 'getReadiness',
    summary:
      'Readiness: the database answers with the schema this build expects, and no shutdown is under way',
  })
  @ApiOkResponse({
    schema: {
      example: {
        status: 'ready',
        database: 'postgres',
        migration: '0002-verification-expiry-index',
        pendingMigrations: 0,
      },
    },
  })
  @ApiErrorsWith(
    { notes: { 503: 'Database unreachable, schema behind, or shutting down.' } },
    'ServiceUnavailable',
  )
  async ready(): Promise<Readiness> {
    if (this.shutdown.leaving || this.shutdown.draining) {
      throw new ApiError('ServiceUnavailable', { detail: 'shutting down' });
    }
    const dialect = this.database.dialect;
    let status;
    try {
      status = await withTimeout(
        (async () => {
          await sql`select 1`.execute(this.database.db);
          return migrationStatus(this.database.db);
        })(),
        PROBE_TIMEOUT_MS,
      );
    } catch (error) {
      this.report(
        `${dialect} database not reachable: ${error instanceof Error ? error.message : String(error)}`,
      );
      throw new ApiError('ServiceUnavailable', { detail: `${dialect} database not reachable`, cause: error });
    }
    if (status.pending.length > 0) {
      this.report(`${dialect} schema is behind this build: pending ${status.pending.join(', ')}`);
      throw new ApiError('ServiceUnavailable', {
        detail: `migrations pending: ${status.pending.join(', ')}`,
      });
    }
    this.report(undefined);
    return { status: 'ready', database: dialect, migration: status.current, pendingMigrations: 0 };
  }

  /** Logs a change of state once, not on every probe: a balancer polls every few seconds. */
  private report(problem: string | undefined): void {
    if (problem === this.lastProblem) return;
    if (problem) this.logger.warn(`not ready: ${problem}`);
    else if (this.lastProblem) this.logger.log('ready again');
    this.lastProblem = problem;
  }
}
