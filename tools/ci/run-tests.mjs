#!/usr/bin/env node
// Runs every check of the workspace in order and writes reports/summary.json:
//   1. static checks: type check and build, lint, formatting (one test each);
//   2. every jest suite of every project on the embedded SQLite database;
//   3. the api suite again on a real PostgreSQL server, a throwaway cluster started here;
//   4. the consumer test (the packed libraries in a project outside the workspace);
//   5. the benchmark harness in smoke mode (it measures nothing; it proves the bench still runs).
// jest's tests count one each; the consumer test and the bench smoke write their own counts.
//
// Components: PostgreSQL (Debian `postgresql`, found under /usr/lib/postgresql/*/bin) and Chromium
// (Debian `chromium`, driven by the browser spec). Without them the passes that need them are
// skipped with a notice, unless REQUIRE_POSTGRES=1 / REQUIRE_BROWSER=1 (as in CI) make that a failure.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const reports = join(root, 'reports');
mkdirSync(reports, { recursive: true });

const baseEnv = {
  ...process.env,
  NX_DAEMON: 'false',
  NX_NO_CLOUD: 'true',
  NX_CLOUD_API: 'http://127.0.0.1:9',
  NX_TUI: 'false',
  FORCE_COLOR: '0',
};
// The SQLite pass must not inherit a database URL from the caller's shell.
delete baseEnv.TEST_DATABASE_URL;
const bin = (name) => join(root, 'node_modules', '.bin', name);

function run(label, command, args, env = baseEnv) {
  process.stdout.write(`\n=== ${label}: ${[command, ...args].join(' ')}\n`);
  const started = Date.now();
  const result = spawnSync(command, args, { cwd: root, env, stdio: 'inherit' });
  const ok = result.status === 0;
  process.stdout.write(
    `=== ${label}: ${ok ? 'ok' : 'FAILED'} in ${((Date.now() - started) / 1000).toFixed(1)} s\n`,
  );
  return ok;
}

/** One line per pass in the final table; `passed`/`failed` are test counts. */
const passes = [];
function record(name, passed, failed, note = '') {
  passes.push({ name, passed, failed, note });
}
function check(name, ok) {
  record(name, ok ? 1 : 0, ok ? 0 : 1);
}

/** Reads a jest --json report; a run that wrote none, or a suite that failed to load, is a failure. */
function jestCounts(file, exitOk) {
  if (!existsSync(file)) return { passed: 0, failed: 1 };
  const report = JSON.parse(readFileSync(file, 'utf8'));
  let failed = report.numFailedTests;
  failed += report.testResults.filter((s) => s.status === 'failed' && s.assertionResults.length === 0).length;
  if (!exitOk && failed === 0) failed = 1;
  return { passed: report.numPassedTests, failed };
}

function jestPass(name, args, env) {
  const file = join(reports, `jest-${name}.json`);
  rmSync(file, { force: true });
  const ok = run(`jest (${name})`, bin('jest'), ['--ci', '--json', `--outputFile=${file}`, ...args], env);
  const { passed, failed } = jestCounts(file, ok);
  record(`jest on ${name}`, passed, failed);
}

/** A pass that writes reports/<name>.json as {passed, failed}. */
function countedPass(label, reportName, command, args, env = baseEnv) {
  const file = join(reports, `${reportName}.json`);
  rmSync(file, { force: true });
  const ok = run(label, command, args, env);
  if (!existsSync(file)) return record(label, 0, 1, 'wrote no report');
  const { passed, failed } = JSON.parse(readFileSync(file, 'utf8'));
  record(label, passed, ok || failed > 0 ? failed : failed + 1);
}

// 1. Static checks.
check('typecheck and build', run('typecheck and build', bin('tsc'), ['-b', 'tsconfig.json']));
// The module-boundary lint rule reads Nx's project graph: compute it first.
run('project graph', bin('nx'), ['show', 'projects']);
check('lint', run('lint', bin('eslint'), ['.', '--max-warnings', '0']));
check('format', run('format', bin('prettier'), ['--check', '.']));

// 2. Everything on the embedded default. REQUIRE_POSTGRES (set by CI) is about the next pass only:
// here it would make the test-database helper refuse to open SQLite.
const sqliteEnv = { ...baseEnv };
delete sqliteEnv.REQUIRE_POSTGRES;
jestPass('sqlite', [], sqliteEnv);

// 3. The api suite on PostgreSQL.
const require = createRequire(import.meta.url);
const clusterTool = join(root, 'tools', 'postgres', 'cluster.js');
let cluster;
let clusterDir;
if (process.env.SKIP_POSTGRES === '1' && process.env.REQUIRE_POSTGRES !== '1') {
  record('jest on postgres', 0, 0, 'skipped: SKIP_POSTGRES=1');
} else {
  try {
    const { startCluster, findPostgresBin } = require(clusterTool);
    if (findPostgresBin && !findPostgresBin()) throw new Error('no PostgreSQL binaries (Debian: postgresql)');
    clusterDir = mkdtempSync(join(tmpdir(), 'member-phone-pg-'));
    process.stdout.write(`\n=== starting a throwaway PostgreSQL cluster in ${clusterDir}\n`);
    cluster = await startCluster({ dir: clusterDir });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    if (process.env.REQUIRE_POSTGRES === '1') record('jest on postgres', 0, 1, `no server: ${reason}`);
    else record('jest on postgres', 0, 0, `skipped: ${reason}`);
  }
}
if (cluster) {
  try {
    jestPass('postgres', ['-c', 'apps/api/jest.config.js'], {
      ...baseEnv,
      TEST_DATABASE_URL: cluster.url,
      REQUIRE_POSTGRES: '1',
    });
  } finally {
    await cluster.destroy().catch((error) => process.stdout.write(`cluster cleanup: ${String(error)}\n`));
    if (clusterDir) rmSync(clusterDir, { recursive: true, force: true });
  }
}

// 4. The packed libraries, installed where the workspace cannot help them.
if (existsSync(join(root, 'tools', 'consumer-test', 'run.mjs'))) {
  countedPass('consumer test', 'consumer-test', process.execPath, ['tools/consumer-test/run.mjs']);
}

// 5. The bench harness, one short run per row.
if (existsSync(join(root, 'tools', 'bench', 'run.mjs'))) {
  countedPass('bench smoke', 'bench-smoke', process.execPath, ['tools/bench/run.mjs', '--smoke']);
}

const passed = passes.reduce((n, p) => n + p.passed, 0);
const failed = passes.reduce((n, p) => n + p.failed, 0);
writeFileSync(join(reports, 'summary.json'), JSON.stringify({ passed, failed, passes }, null, 2) + '\n');
process.stdout.write('\n');
for (const p of passes) {
  const mark = p.failed > 0 ? 'FAILED' : p.note.startsWith('skipped') ? 'skip  ' : 'ok    ';
  process.stdout.write(
    `${mark} ${p.name.padEnd(22)} ${String(p.passed).padStart(5)} passed ${String(p.failed).padStart(3)} failed ${p.note}\n`,
  );
}
process.stdout.write(`${passed} passed, ${failed} failed\n`);
process.exit(failed === 0 ? 0 : 1);
