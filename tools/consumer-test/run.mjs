#!/usr/bin/env node
// Consumer test: installs @member-phone/core and @member-phone/testing from the tarballs `npm pack`
// makes, into a throwaway project outside the workspace, and runs a small jest suite there. It
// proves what a workspace test cannot: the published files, `exports`, `types`, `engines` and the
// nock peer dependency work for someone who only has the tarballs.
//
//   node tools/consumer-test/run.mjs          (KEEP_CONSUMER_TEST=1 keeps the temp dirs)
//
// Writes reports/consumer-test.json as {"passed": N, "failed": N} (jest tests plus package checks).
import { execFileSync, spawnSync } from 'node:child_process';
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  realpathSync,
  readdirSync,
  rmSync,
  writeFileSync,
  existsSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../..');
const started = Date.now();
const checks = [];
const keep = process.env.KEEP_CONSUMER_TEST === '1';
const NPM_INSTALL_FLAGS = ['--prefer-offline', '--no-audit', '--no-fund'];
const THIRD_PARTY = ['nock@14.0.17', 'jest@30.3.0', 'axios@1.21.1'];

function log(message) {
  process.stdout.write(`[consumer-test] ${message}\n`);
}

function run(command, args, cwd) {
  log(`$ ${command} ${args.join(' ')}${cwd === root ? '' : `   (in ${cwd})`}`);
  try {
    return execFileSync(command, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  } catch (error) {
    // tsc reports on stdout: show it, or the failure says nothing.
    if (error.stdout) process.stdout.write(error.stdout);
    throw error;
  }
}

function check(name, ok, detail = '') {
  checks.push({ name, ok });
  log(`${ok ? 'ok  ' : 'FAIL'} ${name}${detail && !ok ? ` (${detail})` : ''}`);
}

function isInside(child, parent) {
  const path = relative(parent, child);
  return path === '' || (!path.startsWith('..') && !path.startsWith(sep) && path !== '..');
}

function writeReport(passed, failed) {
  mkdirSync(join(root, 'reports'), { recursive: true });
  writeFileSync(join(root, 'reports/consumer-test.json'), `${JSON.stringify({ passed, failed })}\n`);
}

const packDir = realpathSync(mkdtempSync(join(tmpdir(), 'member-phone-pack-')));
const projectDir = realpathSync(mkdtempSync(join(tmpdir(), 'member-phone-consumer-')));
let exitCode = 1;
try {
  if (isInside(projectDir, root) || isInside(packDir, root)) {
    throw new Error(`temp dirs must be outside the workspace (${projectDir})`);
  }

  // 1. Build what gets packed (testing's references build core first).
  run('npx', ['tsc', '-b', 'libs/testing/tsconfig.lib.json'], root);

  // 2. Pack both libraries.
  const tarballs = {};
  for (const lib of ['core', 'testing']) {
    const [packed] = JSON.parse(
      run('npm', ['pack', '--json', '--pack-destination', packDir], join(root, 'libs', lib)),
    );
    tarballs[lib] = {
      file: join(packDir, packed.filename),
      files: packed.files.map((f) => f.path),
      name: packed.name,
    };
    const files = tarballs[lib].files;
    check(
      `${packed.name}: tarball has dist/index.js and dist/index.d.ts`,
      files.includes('dist/index.js') && files.includes('dist/index.d.ts'),
    );
    check(
      `${packed.name}: tarball has no specs, sources or build info`,
      !files.some((f) => /\.spec\.|^src\/|tsbuildinfo/.test(f)),
      files.filter((f) => /\.spec\.|^src\/|tsbuildinfo/.test(f)).join(', '),
    );
    check(
      `${packed.name}: tarball has README.md and package.json`,
      files.includes('README.md') && files.includes('package.json'),
    );
  }

  // 3. A throwaway project that only knows the tarballs and the registry.
  writeFileSync(
    join(projectDir, 'package.json'),
    `${JSON.stringify({ name: 'member-phone-consumer', private: true, version: '0.0.0', scripts: { test: 'jest' } }, null, 2)}\n`,
  );
  run(
    'npm',
    ['install', ...NPM_INSTALL_FLAGS, tarballs.core.file, tarballs.testing.file, ...THIRD_PARTY],
    projectDir,
  );

  // 4. What the installed manifests promise.
  const manifest = (name) =>
    JSON.parse(readFileSync(join(projectDir, 'node_modules', name, 'package.json'), 'utf8'));
  for (const name of ['@member-phone/core', '@member-phone/testing']) {
    const pkg = manifest(name);
    const dir = join(projectDir, 'node_modules', name);
    const dot = pkg.exports?.['.'];
    check(
      `${name}: exports "." names types and default, both present`,
      Boolean(
        dot?.types && dot?.default && existsSync(join(dir, dot.types)) && existsSync(join(dir, dot.default)),
      ),
    );
    check(
      `${name}: top-level types and main present`,
      Boolean(pkg.types && pkg.main && existsSync(join(dir, pkg.types)) && existsSync(join(dir, pkg.main))),
    );
    check(
      `${name}: engines.node declared and satisfied by ${process.version}`,
      typeof pkg.engines?.node === 'string' && satisfiesNode(pkg.engines.node),
      pkg.engines?.node,
    );
    check(`${name}: files allow-list declared`, Array.isArray(pkg.files) && pkg.files.includes('dist'));
    const dangling = danglingSourceMaps(dir);
    // A map whose sources were not packed breaks "go to definition" and stack traces for the user.
    check(
      `${name}: every packed source map points at packed files`,
      dangling.length === 0,
      dangling.slice(0, 3).join(', '),
    );
    check(
      `${name}: no workspace-only fields (devDependencies kept out of runtime deps)`,
      !pkg.dependencies?.nock && !pkg.dependencies?.jest,
    );
  }
  const testingPkg = manifest('@member-phone/testing');
  check(
    '@member-phone/testing: nock is a peer dependency accepting 14.x',
    /\^14|>=\s*14/.test(testingPkg.peerDependencies?.nock ?? ''),
    testingPkg.peerDependencies?.nock,
  );
  check(
    '@member-phone/testing: depends on the packed @member-phone/core version',
    testingPkg.dependencies?.['@member-phone/core'] === manifest('@member-phone/core').version,
  );
  check(
    'only one nock is installed (the peer), so the kit intercepts what the app sends',
    !existsSync(join(projectDir, 'node_modules/@member-phone/testing/node_modules/nock')),
  );
  check(
    'only one @member-phone/core is installed',
    !existsSync(join(projectDir, 'node_modules/@member-phone/testing/node_modules/@member-phone/core')),
  );

  // 5. The types resolve through `exports` for a TypeScript consumer (nodenext, as the workspace).
  copyFileSync(join(here, 'project/types-check.ts.template'), join(projectDir, 'types-check.ts'));
  const tsc = spawnSync(
    process.execPath,
    [
      join(root, 'node_modules/typescript/bin/tsc'),
      '--noEmit',
      '--strict',
      '--module',
      'nodenext',
      '--moduleResolution',
      'nodenext',
      '--target',
      'es2022',
      '--lib',
      'es2023,dom',
      '--types',
      'node',
      '--typeRoots',
      join(root, 'node_modules/@types'),
      'types-check.ts',
    ],
    { cwd: projectDir, encoding: 'utf8' },
  );
  check(
    'a TypeScript consumer type-checks against the packed declarations',
    tsc.status === 0,
    `${tsc.stdout}${tsc.stderr}`.trim(),
  );

  // 6. The jest suite, in plain JS.
  mkdirSync(join(projectDir, 'test'));
  copyFileSync(join(here, 'project/test/consumer.test.js'), join(projectDir, 'test/consumer.test.js'));
  writeFileSync(
    join(projectDir, 'jest.config.js'),
    "module.exports = { testEnvironment: 'node', roots: ['<rootDir>/test'] };\n",
  );
  const resultFile = join(projectDir, 'jest-result.json');
  log('$ npx jest --json --outputFile jest-result.json');
  const jest = spawnSync('npx', ['jest', '--json', '--outputFile', resultFile], {
    cwd: projectDir,
    encoding: 'utf8',
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  let result = { numPassedTests: 0, numFailedTests: 0, numTotalTests: 0 };
  if (existsSync(resultFile)) result = JSON.parse(readFileSync(resultFile, 'utf8'));
  else check('jest produced a result file', false, `exit ${jest.status}`);

  const staticPassed = checks.filter((c) => c.ok).length;
  const staticFailed = checks.length - staticPassed;
  const passed = result.numPassedTests + staticPassed;
  const failed =
    result.numFailedTests + staticFailed + (jest.status !== 0 && result.numFailedTests === 0 ? 1 : 0);
  log(
    `jest: ${result.numPassedTests} passed, ${result.numFailedTests} failed, ${result.numTotalTests} total`,
  );
  log(`package checks: ${staticPassed} passed, ${staticFailed} failed`);
  log(`total: ${passed} passed, ${failed} failed in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  writeReport(passed, failed);
  exitCode = failed === 0 ? 0 : 1;
} catch (error) {
  log(`error: ${error instanceof Error ? error.message : String(error)}`);
  writeReport(checks.filter((c) => c.ok).length, checks.filter((c) => !c.ok).length + 1);
  exitCode = 1;
} finally {
  if (keep) log(`kept ${packDir} and ${projectDir}`);
  else {
    rmSync(packDir, { recursive: true, force: true });
    rmSync(projectDir, { recursive: true, force: true });
  }
}
process.exit(exitCode);

function danglingSourceMaps(dir) {
  const dangling = [];
  const walk = (folder) => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.map')) {
        const { sources = [], sourceRoot = '' } = JSON.parse(readFileSync(path, 'utf8'));
        for (const source of sources) {
          if (!existsSync(resolve(dirname(path), sourceRoot, source))) dangling.push(relative(dir, path));
        }
      }
    }
  };
  walk(dir);
  return [...new Set(dangling)];
}

// Only the forms the packages use (">=X.Y", optionally "<A || >=B"): enough to catch a wrong range.
function satisfiesNode(range) {
  const [major, minor] = process.versions.node.split('.').map(Number);
  return range.split('||').some((alternative) =>
    alternative
      .trim()
      .split(/\s+/)
      .every((comparator) => {
        const match = /^(>=|<)(\d+)(?:\.(\d+))?/.exec(comparator);
        if (!match) return false;
        const wanted = [Number(match[2]), Number(match[3] ?? 0)];
        const cmp = major !== wanted[0] ? major - wanted[0] : minor - wanted[1];
        return match[1] === '>=' ? cmp >= 0 : cmp < 0;
      }),
  );
}
