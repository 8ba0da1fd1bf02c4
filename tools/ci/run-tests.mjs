#!/usr/bin/env node
// Runs every check of the workspace in order and writes reports/summary.json:
// type check and build, lint, formatting, then every jest suite of every project.
// Each static check counts as one test; jest's tests count one each.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const reports = join(root, 'reports');
mkdirSync(reports, { recursive: true });
rmSync(join(reports, 'jest.json'), { force: true });

const env = {
  ...process.env,
  NX_DAEMON: 'false',
  NX_NO_CLOUD: 'true',
  NX_CLOUD_API: 'http://127.0.0.1:9',
  NX_TUI: 'false',
  FORCE_COLOR: '0',
};
const bin = (name) => join(root, 'node_modules', '.bin', name);

function run(label, command, args) {
  process.stdout.write(`\n=== ${label}: ${[command, ...args].join(' ')}\n`);
  const started = Date.now();
  const result = spawnSync(command, args, { cwd: root, env, stdio: 'inherit' });
  const ok = result.status === 0;
  process.stdout.write(
    `=== ${label}: ${ok ? 'ok' : 'FAILED'} in ${((Date.now() - started) / 1000).toFixed(1)} s\n`,
  );
  return ok;
}

const checks = [];
checks.push({
  name: 'typecheck and build',
  ok: run('typecheck and build', bin('tsc'), ['-b', 'tsconfig.json']),
});
// The module-boundary lint rule reads Nx's project graph: compute it first.
run('project graph', bin('nx'), ['show', 'projects']);
checks.push({ name: 'lint', ok: run('lint', bin('eslint'), ['.', '--max-warnings', '0']) });
checks.push({ name: 'format', ok: run('format', bin('prettier'), ['--check', '.']) });
const jestOk = run('jest', bin('jest'), ['--ci', '--json', `--outputFile=${join(reports, 'jest.json')}`]);

let passed = checks.filter((c) => c.ok).length;
let failed = checks.length - passed;
if (existsSync(join(reports, 'jest.json'))) {
  const jest = JSON.parse(readFileSync(join(reports, 'jest.json'), 'utf8'));
  passed += jest.numPassedTests;
  failed += jest.numFailedTests;
  // A suite that failed to load has no failed test but must still count as a failure.
  failed += jest.testResults.filter((s) => s.status === 'failed' && s.assertionResults.length === 0).length;
} else {
  failed += 1;
}
if (!jestOk && failed === 0) failed = 1;

const summary = { passed, failed, checks };
writeFileSync(join(reports, 'summary.json'), JSON.stringify(summary, null, 2) + '\n');
for (const c of checks) process.stdout.write(`${c.ok ? 'ok    ' : 'FAILED'} ${c.name}\n`);
process.stdout.write(`${passed} passed, ${failed} failed\n`);
process.exit(failed === 0 ? 0 : 1);
