#!/usr/bin/env node
// The bench: `node tools/bench/run.mjs` builds the app and measures, in one sitting, every row of
// docs/performance.md against a bare node:http server on the same machine; prints a table and
// writes reports/bench.json. `--smoke` runs each row once, briefly, checks that the harness works
// (2xx answers, no refusals where none are expected, the database shows the changes) and writes
// reports/bench-smoke.json as {passed, failed}. Options: --seconds N, --repeats N, --connections N,
// --large-members N, --only row,row, --app-root <checkout>, --profile <dir>, --keep.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';

import {
  addProofs,
  benchSecrets,
  cancelUnusedProofs,
  countOutcomes,
  createBenchDatabase,
  writeReadRequests,
  writeUpdateRequests,
} from './lib/fixtures.mjs';
import { benchDir, root } from './lib/paths.mjs';
import { freePort, LOAD_CORE, runPinned, SERVER_CORE, startServer } from './lib/processes.mjs';
import { wrk } from './lib/wrk.mjs';

// ---------------------------------------------------------------------------------------------
// Options

const argv = process.argv.slice(2);
const flag = (name) => argv.includes(`--${name}`);
const value = (name, fallback) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 && argv[i + 1] !== undefined ? argv[i + 1] : fallback;
};
const smoke = flag('smoke');
const settings = {
  mode: smoke ? 'smoke' : 'full',
  connections: Number(value('connections', 50)),
  seconds: Number(value('seconds', smoke ? 1 : 10)),
  warmupSeconds: smoke ? 1 : 3,
  repeats: Number(value('repeats', smoke ? 1 : 3)),
  coldStartRepeats: smoke ? 2 : 5,
  mainMembers: smoke ? 2000 : 10_000,
  smallMembers: 1000,
  largeMembers: Number(value('large-members', smoke ? 20_000 : 1_000_000)),
  /** Highest update rate the proof budget is sized for until the first update row has measured one. */
  initialRateCap: 8000,
};
const only = value('only', '')
  .split(',')
  .map((s) => s.trim())
  .filter(Boolean);
const wanted = (row) => only.length === 0 || only.includes(row);

