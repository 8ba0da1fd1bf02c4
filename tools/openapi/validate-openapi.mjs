#!/usr/bin/env node
// Validates an OpenAPI document against the official OpenAPI 3 JSON schema
// (@seriousme/openapi-schema-validator) and prints {"valid", "version", "errors"} as JSON.
// Usage: node tools/openapi/validate-openapi.mjs [apps/api/openapi.json]; exits 1 when invalid.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

import { Validator } from '@seriousme/openapi-schema-validator';

const file = resolve(process.argv[2] ?? 'apps/api/openapi.json');
const validator = new Validator();
const result = await validator.validate(JSON.parse(readFileSync(file, 'utf8')));
const report = { file, valid: result.valid, version: validator.version ?? null, errors: result.errors ?? [] };
process.stdout.write(JSON.stringify(report, null, 2) + '\n');
process.exit(result.valid ? 0 : 1);
