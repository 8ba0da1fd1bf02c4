import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { LogController } from 'fastify';
import type { Logger } from 'pino';

import { ApiError } from '../common/api-error';
import { type Clock, systemClock } from '../common/clock';
import { answerClientError } from '../common/errors/client-error';
import { sendError } from '../common/errors/send-error';
import { registerBodyParsers } from '../common/http/body-parsers';
import { REQUEST_ID_HEADER, requestIdFor } from '../common/http/request-id';
import { createLogger } from '../common/logging/create-logger';
import { PinoNestLogger } from '../common/logging/pino-nest-logger';
import type { AppConfig } from '../config/app-config';
import { createDatabase, type DatabaseHandle } from '../database/create-database';
import { migrateToLatest } from '../database/migrate';
import { setupSwagger } from '../docs/setup-swagger';
import { ShutdownState } from '../health/shutdown.state';
import { AppModule } from './app.module';

export interface CreateAppOptions {
  clock?: Clock;
  logger?: Logger;
  /** An already opened and migrated database (tests share one between app instances). */
  database?: DatabaseHandle;
}

export interface CreatedApp {
  app: NestFastifyApplication;
  database: DatabaseHandle;
  logger: Logger;
}

/** Fastify's form of the TRUST_PROXY setting: a hop count becomes "trust the first N hops". */
function trustProxyOption(
  setting: AppConfig['http']['trustProxy'],
): boolean | string[] | ((address: string, hop: number) => boolean) {
  if (typeof setting === 'number') return (_address, hop) => hop < setting;
  return setting === false ? false : [...setting];
}

/**
 * Opens and migrates the database, then builds the Nest app on Fastify with the service's own body
 * parsers, request ids, error shape and Swagger UI. Does not listen: see main.ts.
 */
export async function createApp(config: AppConfig, options: CreateAppOptions = {}): Promise<CreatedApp> {
  const logger = options.logger ?? createLogger(config.log.level);
  const database = options.database ?? createDatabase(config.database);
  if (!options.database) {
    const applied = await migrateToLatest(database.db, database.dialect);
    logger.info({ database: database.description, migrationsApplied: applied }, 'database ready');
  }

  const adapter = new FastifyAdapter({
    loggerInstance: logger,
    // One access line per request is written by the onResponse hook below instead.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: config.http.bodyLimitBytes,
    trustProxy: trustProxyOption(config.http.trustProxy),
    genReqId: requestIdFor,
    requestTimeout: config.http.requestTimeoutMs,
    http: {
      // Without this Node answers a request lacking Host with a bare 400 of its own; routed, it
      // gets the service's answers in the catalog's shape like any other.
      requireHostHeader: false,
    },
    // Draining is answered by the onRequest hook below, in the catalog's shape.
    return503OnClosing: false,
    routerOptions: { ignoreTrailingSlash: false, maxParamLength: 200 },
    // Requests refused before routing (an undecodable URL) and before Fastify sees them at all
    // (Node's HTTP parser: unknown method, malformed headers) get the catalog shape too.
    frameworkErrors: sendError,
    clientErrorHandler: answerClientError,
  });
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.forRoot(config, database, options.clock ?? systemClock),
    adapter,
    { bodyParser: false, logger: new PinoNestLogger(logger), abortOnError: false },
  );

  const fastify = app.getHttpAdapter().getInstance();
  registerBodyParsers(fastify);
  const shutdown = app.get(ShutdownState);
  fastify.addHook('onRequest', (request, reply, done) => {
    void reply.header(REQUEST_ID_HEADER, request.id);
    if (shutdown.draining) {
      void reply.header('connection', 'close');
      sendError(new ApiError('ServiceUnavailable', { detail: 'shutting down' }), request, reply);
      return;
    }
    done();
  });
  fastify.addHook('onResponse', (request, reply, done) => {
    request.log.info(
      {
        method: request.method,
        route: request.routeOptions.url ?? 'unmatched',
        status: reply.statusCode,
        ms: Math.round(reply.elapsedTime * 10) / 10,
      },
      'request',
    );
    done();
  });

  setupSwagger(app);
  // Nest installs Fastify's error and not-found handlers: errors Fastify raises itself (body too
  // large, broken content length, unknown route) reach the same global filter.
  await app.init();
  return { app, database, logger };
}
