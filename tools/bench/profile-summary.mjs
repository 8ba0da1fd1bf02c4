#!/usr/bin/env node
// Summarizes a V8 .cpuprofile (node --cpu-prof): self time by function and by package, and the
// inclusive time of the functions named on the command line.
//   node tools/bench/profile-summary.mjs <file.cpuprofile> [top N] [function names…]
import { readFileSync } from 'node:fs';

const [file, topArg, ...focus] = process.argv.slice(2);
const top = Number(topArg ?? 30);
const profile = JSON.parse(readFileSync(file, 'utf8'));
const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

const self = new Map();
const dt = profile.timeDeltas;
for (let i = 0; i < profile.samples.length; i++) {
  const id = profile.samples[i];
  self.set(id, (self.get(id) ?? 0) + (dt[i] ?? 0));
}
const total = [...self.values()].reduce((a, b) => a + b, 0);
const where = (n) => {
  const url = n.callFrame.url || '';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)?.[1];
  if (pkg) return pkg;
  if (url.includes('/apps/api/dist/')) return 'app:' + url.split('/apps/api/dist/')[1];
  if (url.includes('/libs/core/dist/')) return 'core:' + url.split('/libs/core/dist/')[1];
  if (url.startsWith('node:')) return url;
  return url || `(${n.callFrame.functionName || 'native'})`;
};
const byFn = new Map();
const byPkg = new Map();
for (const [id, t] of self) {
  const n = nodes.get(id);
  const key = `${n.callFrame.functionName || '(anonymous)'}  ${where(n)}:${n.callFrame.lineNumber + 1}`;
  byFn.set(key, (byFn.get(key) ?? 0) + t);
  const pkg = where(n)
    .split(':')
    .slice(0, 2)
    .join(':')
    .replace(/^app:([^/]+).*/, 'app:$1');
  byPkg.set(pkg, (byPkg.get(pkg) ?? 0) + t);
}
const pct = (t) => ((100 * t) / total).toFixed(1).padStart(5) + ' %';
console.log(`total sampled ${(total / 1e3).toFixed(0)} ms`);
console.log('\n-- self time by package/area');
for (const [k, t] of [...byPkg].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(pct(t), k);
console.log('\n-- self time by function');
for (const [k, t] of [...byFn].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(pct(t), k);
// Inclusive time: a sample counts once for every distinct named function on its stack.
if (focus.length) {
  console.log('\n-- inclusive time');
  const inc = new Map(focus.map((f) => [f, 0]));
  for (const [id, t] of self) {
    const seen = new Set();
    for (let cur = id; cur !== undefined; cur = parent.get(cur)) {
      const name = nodes.get(cur).callFrame.functionName;
      if (inc.has(name) && !seen.has(name)) {
        seen.add(name);
        inc.set(name, inc.get(name) + t);
      }
    }
  }
  for (const [k, t] of inc) console.log(pct(t), k);
}
// `BENCH_CALLERS=name` prints the heaviest call chains (5 frames) leading to that function.
if (process.env.BENCH_CALLERS) {
  const chains = new Map();
  for (const [id, t] of self) {
    let cur = id;
    while (cur !== undefined && nodes.get(cur).callFrame.functionName !== process.env.BENCH_CALLERS)
      cur = parent.get(cur);
    if (cur === undefined) continue;
    const frames = [];
    for (let up = cur, i = 0; up !== undefined && i < 6; up = parent.get(up), i++) {
      const n = nodes.get(up);
      frames.push(`${n.callFrame.functionName || '(anon)'}@${where(n)}:${n.callFrame.lineNumber + 1}`);
    }
    const key = frames.join(' < ');
    chains.set(key, (chains.get(key) ?? 0) + t);
  }
  console.log(`\n-- callers of ${process.env.BENCH_CALLERS}`);
  for (const [k, t] of [...chains].sort((a, b) => b[1] - a[1]).slice(0, 8)) console.log(pct(t), k);
}
