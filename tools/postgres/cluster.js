#!/usr/bin/env node
// A throwaway PostgreSQL cluster for tests: initdb into a folder, serve on 127.0.0.1 only, stop,
// start again, destroy. Used by CI (the CLI below) and by fault specs (the API), so it depends on
// nothing but Node and the Debian postgresql binaries.
'use strict';

const { spawn, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const path = require('node:path');
const { setTimeout: sleep } = require('node:timers/promises');

/**
 * @typedef {object} Cluster
 * @property {string} url  `postgres://postgres@127.0.0.1:<port>/postgres`, the superuser's URL.
 * @property {number} port
 * @property {string} dir  the folder holding `data/`, the log and the unix socket.
 * @property {(mode?: 'fast' | 'immediate' | 'smart') => Promise<void>} stop
 *   Stops the server and waits until it is gone. `fast` (default) ends open sessions cleanly;
 *   `immediate` is a crash as far as the database is concerned (recovery runs at the next start).
 * @property {() => Promise<void>} start  Starts it again on the same port; resolves once it accepts connections.
 * @property {() => Promise<void>} destroy  Stops it (immediately) and removes the folder.
 */

/**
 * @typedef {object} StartOptions
 * @property {string} dir  the cluster's folder; created when missing, reused when it already holds a cluster.
 * @property {number} [port]  a fixed port; a free one is picked when omitted.
 * @property {boolean} [stopOnExit]  stop the server when this Node process exits (default true).
 * @property {number} [timeoutMs]  how long a start or stop may take (default 60000).
 */

const STATE_FILE = 'cluster.json';
const LOG_FILE = 'postgres.log';
const DATA_DIR = 'data';
const DEFAULT_TIMEOUT_MS = 60_000;

/** The newest `/usr/lib/postgresql/<version>/bin` holding initdb and pg_ctl, or `PG_BIN`. */
function findBinDir() {
  const fromEnv = process.env.PG_BIN;
  if (fromEnv) return fromEnv;
  const base = '/usr/lib/postgresql';
  const versions = fs.existsSync(base)
    ? fs
        .readdirSync(base)
        .filter((v) => fs.existsSync(path.join(base, v, 'bin', 'initdb')))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  if (versions.length === 0) {
    throw new Error(
      'no PostgreSQL server binaries under /usr/lib/postgresql/*/bin: install them (Debian: apt-get install postgresql) or set PG_BIN',
    );
  }
  return path.join(base, /** @type {string} */ (versions[0]), 'bin');
}

/** @type {{ name: string, uid: number, gid: number } | null | undefined} */
let cachedUser;

/** initdb and pg_ctl refuse to run as root: run them as `postgres` then. */
function serverUser() {
  if (cachedUser !== undefined) return cachedUser ?? undefined;
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) {
    cachedUser = null;
    return undefined;
  }
  const uid = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
  const gid = spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' });
  if (uid.status !== 0 || gid.status !== 0) {
    throw new Error('running as root, but there is no `postgres` user to run the server as');
  }
  cachedUser = { name: 'postgres', uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
  return cachedUser;
}

/**
 * The user running the server must reach the folder: give it the folder, and let it pass through
 * (execute only, no listing) any parent that is closed to others, such as a mkdtemp folder.
 * @param {string} dir
 * @param {{ uid: number, gid: number } | undefined} user
 */
function prepareFolder(dir, user) {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (!user) return;
  for (let parent = path.dirname(dir); parent !== path.dirname(parent); parent = path.dirname(parent)) {
    const mode = fs.statSync(parent).mode;
    if ((mode & 0o001) === 0) fs.chmodSync(parent, (mode & 0o7777) | 0o001);
  }
  chownTree(dir, user.uid, user.gid);
}

/** @param {string} target @param {number} uid @param {number} gid */
function chownTree(target, uid, gid) {
  fs.chownSync(target, uid, gid);
  if (fs.lstatSync(target).isDirectory()) {
    for (const entry of fs.readdirSync(target)) chownTree(path.join(target, entry), uid, gid);
  }
}

/**
 * Runs a server binary (as `postgres` when we are root), collecting its output.
 * @param {string} binary
 * @param {string[]} args
 * @param {string} cwd
 * @returns {Promise<{ code: number | null, output: string }>}
 */
function runBinary(binary, args, cwd) {
  const user = serverUser();
  const [command, commandArgs] = user
    ? ['runuser', ['-u', user.name, '--', binary, ...args]]
    : [binary, args];
  // Variables such as PGDATA or PGPORT from the caller's shell must not redirect the tools.
  /** @type {NodeJS.ProcessEnv} */
  const env = { PATH: process.env.PATH, LANG: 'C', LC_ALL: 'C' };
  return new Promise((resolve, reject) => {
    const child = spawn(command, commandArgs, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (chunk) => (output += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk) => (output += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}

/** A port nobody listens on right now (the server may still lose a race for it: see startServer). */
function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** @param {string} dir @returns {{ port: number } | undefined} */
function readState(dir) {
  try {
    const state = JSON.parse(fs.readFileSync(path.join(dir, STATE_FILE), 'utf8'));
    return typeof state.port === 'number' ? state : undefined;
  } catch {
    return undefined;
  }
}

/** @param {string} dir @param {number} port */
function writeState(dir, port) {
  fs.writeFileSync(path.join(dir, STATE_FILE), JSON.stringify({ port }) + '\n');
}

/**
 * The settings that differ from initdb's: local only, durable like production, enough
 * connections for a test suite that opens a pool per database.
 * @param {string} dir @param {number} port
 */
function serverSettings(dir, port) {
  return [
    '# written by tools/postgres/cluster.js',
    "listen_addresses = '127.0.0.1'",
    `port = ${port}`,
    `unix_socket_directories = '${dir.replaceAll("'", "''")}'`,
    'fsync = on',
    'synchronous_commit = on',
    'full_page_writes = on',
    'max_connections = 300',
    "timezone = 'UTC'",
    'log_min_messages = warning',
    '',
  ].join('\n');
}

/** @param {string} dir @param {string} binDir */
async function initCluster(dir, binDir) {
  const data = path.join(dir, DATA_DIR);
  const result = await runBinary(
    path.join(binDir, 'initdb'),
    ['-D', data, '-U', 'postgres', '--auth=trust', '--encoding=UTF8', '--locale=C'],
    dir,
  );
  if (result.code !== 0) throw new Error(`initdb failed (${result.code}):\n${result.output}`);
}

/** @param {string} dir @param {number} port */
function configure(dir, port) {
  // postgresql.auto.conf is read last, so these win over postgresql.conf; rewriting it on every
  // start keeps the port in step with cluster.json.
  const file = path.join(dir, DATA_DIR, 'postgresql.auto.conf');
  fs.writeFileSync(file, serverSettings(dir, port));
  const user = serverUser();
  if (user) fs.chownSync(file, user.uid, user.gid);
}

/** @param {string} dir */
function logTail(dir) {
  try {
    return fs.readFileSync(path.join(dir, LOG_FILE), 'utf8').split('\n').slice(-30).join('\n');
  } catch {
    return '(no log)';
  }
}

/**
 * Polls with pg_isready until the server accepts connections (it rejects them while it recovers).
 * @param {string} binDir @param {number} port @param {number} timeoutMs @param {string} dir
 */
async function waitAccepting(binDir, port, timeoutMs, dir) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const probe = await runBinary(
      path.join(binDir, 'pg_isready'),
      ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', '-d', 'postgres', '-t', '5'],
      dir,
    );
    if (probe.code === 0) return;
    if (Date.now() > deadline) {
      throw new Error(
        `PostgreSQL on port ${port} did not accept connections:\n${probe.output}\n${logTail(dir)}`,
      );
    }
    await sleep(100);
  }
}

/** @param {string} dir */
function isRunning(dir) {
  const pidFile = path.join(dir, DATA_DIR, 'postmaster.pid');
  if (!fs.existsSync(pidFile)) return false;
  const pid = Number(fs.readFileSync(pidFile, 'utf8').split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return /** @type {NodeJS.ErrnoException} */ (error).code === 'EPERM';
  }
}

/**
 * @param {string} dir @param {string} binDir @param {number} port @param {number} timeoutMs
 */
async function startServer(dir, binDir, port, timeoutMs) {
  configure(dir, port);
  const result = await runBinary(
    path.join(binDir, 'pg_ctl'),
    [
      '-D',
      path.join(dir, DATA_DIR),
      '-l',
      path.join(dir, LOG_FILE),
      '-w',
      '-t',
      String(Math.ceil(timeoutMs / 1000)),
      'start',
    ],
    dir,
  );
  if (result.code !== 0) {
    const error = new Error(`pg_ctl start failed (${result.code}):\n${result.output}\n${logTail(dir)}`);
    /** @type {Error & { portInUse?: boolean }} */ (error).portInUse =
      /could not bind|address already in use/i.test(logTail(dir));
    throw error;
  }
  await waitAccepting(binDir, port, timeoutMs, dir);
}

/**
 * @param {string} dir @param {string} binDir @param {'fast' | 'immediate' | 'smart'} mode
 * @param {number} timeoutMs
 */
async function stopServer(dir, binDir, mode, timeoutMs) {
  if (!isRunning(dir)) return;
  const result = await runBinary(
    path.join(binDir, 'pg_ctl'),
    ['-D', path.join(dir, DATA_DIR), '-m', mode, '-w', '-t', String(Math.ceil(timeoutMs / 1000)), 'stop'],
    dir,
  );
  if (result.code !== 0 && isRunning(dir)) {
    throw new Error(`pg_ctl stop failed (${result.code}):\n${result.output}\n${logTail(dir)}`);
  }
}

/** Clusters this process started, stopped when it exits unless told otherwise. */
const owned = new Set();
let exitHookInstalled = false;

function installExitHook() {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    const binDir = findBinDir();
    const user = serverUser();
    for (const dir of owned) {
      if (!isRunning(dir)) continue;
      const args = ['-D', path.join(dir, DATA_DIR), '-m', 'immediate', '-w', 'stop'];
      const pgCtl = path.join(binDir, 'pg_ctl');
      spawnSync(user ? 'runuser' : pgCtl, user ? ['-u', user.name, '--', pgCtl, ...args] : args, {
        cwd: dir,
        stdio: 'ignore',
      });
    }
  });
}

/**
 * Creates (or reuses) a cluster in `options.dir` and starts it; resolves once it accepts
 * connections on 127.0.0.1. Trust authentication: for local test use only.
 *
 * @example
 * const { startCluster } = require('../../../tools/postgres/cluster');
 * const cluster = await startCluster({ dir: mkdtempSync(join(tmpdir(), 'pg-')) });
 * await cluster.stop(); // the database goes away under load
 * await cluster.start(); // and comes back on the same URL
 * await cluster.destroy();
 *
 * @param {StartOptions} options
 * @returns {Promise<Cluster>}
 */
async function startCluster(options) {
  const dir = path.resolve(options.dir);
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const binDir = findBinDir();
  const user = serverUser();
  prepareFolder(dir, user);
  if (!fs.existsSync(path.join(dir, DATA_DIR, 'PG_VERSION'))) await initCluster(dir, binDir);

  const fixedPort = options.port ?? readState(dir)?.port;
  let port = fixedPort ?? (await freePort());
  for (let attempt = 1; ; attempt++) {
    try {
      if (!isRunning(dir)) await startServer(dir, binDir, port, timeoutMs);
      else await waitAccepting(binDir, port, timeoutMs, dir);
      break;
    } catch (error) {
      // Another process took the free port between our probe and the server's bind: pick again.
      const portInUse = /** @type {{ portInUse?: boolean }} */ (error).portInUse;
      if (fixedPort !== undefined || !portInUse || attempt >= 5) throw error;
      port = await freePort();
    }
  }
  writeState(dir, port);
  if (options.stopOnExit !== false) {
    owned.add(dir);
    installExitHook();
  }

  // One operation at a time: a fault spec may call stop() and start() from racing callbacks.
  let queue = Promise.resolve();
  /** @template T @param {() => Promise<T>} operation @returns {Promise<T>} */
  const serial = (operation) => {
    const next = queue.then(operation, operation);
    queue = next.then(
      () => undefined,
      () => undefined,
    );
    return next;
  };

  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    dir,
    stop: (mode = 'fast') => serial(() => stopServer(dir, binDir, mode, timeoutMs)),
    start: () =>
      serial(async () => {
        if (isRunning(dir)) await waitAccepting(binDir, port, timeoutMs, dir);
        else await startServer(dir, binDir, port, timeoutMs);
      }),
    destroy: () =>
      serial(async () => {
        await stopServer(dir, binDir, 'immediate', timeoutMs);
        owned.delete(dir);
        fs.rmSync(dir, { recursive: true, force: true });
      }),
  };
}