const ECHO_BODY = '{"phoneNumber":"01012345678"}';
const log = (message) => process.stdout.write(`[bench] ${message}\n`);
const median = (values) => {
  const sorted = values.filter((v) => typeof v === 'number' && Number.isFinite(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return null;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const max = (values) => {
  const numbers = values.filter((v) => typeof v === 'number');
  return numbers.length ? Math.max(...numbers) : null;
};

// ---------------------------------------------------------------------------------------------
// Build and fixtures

log(`mode ${settings.mode}; building the app (tsc -b apps/api/tsconfig.app.json)`);
const build = spawnSync(join(root, 'node_modules', '.bin', 'tsc'), ['-b', 'apps/api/tsconfig.app.json'], {
  cwd: root,
  stdio: 'inherit',
});
if (build.status !== 0) {
  log('build failed');
  process.exit(1);
}

const work = mkdtempSync(join(os.tmpdir(), 'member-phone-bench-'));
const secrets = benchSecrets();
// Kept runs keep their keys too, so a kept database can be opened and profiled by hand.
if (flag('keep'))
  writeFileSync(
    join(work, 'secrets.env'),
    `MASTER_KEY=${secrets.masterKey.toString('hex')}\nJWT_HS256_SECRET=${secrets.hs256Secret.toString('hex')}\n` +
      `KEY_SEED=${secrets.keySeed.toString('hex')}\n`,
    { mode: 0o600 },
  );
let rateCap = settings.initialRateCap;

/**
 * The service's ordinary configuration, set for the bench: SQLite under the run's temp folder,
 * development mode (HS256 development tokens), no demo seed, info-level logs to a file, and every
 * ARS rate limit raised out of reach (the measured routes never place calls, so none should bite).
 */
const RATE_LIMITS_RAISED = {
  ARS_MEMBER_COOLDOWN_SECONDS: '1',
  ARS_MEMBER_DAILY_LIMIT: '1000000000',
  ARS_NUMBER_HOURLY_LIMIT: '1000000000',
  ARS_NUMBER_DAILY_LIMIT: '1000000000',
  ARS_CREDENTIAL_DAILY_LIMIT: '1000000000',
  ARS_CLIENT_ADDRESS_HOURLY_LIMIT: '1000000000',
  ARS_GLOBAL_HOURLY_LIMIT: '1000000000',
};
function appEnv(database, dataDir) {
  return {
    NODE_ENV: 'development',
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    DATABASE_URL: `sqlite:${database.file}`,
    MASTER_KEY: secrets.masterKey.toString('hex'),
    JWT_HS256_SECRET: secrets.hs256Secret.toString('hex'),
    SEED_DEMO: 'false',
    LOG_LEVEL: 'info',
    ...RATE_LIMITS_RAISED,
  };
}
/** `--app-root <dir>`: measure the built app of another checkout (e.g. the commit before a change). */
const APP_MAIN = join(value('app-root', root), 'apps', 'api', 'dist', 'main.js');
/** `--profile <dir>` writes a V8 CPU profile of every app server into that folder. */
const profileDir = value('profile', '');
const profileArgs = (label) => [
  ...(profileDir
    ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`, `--cpu-prof-name=${label}.cpuprofile`]
    : []),
  // Extra node flags for the app server, e.g. a `-r` preload that watches the event loop.
  ...(process.env.BENCH_APP_NODE_ARGS?.split(' ').filter(Boolean) ?? []),
];

/**
 * The service's own view of latency: the `ms` of its access lines (Fastify's onRequest to the
 * answer), after the first `skip` lines (the warm-up). Next to wrk's figures it tells time spent in
 * the handler from time spent waiting before Fastify sees the request.
 */
function serverLatency(logFile, skip) {
  const values = readFileSync(logFile, 'utf8')
    .split('\n')
    .filter((line) => line.includes('"msg":"request"'))
    .slice(skip)
    .map((line) => JSON.parse(line).ms)
    .filter((ms) => typeof ms === 'number')
    .sort((a, b) => a - b);
  const at = (q) =>
    values.length ? values[Math.min(values.length - 1, Math.floor(q * values.length))] : null;
  return { serverP50Ms: at(0.5), serverP99Ms: at(0.99) };
}

async function startApp(database, label) {
  const dataDir = join(work, `data-${label}`);
  mkdirSync(dataDir, { recursive: true });
  return startServer({
    args: [...profileArgs(label), APP_MAIN],
    env: appEnv(database, dataDir),
    port: await freePort(),
    logFile: join(work, `${label}.log`),
  });
}

// ---------------------------------------------------------------------------------------------
// Rows

const rows = [];
const checks = [];
function check(row, name, ok, detail = '') {
  checks.push({ row, name, ok, detail });
  if (!ok) log(`CHECK FAILED ${row}: ${name} ${detail}`);
}

/** Server CPU time per answered request over the timed window, in microseconds. */
function cpuPerRequest(server, cpuBefore, result) {
  const cpuAfter = server.cpuSeconds();
  if (cpuBefore === null || cpuAfter === null || result.requests === 0) return null;
  return ((cpuAfter - cpuBefore) * 1e6) / result.requests;
}

function summarize(name, label, runs, extra = {}) {
  const row = {
    name,
    label,
    rps: median(runs.map((r) => r.rps)),
    p50Ms: median(runs.map((r) => r.p50Ms)),
    p99Ms: median(runs.map((r) => r.p99Ms)),
    peakRssMb: max(runs.map((r) => r.peakRssMb)),
    cpuUsPerRequest: median(runs.map((r) => r.cpuUsPerRequest)),
    serverP50Ms: median(runs.map((r) => r.serverP50Ms)),
    serverP99Ms: median(runs.map((r) => r.serverP99Ms)),
    ok: runs.reduce((n, r) => n + (r.ok ?? 0), 0),
    non2xx: runs.reduce((n, r) => n + (r.non2xx ?? 0), 0),
    runs,
    ...extra,
  };
  rows.push(row);
  log(
    `${label}: ${row.rps?.toFixed(0) ?? '-'} req/s, p50 ${row.p50Ms?.toFixed(2) ?? '-'} ms, ` +
      `p99 ${row.p99Ms?.toFixed(2) ?? '-'} ms, peak RSS ${row.peakRssMb?.toFixed(0) ?? '-'} MB, ` +
      `server CPU ${row.cpuUsPerRequest?.toFixed(0) ?? '-'} µs/request`,
  );
  return row;
}

function expectClean(rowName, runs, { expectOk = true } = {}) {
  for (const [i, r] of runs.entries()) {
    if (expectOk) check(rowName, `run ${i + 1} got 2xx answers`, r.ok > 0, `ok=${r.ok}`);
    check(rowName, `run ${i + 1} got no non-2xx answer`, r.non2xx === 0, `non2xx=${r.non2xx}`);
    check(
      rowName,
      `run ${i + 1} had no socket errors`,
      (r.socketErrors ?? 0) === 0,
      `errors=${r.socketErrors}`,
    );
    if (r.wrapped !== undefined) check(rowName, `run ${i + 1} had enough prepared requests`, !r.wrapped);
  }
}

async function baselineRow(name, label, script) {
  const runs = [];
  for (let i = 0; i < settings.repeats; i++) {
    const server = await startServer({
      args: [join(benchDir, 'servers', script)],
      env: {},
      port: await freePort(),
      logFile: join(work, `${name}.log`),
    });
    const request = {
      port: server.port,
      connections: settings.connections,
      method: 'PUT',
      path: '/echo',
      body: ECHO_BODY,
    };
    await wrk({ ...request, seconds: settings.warmupSeconds });
    const cpu0 = server.cpuSeconds();
    const result = await wrk({ ...request, seconds: settings.seconds });
    runs.push({
      ...result,
      cpuUsPerRequest: cpuPerRequest(server, cpu0, result),
      peakRssMb: server.peakRssMb(),
    });
    await server.stop();
  }
  expectClean(name, runs);
  return summarize(name, label, runs);
}

/**
 * One timed run of the update path on a fresh server: proofs and pre-signed requests for the
 * warm-up and the timed window are made first, then the database is checked for what changed.
 */
async function updateRun(database, method, { seconds, warmupSeconds, delayMs = 0, label }) {
  cancelUnusedProofs(database);
  const budgetFor = (s) => Math.ceil(rateCap * s * 1.3) + 200;
  const warmPlans = addProofs(database, secrets, budgetFor(warmupSeconds), method);
  const timedPlans = addProofs(
    database,
    secrets,
    delayMs > 0 ? budgetFor(seconds) / 2 : budgetFor(seconds),
    method,
  );
  const warmFile = join(work, `${label}-warm.tsv`);
  const timedFile = join(work, `${label}-timed.tsv`);
  writeUpdateRequests(warmFile, warmPlans, method);
  writeUpdateRequests(timedFile, timedPlans, method);
  const before = countOutcomes(database);
  const server = await startApp(database, label);
  const common = { port: server.port, connections: settings.connections, delayMs };
  const warm = await wrk({ ...common, seconds: warmupSeconds, requestsFile: warmFile });
  const cpu0 = server.cpuSeconds();
  const result = await wrk({ ...common, seconds, requestsFile: timedFile });
  const cpuUsPerRequest = cpuPerRequest(server, cpu0, result);
  const peakRssMb = server.peakRssMb();
  await server.stop();
  const after = countOutcomes(database);
  return {
    ...result,
    ...serverLatency(server.logFile, warm.requests),
    cpuUsPerRequest,
    peakRssMb,
    warmOk: warm.ok,
    warmNon2xx: warm.non2xx,
    changes: after.phoneChanged - before.phoneChanged,
    consumed: after.consumed - before.consumed,
  };
}

function expectRealChanges(rowName, runs) {
  for (const [i, r] of runs.entries()) {
    const answered = r.ok + r.warmOk;
    // wrk stops counting at each deadline (warm-up and timed) while up to one request per connection
    // may still complete on the server.
    check(
      rowName,
      `run ${i + 1}: every 200 is a phone change with its proof consumed and audited`,
      r.changes >= answered && r.consumed === r.changes && r.changes <= answered + 2 * settings.connections,
      `answered=${answered} changed=${r.changes} consumed=${r.consumed}`,
    );
    check(rowName, `run ${i + 1}: warm-up got no non-2xx`, r.warmNon2xx === 0, `non2xx=${r.warmNon2xx}`);
  }
}

async function updateRow(name, label, database, method) {
  const runs = [];
  for (let i = 0; i < settings.repeats; i++) {
    const run = await updateRun(database, method, { ...settings, label: `${name}-${i + 1}` });
    runs.push(run);
    // Size the next proof budget on what this machine does, with room to spare.
    rateCap = Math.max(1000, Math.ceil(run.rps * 1.6));
  }
  expectClean(name, runs);
  expectRealChanges(name, runs);
  return summarize(name, label, runs);
}

async function readRow(name, label, database) {
  const runs = [];
  for (let i = 0; i < settings.repeats; i++) {
    const budget = (s) => Math.ceil(Math.max(rateCap, 4000) * 2 * s) + 200;
    const warmFile = join(work, `${name}-${i}-warm.tsv`);
    const timedFile = join(work, `${name}-${i}-timed.tsv`);
    writeReadRequests(warmFile, database, budget(settings.warmupSeconds));
    writeReadRequests(timedFile, database, budget(settings.seconds));
    const server = await startApp(database, `${name}-${i + 1}`);
    const common = { port: server.port, connections: settings.connections };
    const warm = await wrk({ ...common, seconds: settings.warmupSeconds, requestsFile: warmFile });
    const cpu0 = server.cpuSeconds();
    const result = await wrk({ ...common, seconds: settings.seconds, requestsFile: timedFile });
    runs.push({
      ...result,
      cpuUsPerRequest: cpuPerRequest(server, cpu0, result),
      peakRssMb: server.peakRssMb(),
    });
    await server.stop();
    Object.assign(runs[runs.length - 1], serverLatency(server.logFile, warm.requests));
  }
  expectClean(name, runs);
  return summarize(name, label, runs);
}

async function halfRateRow(name, label, database, peakRps) {
  const target = peakRps / 2;
  // wrk waits `delay` after each answer on each connection: rate ≈ connections / (delay + latency).
  const delayMs = Math.max(1, Math.round((settings.connections * 1000) / target));
  const runs = [];
  for (let i = 0; i < settings.repeats; i++) {
    runs.push(await updateRun(database, 'hmac', { ...settings, delayMs, label: `${name}-${i + 1}` }));
  }
  expectClean(name, runs);
  expectRealChanges(name, runs);
  const row = summarize(name, label, runs, { targetRps: target, delayMs });
  row.fractionOfPeak = row.rps / peakRps;
  return row;
}

async function clientOverheadRow(name, label, database) {
  const members = database.actives.slice(0, 200).map(({ apiKey, apiSecret }) => ({ apiKey, apiSecret }));
  const runs = [];
  for (let i = 0; i < settings.repeats; i++) {
    const server = await startApp(database, `${name}-${i + 1}`);
    const measure = async (mode) => {
      const options = {
        port: server.port,
        mode,
        seconds: settings.seconds,
        warmupSeconds: settings.warmupSeconds,
        connections: settings.connections,
        members,
        budget: Math.ceil(Math.max(rateCap, 4000) * 2 * (settings.seconds + settings.warmupSeconds)) + 200,
      };
      const out = await runPinned(
        process.execPath,
        [join(benchDir, 'client-load.mjs'), JSON.stringify(options)],
        {
          cwd: root,
        },
      );
      return JSON.parse(out.trim().split('\n').pop());
    };
    // Alternate the order, so neither mode always gets the warmer server.
    const order = i % 2 === 0 ? ['fetch', 'client'] : ['client', 'fetch'];
    const results = {};
    for (const mode of order) results[mode] = await measure(mode);
    runs.push({
      rps: results.client.rps,
      p50Ms: results.client.p50Ms,
      p99Ms: results.client.p99Ms,
      ok: results.client.ok + results.fetch.ok,
      non2xx: results.client.non2xx + results.fetch.non2xx,
      fetch: results.fetch,
      client: results.client,
      overhead: results.fetch.rps / results.client.rps,
      cpuOverhead: results.client.cpuUsPerRequest / results.fetch.cpuUsPerRequest,
      peakRssMb: server.peakRssMb(),
    });
    await server.stop();
  }
  expectClean(name, runs);
  return summarize(name, label, runs, {
    overhead: median(runs.map((r) => r.overhead)),
    cpuOverhead: median(runs.map((r) => r.cpuOverhead)),
    fetchRps: median(runs.map((r) => r.fetch.rps)),
    clientCpuUs: median(runs.map((r) => r.client.cpuUsPerRequest)),
    fetchCpuUs: median(runs.map((r) => r.fetch.cpuUsPerRequest)),
  });
}

async function coldStartRow(name, label, database) {
  const runs = [];
  for (let i = 0; i < settings.coldStartRepeats; i++) {
    const server = await startApp(database, `${name}-${i + 1}`);
    runs.push({ readyMs: server.readyMs, peakRssMb: server.peakRssMb(), ok: 1, non2xx: 0 });
    await server.stop();
  }
  const row = summarize(name, label, runs, { readyMs: median(runs.map((r) => r.readyMs)) });
  check(name, 'every start answered /health with 200', runs.length === settings.coldStartRepeats);
  log(`${label}: ${row.readyMs.toFixed(0)} ms to the first 200 on /health`);
  return row;
}

async function scaleRow(name, label, small, large) {
  const runs = { small: [], large: [] };
  const seconds = Math.max(1, Math.ceil(settings.seconds / 2));
  const warmupSeconds = Math.max(1, Math.ceil(settings.warmupSeconds / 2));
  for (let i = 0; i < settings.repeats; i++) {
    for (const [key, database] of [
      ['small', small],
      ['large', large],
    ]) {
      runs[key].push(
        await updateRun(database, 'hmac', { seconds, warmupSeconds, label: `${name}-${key}-${i + 1}` }),
      );
    }
  }
  for (const key of ['small', 'large']) {
    expectClean(`${name}-${key}`, runs[key]);
    expectRealChanges(`${name}-${key}`, runs[key]);
  }
  const p50Small = median(runs.small.map((r) => r.p50Ms));
  const p50Large = median(runs.large.map((r) => r.p50Ms));
  return summarize(name, label, [...runs.small, ...runs.large], {
    p50SmallMs: p50Small,
    p50LargeMs: p50Large,
    p50Ratio: p50Large / p50Small,
    smallMembers: small.members,
    largeMembers: large.members,
    rps: median(runs.large.map((r) => r.rps)),
    p50Ms: p50Large,
    p99Ms: median(runs.large.map((r) => r.p99Ms)),
  });
}

// ---------------------------------------------------------------------------------------------
// The sitting

const startedAt = new Date().toISOString();
const loadBefore = os.loadavg();
log(
  `server on core ${SERVER_CORE}, load generator on core ${LOAD_CORE}; ${settings.connections} connections`,
);
log(
  'rate limits: every ARS_* limit raised to 1e9 through configuration (the measured routes place no calls)',
);

let mainDb;
const ensureMainDb = async () => {
  if (!mainDb) {
    log(`preparing the main database: ${settings.mainMembers} members with API keys and tokens`);
    mainDb = await createBenchDatabase(join(work, 'main.sqlite'), secrets, {
      members: settings.mainMembers,
      active: settings.mainMembers,
    });
  }
  return mainDb;
};

try {
  const baseline = await baselineRow('baseline-node-http', 'bare node:http (echo JSON)', 'bare-http.mjs');
  if (wanted('baseline-fastify'))
    await baselineRow('baseline-fastify', 'bare Fastify (echo JSON)', 'bare-fastify.mjs');
  let updateHmac;
  if (wanted('update-hmac') || wanted('half-rate'))
    updateHmac = await updateRow('update-hmac', 'update path, HMAC', await ensureMainDb(), 'hmac');
  if (wanted('update-bearer'))
    await updateRow('update-bearer', 'update path, bearer', await ensureMainDb(), 'bearer');
  if (wanted('read-hmac')) await readRow('read-hmac', 'read path, HMAC', await ensureMainDb());
  if (wanted('half-rate') && updateHmac)
    await halfRateRow('half-rate', 'update HMAC at half the peak rate', await ensureMainDb(), updateHmac.rps);
  if (wanted('client-overhead'))
    await clientOverheadRow('client-overhead', 'core client (vs raw fetch), read path', await ensureMainDb());
  if (wanted('cold-start'))
    await coldStartRow('cold-start', 'cold start to first 200 /health', await ensureMainDb());
  if (wanted('scale')) {
    log(`preparing the scale databases: ${settings.smallMembers} and ${settings.largeMembers} members`);
    const small = await createBenchDatabase(join(work, 'small.sqlite'), secrets, {
      members: settings.smallMembers,
      active: 1000,
    });
    const large = await createBenchDatabase(join(work, 'large.sqlite'), secrets, {
      members: settings.largeMembers,
      active: 1000,
    });
    await scaleRow(
      'scale',
      `update p50, ${settings.largeMembers} vs ${settings.smallMembers} members`,
      small,
      large,
    );
  }

  for (const row of rows) {
    row.ratio = row.rps && baseline.rps ? row.rps / baseline.rps : null;
    // The same ratio from CPU time per request: what the ratio would be if the server had its core
    // to itself, which a shared machine does not give it.
    row.cpuRatio =
      row.cpuUsPerRequest && baseline.cpuUsPerRequest ? baseline.cpuUsPerRequest / row.cpuUsPerRequest : null;
  }
} catch (error) {
  check('harness', 'ran to the end', false, error instanceof Error ? error.stack : String(error));
}

// ---------------------------------------------------------------------------------------------
// Targets, table, JSON

const byName = Object.fromEntries(rows.map((r) => [r.name, r]));
const appRows = rows.filter((r) => !r.name.startsWith('baseline'));
const targets = [
  ['update path (HMAC) / bare node:http', byName['update-hmac']?.ratio, '>=', 0.3],
  ['update path (bearer) / bare node:http', byName['update-bearer']?.ratio, '>=', 0.3],
  ['read path / bare node:http', byName['read-hmac']?.ratio, '>=', 0.4],
  ['p99 at half the peak rate (ms)', byName['half-rate']?.p99Ms, '<=', 5],
  ['client overhead vs raw fetch', byName['client-overhead']?.overhead, '<=', 1.1],
  [
    'cold start to first 200 (s)',
    byName['cold-start'] ? byName['cold-start'].readyMs / 1000 : undefined,
    '<=',
    1,
  ],
  ['p50 at large / p50 at 1k members', byName.scale?.p50Ratio, '<=', 1.2],
  ['peak RSS under load (MB)', max(appRows.map((r) => r.peakRssMb)), '<=', 200],
].map(([name, value_, op, target]) => ({
  name,
  value: value_ ?? null,
  op,
  target,
  met: value_ === undefined || value_ === null ? null : op === '>=' ? value_ >= target : value_ <= target,
}));

const fmt = (v, digits = 0) => (v === null || v === undefined ? '-' : v.toFixed(digits));
const table = [
  '| row | req/s | p50 ms | p99 ms | peak RSS MB | vs node:http | server CPU µs/req | vs node:http by CPU | in-service p50/p99 ms |',
  '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ...rows.map(
    (r) =>
      `| ${r.label} | ${fmt(r.rps)} | ${fmt(r.p50Ms, 2)} | ${fmt(r.p99Ms, 2)} | ${fmt(r.peakRssMb)} | ${fmt(r.ratio, 2)} | ${fmt(r.cpuUsPerRequest)} | ${fmt(r.cpuRatio, 2)} | ${r.serverP99Ms === null || r.serverP99Ms === undefined ? '-' : `${fmt(r.serverP50Ms, 1)} / ${fmt(r.serverP99Ms, 1)}`} |`,
  ),
  '',
  '| target | measured | goal | met |',
  '| --- | ---: | ---: | --- |',
  ...targets.map(
    (t) =>
      `| ${t.name} | ${fmt(t.value, 2)} | ${t.op} ${t.target} | ${t.met === null ? '-' : t.met ? 'yes' : 'NO'} |`,
  ),
];
const extraNotes = [];
if (byName['client-overhead'])
  extraNotes.push(
    `client overhead: raw fetch ${fmt(byName['client-overhead'].fetchRps)} req/s vs core client ${fmt(byName['client-overhead'].rps)} req/s; ` +
      `load generator CPU ${fmt(byName['client-overhead'].fetchCpuUs)} vs ${fmt(byName['client-overhead'].clientCpuUs)} µs/request ` +
      `(×${fmt(byName['client-overhead'].cpuOverhead, 2)})`,
  );
if (byName.scale)
  extraNotes.push(
    `scale: p50 ${fmt(byName.scale.p50SmallMs, 2)} ms at ${byName.scale.smallMembers} members, ${fmt(byName.scale.p50LargeMs, 2)} ms at ${byName.scale.largeMembers}`,
  );
if (byName['half-rate'])
  extraNotes.push(
    `half rate: aimed at ${fmt(byName['half-rate'].targetRps)} req/s, got ${fmt(byName['half-rate'].rps)} (${fmt(byName['half-rate'].fractionOfPeak * 100)} % of peak)`,
  );
if (byName['cold-start'])
  extraNotes.push(
    `cold start: ${fmt(byName['cold-start'].readyMs)} ms (median of ${settings.coldStartRepeats})`,
  );

const cpus = os.cpus();
const machine = {
  cpu: `${cpus[0]?.model ?? 'unknown'} x ${cpus.length}`,
  memoryGb: Math.round(os.totalmem() / 2 ** 30),
  kernel: `${os.type()} ${os.release()}`,
  node: process.version,
  loadAverageBefore: loadBefore.map((l) => Number(l.toFixed(2))),
  loadAverageAfter: os.loadavg().map((l) => Number(l.toFixed(2))),
};
process.stdout.write(`\n${table.join('\n')}\n\n${extraNotes.join('\n')}\n`);
process.stdout.write(
  `\n${machine.cpu}, ${machine.memoryGb} GB, ${machine.kernel}, node ${machine.node}; load before ${machine.loadAverageBefore.join(' ')}, after ${machine.loadAverageAfter.join(' ')}\n` +
    'Rate limits: every ARS_* limit raised to 1e9 through configuration for this run.\n',
);

const failed = checks.filter((c) => !c.ok);
const reports = join(root, 'reports');
mkdirSync(reports, { recursive: true });
const report = {
  startedAt,
  finishedAt: new Date().toISOString(),
  settings: { ...settings, serverCore: SERVER_CORE, loadCore: LOAD_CORE, tool: 'wrk 4.1 (Debian), -t1' },
  rateLimits: 'every ARS_* limit raised to 1e9 through configuration; the measured routes place no ARS call',
  machine,
  rows,
  targets,
  checks,
};
if (smoke) {
  const passed = checks.length - failed.length;
  writeFileSync(
    join(reports, 'bench-smoke.json'),
    JSON.stringify({ passed, failed: failed.length, failures: failed, report }, null, 2) + '\n',
  );
  log(`smoke: ${passed} checks passed, ${failed.length} failed (reports/bench-smoke.json)`);
} else {
  writeFileSync(join(reports, 'bench.json'), JSON.stringify(report, null, 2) + '\n');
  log(`wrote reports/bench.json${failed.length ? `; ${failed.length} checks FAILED` : ''}`);
}
if (!flag('keep')) rmSync(work, { recursive: true, force: true });
else log(`kept ${work}`);
process.exit(failed.length === 0 ? 0 : 1);
