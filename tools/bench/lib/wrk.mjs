import { join } from 'node:path';

import { benchDir } from './paths.mjs';
import { runPinned } from './processes.mjs';

const SCRIPT = join(benchDir, 'wrk', 'bench.lua');

/**
 * One wrk run on the load core: one thread, `connections` keep-alive connections, `seconds` long.
 * Sends the lines of `requestsFile` once each, or the static request when there is no file.
 */
export async function wrk({
  port,
  connections,
  seconds,
  requestsFile,
  delayMs = 0,
  method = 'GET',
  path = '/',
  body = '',
}) {
  const args = [
    '-t1',
    `-c${connections}`,
    `-d${seconds}s`,
    '--timeout',
    '5s',
    '-s',
    SCRIPT,
    `http://127.0.0.1:${port}${requestsFile ? '/' : path}`,
    '--',
    requestsFile ?? '-',
    String(delayMs),
    method,
    path,
    body,
  ];
  const stdout = await runPinned('wrk', args);
  const line = stdout.split('\n').find((l) => l.startsWith('BENCH_RESULT '));
  if (!line) throw new Error(`wrk printed no result:\n${stdout}`);
  const raw = JSON.parse(line.slice('BENCH_RESULT '.length));
  const seconds_ = raw.durationUs / 1e6;
  const errors = raw.connectErrors + raw.readErrors + raw.writeErrors + raw.timeouts;
  return {
    requests: raw.requests,
    rps: raw.requests / seconds_,
    ok: raw.requests - raw.non2xx,
    non2xx: raw.non2xx,
    socketErrors: errors,
    p50Ms: raw.p50Us / 1000,
    p90Ms: raw.p90Us / 1000,
    p99Ms: raw.p99Us / 1000,
    maxMs: raw.maxUs / 1000,
    meanMs: raw.meanUs / 1000,
    wrapped: raw.wrapped > 0,
  };
}
