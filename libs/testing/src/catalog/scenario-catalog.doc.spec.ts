import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';

import { SCENARIOS } from '../scenarios/scenario-catalog';
import { exampleRegions, renderScenarioCatalog } from './render-scenario-catalog';

const DOCS_DIR = join(__dirname, '../../../../docs/testing');
const CATALOG_PATH = join(DOCS_DIR, 'scenarios.md');
const EXAMPLES_DIR = join(__dirname, '../../test/examples');

function examples(): Array<{ file: string; text: string }> {
  return readdirSync(EXAMPLES_DIR)
    .filter((name) => name.endsWith('.example.spec.ts'))
    .sort()
    .map((name) => {
      const path = join(EXAMPLES_DIR, name);
      return { file: relative(DOCS_DIR, path), text: readFileSync(path, 'utf8') };
    });
}

// Formatted as the repository's prettier does, so `format:check` and this spec agree. Prettier 3
// loads its plugins with dynamic imports, which jest's CommonJS runtime refuses: run its CLI.
function formatted(markdown: string): string {
  const cli = require.resolve('prettier/bin/prettier.cjs');
  return execFileSync(process.execPath, [cli, '--stdin-filepath', CATALOG_PATH], {
    input: markdown,
    encoding: 'utf8',
  });
}

describe('docs/testing/scenarios.md', () => {
  const regions = exampleRegions(examples());

  it('has a runnable example for every scenario, and no example for a scenario that does not exist', () => {
    const names = SCENARIOS.map((scenario) => scenario.name as string);
    expect(names.filter((name) => !regions.has(name))).toEqual([]);
    expect(
      [...regions.keys()].filter((name) => !name.startsWith('sequence:') && !names.includes(name)),
    ).toEqual([]);
  });

  it('equals the catalog generated from the code', () => {
    const generated = formatted(renderScenarioCatalog(SCENARIOS, regions));
    if (process.env.UPDATE_FIXTURES === '1') writeFileSync(CATALOG_PATH, generated);
    expect(readFileSync(CATALOG_PATH, 'utf8')).toBe(generated);
  });
});

describe('examples of answers the core client retries', () => {
  const regions = exampleRegions(examples());
  const retried = SCENARIOS.filter(
    (scenario) => scenario.errorCode === 'ServiceUnavailable' || scenario.errorCode === 'TooManyRequests',
  );

  it.each(retried.map((scenario) => [scenario.name]))(
    '%s builds the client it calls, so the snippet runs as shown',
    (name) => {
      expect(regions.get(name)?.code).toContain('new MemberPhoneClient(');
    },
  );

  it.each(retried.map((scenario) => [scenario.name]))(
    '%s says in the catalog how retries meet it',
    (name) => {
      const markdown = renderScenarioCatalog(SCENARIOS, regions);
      const section = markdown.slice(markdown.indexOf(`### ${name}\n`));
      expect(section.slice(0, section.indexOf('Example ('))).toContain('Retries:');
    },
  );
});
