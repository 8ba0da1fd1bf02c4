// Test-side helpers for the committed OpenAPI document: how the export script formats it, the
// maintained linter and validator (both ESM-only, so they run as child processes), and ajv over the
// document's schemas. Kept under testing/, so it stays out of the build.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

import type { OpenAPIObject } from '@nestjs/swagger';
import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';

/** The repository root. */
export const REPO_ROOT = resolve(__dirname, '..', '..', '..', '..', '..', '..');
export const REDOCLY_CONFIG = join(REPO_ROOT, 'tools/openapi/redocly.yaml');
export const REDOCLY_IGNORE_FILE = join(REPO_ROOT, 'tools/openapi/.redocly.lint-ignore.yaml');
export const SEED_DOCUMENT = join(REPO_ROOT, 'docs/api/update-member-phone-number.md');

/**
 * The text `tools/openapi/export-openapi.mjs` writes for a document, from the same formatter
 * (`tools/openapi/format-openapi.mjs`), run as a child process: Prettier cannot load inside jest.
 */
export function formatOpenApiJson(document: unknown): string {
  const run = runNode([join(REPO_ROOT, 'tools/openapi/format-openapi.mjs')], JSON.stringify(document));
  if (run.status !== 0) throw new Error(`format-openapi.mjs failed:\n${run.stderr}`);
  return run.stdout;
}

// Neither tool may phone home: there is no internet in CI, and nothing should wait for it.
const OFFLINE_ENV = {
  ...process.env,
  REDOCLY_TELEMETRY: 'off',
  REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true',
  DO_NOT_TRACK: '1',
  FORCE_COLOR: '0',
  NO_COLOR: '1',
};

function runNode(args: string[], input?: string): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, args, {
    cwd: REPO_ROOT,
    input,
    env: OFFLINE_ENV,
    encoding: 'utf8',
    timeout: 120_000,
  });
  if (result.error) throw result.error;
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

export interface RedoclyProblem {
  ruleId: string;
  severity: string;
  message: string;
  location: { pointer?: string }[];
}

export interface RedoclyReport {
  totals: { errors: number; warnings: number; ignored: number };
  problems: RedoclyProblem[];
}

/** `redocly lint` with the committed configuration, its JSON report parsed. */
export function lintWithRedocly(file: string): RedoclyReport & { exitCode: number | null } {
  const cli = join(REPO_ROOT, 'node_modules/@redocly/cli/bin/cli.js');
  const run = runNode([cli, 'lint', '--config', REDOCLY_CONFIG, '--format=json', file]);
  const start = run.stdout.indexOf('{');
  if (start < 0) throw new Error(`redocly printed no JSON report:\n${run.stdout}\n${run.stderr}`);
  return { ...(JSON.parse(run.stdout.slice(start)) as RedoclyReport), exitCode: run.status };
}

/** How many locations the committed ignore file accepts. */
export function ignoredLocationCount(): number {
  return readFileSync(REDOCLY_IGNORE_FILE, 'utf8')
    .split('\n')
    .filter((line) => /^\s+- '#\//.test(line)).length;
}

export interface SchemaValidation {
  valid: boolean;
  version: string | null;
  errors: unknown[];
  exitCode: number | null;
}

/** The OpenAPI 3 JSON-schema validation of `tools/openapi/validate-openapi.mjs`. */
export function validateAsOpenApi(file: string): SchemaValidation {
  const run = runNode([join(REPO_ROOT, 'tools/openapi/validate-openapi.mjs'), file]);
  try {
    return { ...(JSON.parse(run.stdout) as Omit<SchemaValidation, 'exitCode'>), exitCode: run.status };
  } catch {
    throw new Error(`the validator printed no JSON report:\n${run.stdout}\n${run.stderr}`);
  }
}

/** The JSON of the code block that follows a heading line of the seed document (`Sample Request`). */
export function seedSample(marker: string): unknown {
  const text = readFileSync(SEED_DOCUMENT, 'utf8');
  const at = text.indexOf(marker);
  if (at < 0) throw new Error(`${SEED_DOCUMENT} has no "${marker}"`);
  const block = /```[a-z]*\n([\s\S]*?)```/.exec(text.slice(at));
  if (!block) throw new Error(`no code block after "${marker}" in ${SEED_DOCUMENT}`);
  return JSON.parse(block[1]!);
}

const COMPONENT_REF = '#/components/schemas/';

/** A copy of a schema whose component references name ajv schema ids instead. */
function withAjvRefs(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withAjvRefs);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, inner]) =>
      key === '$ref' && typeof inner === 'string' && inner.startsWith(COMPONENT_REF)
        ? [key, inner.slice(COMPONENT_REF.length)]
        : [key, withAjvRefs(inner)],
    ),
  );
}

/**
 * ajv (strict, all errors, formats) over the document's component schemas: `compile(schema)`
 * accepts any schema of the document, references and all. OpenAPI's `nullable` is ajv's own; the
 * annotations ajv does not know are declared as such, so a typo in a real keyword still fails.
 */
export function schemaValidator(document: OpenAPIObject): { compile(schema: unknown): ValidateFunction } {
  const ajv = new Ajv({ strict: true, allErrors: true });
  addFormats(ajv);
  ajv.addVocabulary(['example', 'xml', 'externalDocs']);
  for (const [name, schema] of Object.entries(document.components?.schemas ?? {})) {
    ajv.addSchema(withAjvRefs(schema) as object, name);
  }
  return { compile: (schema) => ajv.compile(withAjvRefs(schema) as object) };
}
