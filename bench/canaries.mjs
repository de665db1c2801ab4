// The measuring half of bench/canaries.sh (which publishes the Native AOT binaries first).
//   node bench/canaries.mjs N [--requests COUNT] [--concurrency C]
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { Agent } from 'node:http';
import { join } from 'node:path';
import { freePorts, startStack } from '../scripts/lib/local-stack.mjs';
import { itemBody, mixedLoad, quantile, send } from '../tests/multi-track/mixed-load.mjs';

const [count, ...rest] = process.argv.slice(2);
const n = Number(count);
const option = (name, fallback) => (rest.includes(name) ? Number(rest[rest.indexOf(name) + 1]) : fallback);
const requests = option('--requests', 1200);
const concurrency = option('--concurrency', 6);
const latencySamples = 1000;

/** @param {number} pid */
async function rssMiB(pid) {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? NaN) / 1024;
}

const prs = Array.from({ length: n }, (_, i) => String(i + 1));
console.log(`starting stable + ${n} PR canaries (both services each), Native AOT, behind the local proxies`);
const started = Date.now();
const stack = await startStack({ prs });
console.log(`ready in ${((Date.now() - started) / 1000).toFixed(0)} s; load average ${(await readFile('/proc/loadavg', 'utf8')).split(' ').slice(0, 3).join(' ')}`);
let direct;
try {
  // An api-service like stable's (the environment the AppHost gave it), but dialing the stable
  // store directly: the path without proxies.
  const [port, metrics] = await freePorts(2);
  const stableEnvironment = Object.fromEntries((await readFile(join(stack.state, 'env', 'api-service'), 'utf8'))
    .split('\0').filter(Boolean).map((entry) => [entry.slice(0, entry.indexOf('=')), entry.slice(entry.indexOf('=') + 1)]));
  const environment = {
    ...stableEnvironment, StoreService__Address: await stack.url('store-service'), Management__Port: String(metrics),
  };
  direct = spawn(process.env.API_SERVICE_EXECUTABLE ?? 'false', ['--urls', `http://127.0.0.1:${port}`], {
    env: { ...process.env, ...environment }, stdio: 'ignore',
  });
  const directOrigin = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    const ready = await send(directOrigin, 'GET', '/healthz/ready').catch(() => ({ status: 0 }));
    if (ready.status === 200) break;
    if (i > 200) throw new Error('the direct api-service did not become ready');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }

  const memoryOf = async () => {
    const tracks = [];
    for (const pr of prs) {
      const api = await rssMiB(await stack.pid(`api-service-pr-${pr}`));
      const store = await rssMiB(await stack.pid(`store-service-pr-${pr}`));
      tracks.push({ pr, api, store, total: api + store });
    }
    return tracks;
  };
  const idle = await memoryOf();

  const edge = stack.origin('127.0.0.1');
  const tracks = Object.fromEntries(prs.map((pr) => [pr, ['api-service', 'store-service']]));
  const values = [...prs, String(n + 1), undefined, 'abc'];
  const load = await mixedLoad({ origin: edge, tenant: 700001, values, tracks, count: requests, concurrency });

  // Proxies' cost: the same read, one at a time, alternating between the two paths.
  const headers = /** @type {[string, string][]} */ ([['X-Tenant-ID', '700002']]);
  const created = await send(edge, 'POST', '/api/v1/items', { headers, body: itemBody('latency') });
  const path = `/api/v1/items/${JSON.parse(created.body).id}`;
  const agents = { edge: new Agent({ keepAlive: true, maxSockets: 1 }), direct: new Agent({ keepAlive: true, maxSockets: 1 }) };
  const times = { edge: [], direct: [] };
  for (let i = 0; i < latencySamples + 100; i++) {
    for (const [name, origin] of i % 2 ? [['edge', edge], ['direct', directOrigin]] : [['direct', directOrigin], ['edge', edge]]) {
      const reply = await send(origin, 'GET', path, { headers, agent: agents[name] });
      if (reply.status !== 200) throw new Error(`${name}: ${reply.status}`);
      if (i >= 100) times[name].push(reply.ms); // the first 100 of each warm the connections up
    }
  }
  Object.values(agents).forEach((agent) => agent.destroy());

  const memory = await memoryOf();
  const stable = (await rssMiB(await stack.pid('api-service'))) + (await rssMiB(await stack.pid('store-service')));
  const proxies = (await rssMiB(await stack.pid('edge-proxy'))) + (await rssMiB(await stack.pid('east-west-proxy')));
  const sumOf = (tracks) => tracks.reduce((total, m) => total + m.total, 0);
  const [sum, idleSum] = [sumOf(memory), sumOf(idle)];
  const fmt = (value) => value.toFixed(1);

  console.log(`\n== ${n} PR canaries: resident memory (VmRSS) after the load`);
  console.log('PR track        api MiB  store MiB  total MiB  (idle, before the load)');
  memory.forEach((m, i) => console.log(
    `pr-${m.pr.padEnd(12)} ${fmt(m.api).padStart(7)} ${fmt(m.store).padStart(10)} ${fmt(m.total).padStart(10)}  (${fmt(idle[i].total)})`));
  console.log(`sum ${fmt(sum)} MiB, per PR track (sum / ${n}) ${fmt(sum / n)} MiB (idle ${fmt(idleSum / n)} MiB); stable track ${fmt(stable)} MiB; both proxies ${fmt(proxies)} MiB (JIT)`);
  console.log(`\n== mixed load through the edge: ${load.requests} requests, ${concurrency} at a time, values ${values.map(String).join(' ')}`);
  console.log(`misroutes ${load.misroutes}, errors ${load.errors}; p50 ${fmt(quantile(load.latencies, 0.5))} ms, p99 ${fmt(quantile(load.latencies, 0.99))} ms`);
  for (const example of load.examples) console.log(`  ${example}`);
  const p50 = { edge: quantile(times.edge, 0.5), direct: quantile(times.direct, 0.5) };
  console.log(`\n== proxies' cost: GET ${'/api/v1/items/{id}'}, ${latencySamples} each, alternating, one at a time`);
  console.log(`p50 through edge + east-west ${p50.edge.toFixed(2)} ms, direct ${p50.direct.toFixed(2)} ms: ratio ${(p50.edge / p50.direct).toFixed(2)}`);
  console.log(`p99 through edge + east-west ${quantile(times.edge, 0.99).toFixed(2)} ms, direct ${quantile(times.direct, 0.99).toFixed(2)} ms`);
  console.log(`load average ${(await readFile('/proc/loadavg', 'utf8')).split(' ').slice(0, 3).join(' ')}`);
} finally {
  direct?.kill('SIGTERM');
  await stack.stop();
}
