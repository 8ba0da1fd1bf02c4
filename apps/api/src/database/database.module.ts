import { Global, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import type { Kysely } from 'kysely';

import type { DatabaseHandle } from './create-database';
import type { Database } from './schema';

/** Injection token of the {@link DatabaseHandle}. */
export const DATABASE_HANDLE = Symbol('DATABASE_HANDLE');
/** Injection token of the `Kysely<Database>` instance itself. */
export const KYSELY = Symbol('KYSELY');

/**
 * Provides the opened, migrated database to every module. The handle is created before Nest starts
 * (see app/create-app.ts) so a failing migration stops the boot before any route is served.
 */
@Global()
@Module({})
export class DatabaseModule implements OnApplicationShutdown {
  constructor(@Inject(KYSELY) private readonly db: Kysely<Database>) {}

  static forHandle(handle: DatabaseHandle) {
    return {
      module: DatabaseModule,
      providers: [
        { provide: DATABASE_HANDLE, useValue: handle },
        { provide: KYSELY, useValue: handle.db },
      ],
      exports: [DATABASE_HANDLE, KYSELY],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.db.destroy();
  }
}