/**
 * Stops the cluster in `dir` if it runs (for the CLI, or a cluster another process started).
 * @param {string} dir
 * @param {'fast' | 'immediate' | 'smart'} [mode]
 */
async function stopCluster(dir, mode = 'fast') {
  const resolved = path.resolve(dir);
  await stopServer(resolved, findBinDir(), mode, DEFAULT_TIMEOUT_MS);
  owned.delete(resolved);
}

/**
 * The folder of the server binaries this tool would use, or undefined when none is installed
 * (callers decide whether that is a skip or a failure).
 * @returns {string | undefined}
 */
function findPostgresBin() {
  try {
    const dir = findBinDir();
    return fs.existsSync(path.join(dir, 'initdb')) && fs.existsSync(path.join(dir, 'pg_ctl'))
      ? dir
      : undefined;
  } catch {
    return undefined;
  }
}

module.exports = { startCluster, stopCluster, findPostgresBin };

async function cli(argv) {
  const [command, dir, ...rest] = argv;
  const usage =
    'usage: node tools/postgres/cluster.js start <dir> [--port N]\n       node tools/postgres/cluster.js stop <dir>\n       node tools/postgres/cluster.js destroy <dir>\n';
  if (!dir || !['start', 'stop', 'destroy'].includes(command ?? '')) {
    process.stderr.write(usage);
    return 2;
  }
  if (command === 'start') {
    const portIndex = rest.indexOf('--port');
    const port = portIndex >= 0 ? Number(rest[portIndex + 1]) : undefined;
    if (port !== undefined && !(Number.isInteger(port) && port > 0 && port < 65536)) {
      process.stderr.write(`--port must be a port number\n${usage}`);
      return 2;
    }
    const cluster = await startCluster({ dir, ...(port ? { port } : {}), stopOnExit: false });
    process.stderr.write(`PostgreSQL running in ${cluster.dir} (log ${path.join(cluster.dir, LOG_FILE)})\n`);
    process.stdout.write(`TEST_DATABASE_URL=${cluster.url}\n`);
    return 0;
  }
  await stopCluster(dir);
  if (command === 'destroy') fs.rmSync(path.resolve(dir), { recursive: true, force: true });
  return 0;
}

if (require.main === module) {
  cli(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error) => {
      process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(1);
    },
  );
}
