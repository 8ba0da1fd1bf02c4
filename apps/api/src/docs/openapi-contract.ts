import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

import type { OpenAPIObject } from '@nestjs/swagger';
import pino from 'pino';

import { createApp } from '../app/create-app';
import { loadConfig } from '../config/load-config';
import { buildOpenApiDocument } from './openapi-document';

/** Where the committed document lives, from the repository root. */
export const OPENAPI_CONTRACT_PATH = 'apps/api/openapi.json';

/** The committed document's absolute path, from a built or a source file alike (both sit two folders deep). */
export const OPENAPI_CONTRACT_FILE = resolve(__dirname, '..', '..', 'openapi.json');

/**
 * The OpenAPI document of the production app: the contract integrators code against, without the
 * development-only routes. The values below only let the app start; none of them shows in the
 * document, so it is the same on every machine.
 */
export async function buildContractDocument(): Promise<OpenAPIObject> {
  const dataDir = mkdtempSync(join(tmpdir(), 'member-phone-openapi-'));
  try {
    const config = loadConfig(
      {
        NODE_ENV: 'production',
        DATA_DIR: dataDir,
        DATABASE_URL: 'sqlite::memory:',
        MASTER_KEY: randomBytes(32).toString('base64'),
        TELEPHONY_CALL_URL: 'https://telephony.invalid/calls',
        TELEPHONY_SECRET: randomBytes(32).toString('hex'),
        LOG_LEVEL: 'silent',
      },
      dataDir,
    );
    const { app } = await createApp(config, { logger: pino({ level: 'silent' }) });
    try {
      return buildOpenApiDocument(app);
    } finally {
      await app.close();
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}
