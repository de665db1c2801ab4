// The load and the clock of bench/stall.sh (run that, not this): keeps requests going against a
// running stack, freezes its local DynamoDB (SIGSTOP) for a while and resumes it (SIGCONT), and
// prints what callers saw. Every request is timed from the moment it was sent to its answer.
//
//   node bench/stall.mjs --api URL --store URL --tenant N --item ID --engine-pid PID
//                        [--concurrency N] [--freeze SECONDS] [--label TEXT]
//
// Phases: 4 s warm-up (not counted), 4 s baseline, the freeze, 4 s after it. Each worker sends,
// one after the other, GET /api/v1/items/{id} (half), PATCH .../inventory +1 and POST /api/v1/items
// (a quarter each), without Idempotency-Key. Alongside, /healthz/ready of the api and the store's
// grpc.health.v1 Check for store.v1.StoreService are polled every 20 ms. Output: one JSON line.
import http2 from 'node:http2';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import protobuf from 'protobufjs';

const { values: args } = parseArgs({
  options: {
    api: { type: 'string' }, store: { type: 'string' }, tenant: { type: 'string' }, item: { type: 'string' },
    'engine-pid': { type: 'string' }, concurrency: { type: 'string', default: '16' }, freeze: { type: 'string', default: '5' },
    label: { type: 'string', default: '' },
  },
});
const concurrency = Number(args.concurrency);
const freezeMs = Number(args.freeze) * 1000;
const warmUpMs = 4000, baselineMs = 4000, afterMs = 4000;
const headers = { 'X-Tenant-ID': args.tenant, 'Content-Type': 'application/json' };

const require = createRequire(import.meta.url);
const healthProto = join(dirname(require.resolve('grpc-health-check/package.json')), 'proto', 'health', 'v1', 'health.proto');
const health = await new protobuf.Root().load(healthProto, { keepCase: true });
const checkRequest = health.lookupType('grpc.health.v1.HealthCheckRequest');
const checkResponse = health.lookupType('grpc.health.v1.HealthCheckResponse');

const start = performance.now();
const now = () => performance.now() - start;
const requests = [];
const probes = { api: [], store: [] };
let running = true;

async function send(op) {
  const sent = now();
  let status;
  try {
    const response = op === 'read'
      ? await fetch(`${args.api}/api/v1/items/${args.item}`, { headers })
      : op === 'change'
        ? await fetch(`${args.api}/api/v1/items/${args.item}/inventory`, { method: 'PATCH', headers, body: '{"quantity_change":1}' })
        : await fetch(`${args.api}/api/v1/items`, { method: 'POST', headers, body: '{"name":"Stall bench","price":1,"category":"books"}' });
    await response.arrayBuffer();
    status = response.status;
  } catch {
    status = 0; // no HTTP answer at all
  }
  requests.push({ op, sent, answered: now(), status });
}

async function worker(index) {
  for (let i = index; running; i++) {
    await send(i % 4 < 2 ? 'read' : i % 4 === 2 ? 'change' : 'create');
  }
}

const storeSession = http2.connect(args.store);
storeSession.on('error', () => {});
const frame = (message) => {
  const body = checkRequest.encode(message).finish();
  const framed = Buffer.alloc(5 + body.length);
  framed.writeUInt32BE(body.length, 1);
  Buffer.from(body).copy(framed, 5);
  return framed;
};
const checkBody = frame({ service: 'store.v1.StoreService' });

function storeServing() {
  return new Promise((resolve) => {
    const call = storeSession.request({
      ':method': 'POST', ':path': '/grpc.health.v1.Health/Check', 'content-type': 'application/grpc', te: 'trailers', 'grpc-timeout': '1S',
    });
    const chunks = [];
    call.on('data', (chunk) => chunks.push(chunk));
    call.on('end', () => {
      const data = Buffer.concat(chunks);
      resolve(data.length > 5 && checkResponse.decode(data.subarray(5)).status === 1);
    });
    call.on('error', () => resolve(false));
    call.end(checkBody);
  });
}

async function poll(name, probe) {
  while (running) {
    const at = now();
    let ok;
    try { ok = await probe(); } catch { ok = false; }
    probes[name].push({ at, ok });
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const workers = Array.from({ length: concurrency }, (_, i) => worker(i));
const pollers = [
  poll('api', async () => (await fetch(`${args.api}/healthz/ready`).then(async (r) => { await r.arrayBuffer(); return r.status; })) === 200),
  poll('store', storeServing),
];
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

await sleep(warmUpMs);
const baselineFrom = now();
await sleep(baselineMs);
const frozenAt = now();
process.kill(Number(args['engine-pid']), 'SIGSTOP');
await sleep(freezeMs);
const resumedAt = now();
process.kill(Number(args['engine-pid']), 'SIGCONT');
await sleep(afterMs);
running = false;
await Promise.all([...workers, ...pollers]);
storeSession.close();

const percentile = (values, p) => {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
};
const answerTimes = (from, to, ops) => requests
  .filter((r) => r.sent >= from && r.sent < to && ops.includes(r.op))
  .map((r) => r.answered - r.sent);
const statuses = (from, to, ops) => requests
  .filter((r) => r.sent >= from && r.sent < to && ops.includes(r.op))
  .reduce((counts, r) => ({ ...counts, [r.status]: (counts[r.status] ?? 0) + 1 }), {});
const firstAfter = (samples, since, ok) => samples.find((s) => s.at >= since && s.ok === ok)?.at ?? null;
const firstOkSentAfter = (since, ops) => requests
  .filter((r) => r.sent >= since && ops.includes(r.op) && r.status >= 200 && r.status < 300)
  .reduce((first, r) => (first === null || r.answered < first ? r.answered : first), null);
const since = (at, origin) => (at === null ? null : Math.round(at - origin));
const phase = (from, to) => {
  const reads = answerTimes(from, to, ['read']), writes = answerTimes(from, to, ['change', 'create']);
  return {
    reads: { count: reads.length, p50: percentile(reads, 50), p99: percentile(reads, 99), max: percentile(reads, 100), statuses: statuses(from, to, ['read']) },
    writes: { count: writes.length, p50: percentile(writes, 50), p99: percentile(writes, 99), max: percentile(writes, 100), statuses: statuses(from, to, ['change', 'create']) },
  };
};

console.log(JSON.stringify({
  label: args.label,
  baseline: phase(baselineFrom, frozenAt),
  frozen: phase(frozenAt, resumedAt),
  storeNotServingMs: since(firstAfter(probes.store, frozenAt, false), frozenAt),
  apiNotReadyMs: since(firstAfter(probes.api, frozenAt, false), frozenAt),
  storeServingMs: since(firstAfter(probes.store, resumedAt, true), resumedAt),
  apiReadyMs: since(firstAfter(probes.api, resumedAt, true), resumedAt),
  firstReadOkMs: since(firstOkSentAfter(resumedAt, ['read']), resumedAt),
  firstWriteOkMs: since(firstOkSentAfter(resumedAt, ['change', 'create']), resumedAt),
  // Requests sent during the freeze that were still unanswered at the resume, answered by then.
  lastFrozenAnswerMs: since(requests.filter((r) => r.sent >= frozenAt && r.sent < resumedAt)
    .reduce((last, r) => Math.max(last, r.answered), resumedAt), resumedAt),
}));
