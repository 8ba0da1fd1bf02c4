// Load generator of the client-overhead row, run pinned to the load core by run.mjs:
//   node client-load.mjs <json options>
// mode "client": the @member-phone/core client signs and sends each GET /users/v1/member itself;
// mode "fetch": raw fetch with an Authorization header signed before the timed window.
// `connections` loops run in parallel for a warm-up, then for the timed window; prints one JSON line.
import { performance } from 'node:perf_hooks';

import { signHmacAuthorization, createMemberPhoneClient } from '@member-phone/core';

const options = JSON.parse(process.argv[2]);
const { port, mode, seconds, warmupSeconds, connections, members, budget } = options;
const baseUrl = `http://127.0.0.1:${port}`;

const clients = members.map((m) =>
  createMemberPhoneClient({ baseUrl, auth: { type: 'hmac', apiKey: m.apiKey, apiSecret: m.apiSecret } }),
);
const headers = [];
if (mode === 'fetch') {
  for (let i = 0; i < budget; i++) {
    const m = members[i % members.length];
    headers.push(signHmacAuthorization({ apiKey: m.apiKey, apiSecret: m.apiSecret }));
  }
}

let next = 0;
async function once() {
  const i = next++;
  if (mode === 'client') {
    await clients[i % clients.length].getMember();
    return true;
  }
  if (i >= headers.length) throw new Error('ran out of pre-signed headers');
  const response = await globalThis.fetch(`${baseUrl}/users/v1/member`, {
    headers: { authorization: headers[i] },
  });
  await response.arrayBuffer();
  return response.status === 200;
}

async function phase(durationS, record) {
  const stopAt = performance.now() + durationS * 1000;
  const latencies = [];
  let ok = 0;
  let failed = 0;
  const loop = async () => {
    while (performance.now() < stopAt) {
      const t0 = performance.now();
      try {
        if (await once()) ok++;
        else failed++;
      } catch {
        failed++;
      }
      if (record) latencies.push(performance.now() - t0);
    }
  };
  const t0 = performance.now();
  await Promise.all(Array.from({ length: connections }, loop));
  return { ok, failed, elapsedS: (performance.now() - t0) / 1000, latencies };
}

await phase(warmupSeconds, false);
const cpuBefore = process.cpuUsage();
const timed = await phase(seconds, true);
const cpu = process.cpuUsage(cpuBefore);
timed.latencies.sort((a, b) => a - b);
const pct = (p) =>
  timed.latencies[Math.min(timed.latencies.length - 1, Math.floor((p / 100) * timed.latencies.length))] ?? 0;
process.stdout.write(
  JSON.stringify({
    requests: timed.ok + timed.failed,
    ok: timed.ok,
    non2xx: timed.failed,
    rps: (timed.ok + timed.failed) / timed.elapsedS,
    p50Ms: pct(50),
    p99Ms: pct(99),
    // The load generator's own CPU per request: what the client costs its caller, whatever the server does.
    cpuUsPerRequest: (cpu.user + cpu.system) / Math.max(1, timed.ok + timed.failed),
  }) + '\n',
);
