import 'reflect-metadata';

import { NestFactory } from '@nestjs/core';

import { AppModule } from '../app/app.module';
import { systemClock } from '../common/clock';
import { loadConfig } from '../config/load-config';
import { createDatabase } from '../database/create-database';
import { migrateToLatest } from '../database/migrate';
import { runCommand, USAGE } from './commands';

/**
 * Operator CLI: `npm run cli -- <command>`. Runs against the same database and master key as the
 * service (same environment variables), without starting the HTTP server.
 */
async function main(argv: string[]): Promise<number> {
  if (argv.length === 0 || argv[0] === 'help' || argv.includes('--help')) {
    process.stdout.write(USAGE);
    return argv.length === 0 ? 1 : 0;
  }
  const config = loadConfig();
  const database = createDatabase(config.database);
  await migrateToLatest(database.db, database.dialect);
  const app = await NestFactory.createApplicationContext(AppModule.forRoot(config, database, systemClock), {
    logger: ['error'],
  });
  try {
    return await runCommand(app, config, argv, (line) => process.stdout.write(line + '\n'));
  } finally {
    await app.close();
  }
}

main(process.argv.slice(2))
  .then((code) => process.exit(code))
  .catch((error: unknown) => {
    process.stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
