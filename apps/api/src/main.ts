import 'reflect-metadata';

import { createApp } from './app/create-app';
import { ConfigError } from './config/load-config';
import { loadConfig } from './config/load-config';
import { ShutdownState } from './health/shutdown.state';
import { isUniqueViolation } from './database/unique-violation';
import { MembersRepository } from './members/members.repository';
import { DEMO_MEMBER, demoBanner, type DemoCredentials, seedDemoIfEmpty } from './seed/demo-seed';

/**
 * Seeds the demo data on an empty database. Replicas started together on one empty database all
 * see it empty; the unique email lets one seed it. The others fail somewhere in the seed (the
 * email check, or the insert's unique violation): when the demo member exists by then, another
 * replica seeded it, and this one starts without a banner.
 */
async function seedDemoOnce(
  app: Parameters<typeof seedDemoIfEmpty>[0],
  logger: { info(message: string): void },
): Promise<DemoCredentials | undefined> {
  try {
    return await seedDemoIfEmpty(app);
  } catch (error) {
    const seededElsewhere =
      isUniqueViolation(error) ||
      (await app.get(MembersRepository).findByEmail(DEMO_MEMBER.email)) !== undefined;
    if (!seededElsewhere) throw error;
    logger.info('demo data was seeded by another replica starting at the same time');
    return undefined;
  }
}

async function main(): Promise<void> {
  const config = loadConfig();
  const { app, logger, database } = await createApp(config);
  const credentials = config.seedDemo ? await seedDemoOnce(app, logger) : undefined;
  await app.listen({ host: config.host, port: config.port });

  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const host = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
  const baseUrl = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  // Which dialect and pool settings this replica runs with, from the settings the pool was built
  // from (the URL's password is never part of them): the first thing to check when replicas differ.
  logger.info(
    {
      url: baseUrl,
      mode: config.mode,
      database: database.settings,
      telephony: config.telephony.adapter,
    },
    'member-phone listening',
  );
  if (credentials) process.stdout.write(demoBanner(baseUrl, credentials));
  else process.stdout.write(`\nmember-phone on ${baseUrl}  (Swagger UI ${baseUrl}/docs)\n\n`);

  let closing = false;
  const drain = () => {
    logger.info('draining in-flight requests');
    const force = setTimeout(() => {
      logger.error('drain took too long; exiting');
      process.exit(1);
    }, 15_000);
    force.unref();
    // Keep-alive connections that go idle once their last request is answered would hold the close
    // open until the forced exit: close each as soon as it is idle.
    const server = app.getHttpServer();
    const sweep = setInterval(() => server.closeIdleConnections(), 250);
    sweep.unref();
    app
      .close()
      .then(() => {
        logger.info('stopped');
        process.exit(0);
      })
      .catch((error: unknown) => {
        logger.error({ err: error }, 'error while stopping');
        process.exit(1);
      });
  };
  const shutdown = (signal: NodeJS.Signals) => {
    if (closing) return;
    closing = true;
    const graceMs = config.http.shutdownGraceMs;
    logger.info({ signal, graceMs }, 'shutting down');
    // Readiness answers 503 at once; requests are still served for the grace period, so the load
    // balancer takes this replica out before its listener closes and no client meets a refusal.
    app.get(ShutdownState).leaving = true;
    if (graceMs > 0) setTimeout(drain, graceMs);
    else drain();
  };
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    process.stderr.write(`configuration error: ${error.message}\n`);
  } else {
    process.stderr.write(
      `failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
  }
  process.exit(1);
});
