import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import {
  ignoredLocationCount,
  lintWithRedocly,
  validateAsOpenApi,
} from '../src/common/openapi/testing/openapi-checks';
import { OPENAPI_CONTRACT_FILE } from '../src/docs/openapi-contract';

// Both tools start a Node process of their own; a busy CI machine may take a while.
jest.setTimeout(120_000);

describe('apps/api/openapi.json under the maintained OpenAPI tools', () => {
  const folder = mkdtempSync(join(tmpdir(), 'member-phone-openapi-lint-'));
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  type Json = Record<string, unknown>;
  /** The object at a path of keys inside the document. */
  const dig = (value: Json, ...keys: string[]): Json =>
    keys.reduce((inner, key) => {
      const next = inner[key];
      if (next === null || typeof next !== 'object') throw new Error(`no object at ${keys.join('.')}`);
      return next as Json;
    }, value);

  /** A broken copy of the document, to prove each tool really reads what it is given. */
  function brokenCopy(name: string, breakIt: (document: Json) => void): string {
    const document = JSON.parse(readFileSync(OPENAPI_CONTRACT_FILE, 'utf8')) as Json;
    breakIt(document);
    const file = join(folder, name);
    writeFileSync(file, JSON.stringify(document, null, 2));
    return file;
  }

  it('passes Redocly CLI lint (tools/openapi/redocly.yaml) with no error, no warning, and only the justified ignores', () => {
    const report = lintWithRedocly(OPENAPI_CONTRACT_FILE);
    expect(
      report.problems.map((p) => `${p.severity} ${p.ruleId}: ${p.message} at ${p.location[0]?.pointer}`),
    ).toEqual([]);
    expect(report.totals).toEqual({ errors: 0, warnings: 0, ignored: ignoredLocationCount() });
    expect(report.exitCode).toBe(0);
  });

  it('fails the Redocly lint of a copy whose example contradicts its schema', () => {
    const file = brokenCopy('bad-example.json', (document) => {
      const examples = dig(
        document,
        'paths',
        '/users/v1/member/phone-number',
        'put',
        'responses',
        '403',
        'content',
        'application/json',
        'examples',
      );
      examples.SecondAuthRequired = { value: { errorCode: 42 } };
    });
    const report = lintWithRedocly(file);
    expect(report.problems.map((p) => p.ruleId)).toContain('no-invalid-media-type-examples');
    expect(report.exitCode).not.toBe(0);
  });

  it('is valid OpenAPI 3 by the official JSON schema (@seriousme/openapi-schema-validator)', () => {
    const result = validateAsOpenApi(OPENAPI_CONTRACT_FILE);
    expect({ valid: result.valid, errors: result.errors }).toEqual({ valid: true, errors: [] });
    expect(result.version).toMatch(/^3\./);
    expect(result.exitCode).toBe(0);
  });

  it('makes the validator refuse a copy with an operation that has no responses', () => {
    const file = brokenCopy('no-responses.json', (document) => {
      delete dig(document, 'paths', '/users/v1/member', 'get').responses;
    });
    const result = validateAsOpenApi(file);
    expect(result.valid).toBe(false);
    expect(result.errors.length).toBeGreaterThan(0);
    expect(result.exitCode).toBe(1);
  });
});
