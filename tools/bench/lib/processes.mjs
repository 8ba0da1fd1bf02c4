// Starting and watching the processes of one row: the server pinned to core 0, wrk to core 1.
import { spawn } from 'node:child_process';
import { openSync, readFileSync } from 'node:fs';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { cpus } from 'node:os';
import { clearTimeout, setTimeout } from 'node:timers';

export const SERVER_CORE = '0';
/** A one-core machine (a small CI runner) shares its core: the smoke run still proves the harness. */
export const LOAD_CORE = cpus().length > 1 ? '1' : '0';
/** USER_HZ: /proc reports CPU time in these ticks; 100 on every Linux this runs on. */
const CLOCK_TICKS = 100;

/** A port the kernel says is free right now. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

/** One GET; resolves with the status code (0 when nothing answers). */
export function httpStatus(port, path) {
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, path, method: 'GET', agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', () => resolve(0));
    req.setTimeout(2000, () => req.destroy());
    req.end();
  });
}

/**
 * Starts `node <args>` pinned to the server core, output to `logFile`. Resolves once `readyPath`
 * answers 200, with the time that took measured from just before the spawn.
 */
export async function startServer({ args, env, port, logFile, readyPath = '/health', timeoutMs = 60_000 }) {
  const out = openSync(logFile, 'a');
  const started = process.hrtime.bigint();
  const child = spawn('taskset', ['-c', SERVER_CORE, process.execPath, ...args], {
    env: { ...process.env, ...env, PORT: String(port) },
    stdio: ['ignore', out, out],
  });
  let exited = null;
  child.once('exit', (code, signal) => {
    exited = { code, signal };
  });
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (exited) throw new Error(`server exited early (${JSON.stringify(exited)}); see ${logFile}`);
    if ((await httpStatus(port, readyPath)) === 200) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`server did not answer ${readyPath} within ${timeoutMs} ms; see ${logFile}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  const readyMs = Number(process.hrtime.bigint() - started) / 1e6;
  return {
    child,
    port,
    readyMs,
    logFile,
    /** Peak resident set size so far, MB (the kernel's high-water mark of the process). */
    peakRssMb() {
      try {
        const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
        return match ? Number(match[1]) / 1024 : null;
      } catch {
        return null;
      }
    },
    /** CPU seconds (user + system) the server has used so far: robust to a busy machine, unlike req/s. */
    cpuSeconds() {
      try {
        const fields = readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1].split(' ');
        return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
      } catch {
        return null;
      }
    },
    async stop() {
      if (exited) return;
      const gone = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      await gone;
      clearTimeout(timer);
    },
  };
}

/** Runs a command pinned to the load core; resolves with its stdout (rejects on a non-zero exit). */
export function runPinned(command, args, options = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn('taskset', ['-c', LOAD_CORE, command, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
      ...options,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.once('error', reject);
    child.once('exit', (code) => {
      if (code === 0) resolve(stdout);
      else reject(new Error(`${command} exited ${code}: ${stderr || stdout}`));
    });
  });
}
