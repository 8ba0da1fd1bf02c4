#!/usr/bin/env node
// Writes the production app's OpenAPI document to apps/api/openapi.json, formatted as Prettier
// formats the repository. Needs the build: `npm run openapi:export` builds, then runs this.
// apps/api/test/openapi-contract.spec.ts regenerates the document from source and fails on any
// difference with the committed file.
import { existsSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { formatOpenApiJson, OPENAPI_FILE } from './format-openapi.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const built = join(root, 'apps/api/dist/docs/openapi-contract.js');
if (!existsSync(built)) {
  console.error(`${built} is missing: build first (npm run build)`);
  process.exit(1);
}

const { buildContractDocument } = createRequire(import.meta.url)(built);
const document = await buildContractDocument();
writeFileSync(OPENAPI_FILE, await formatOpenApiJson(document));
console.log(`wrote ${OPENAPI_FILE}: ${Object.keys(document.paths).length} paths`);
