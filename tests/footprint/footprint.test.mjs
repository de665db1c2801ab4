// The footprint guard: the Native AOT binaries the test command publishes (artifacts/aot/, or
// STORE_SERVICE_EXECUTABLE / API_SERVICE_EXECUTABLE) are started against dynalite exactly as
// bench/footprint.sh starts them (with the environment the AppHost gives them, read from one run
// of the stack), and each service's private anonymous memory, idle, must stay within its budget.
// Memory, not time: nothing here is timed except the wait for readiness.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { connect } from 'node:http2';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { privateAnonymousKiB, processMemory } from '../../bench/process-memory.mjs';
import { freePorts, startStack } from '../../scripts/lib/local-stack.mjs';

const REPO = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * Private anonymous memory (MiB) each AOT service may hold 2 s after the api is ready: what
 * bench/footprint.md records (11.5 and 11.6 MiB), plus 10 %. Lower a budget when a change wins
 * memory back; raise one only with the figures in bench/footprint.md that justify it.
 */
const IDLE_PRIVATE_ANONYMOUS_BUDGET_MIB = { StoreService: 12.7, ApiService: 12.8 };

/** The same idle moment as bench/footprint.sh: 2 s after the api first answers ready. */
const IDLE_MS = 2_000;
const READY_TIMEOUT_MS = 60_000;

const HOW_TO_MEASURE = [
  'Measure it side by side with the last good commit:',
  '  scripts/publish-aot.sh StoreService OUT/StoreService && scripts/publish-aot.sh ApiService OUT/ApiService   (once per commit)',
  '  bench/footprint.sh --compare good=GOOD_OUT now=OUT',
  'and bisect with a publish per commit in a throwaway worktree (git worktree add --detach), as bench/footprint.md describes.',
].join('\n');

/** @param {string} service */
function executable(service) {
  const variable = service === 'StoreService' ? 'STORE_SERVICE_EXECUTABLE' : 'API_SERVICE_EXECUTABLE';
  const path = process.env[variable] || join(REPO, 'artifacts', 'aot', service, service);
  if (!existsSync(path)) {
    throw new Error(`${path} does not exist: publish it with scripts/publish-aot.sh ${service} ${dirname(path)} or set ${variable}`);
  }
  return path;
}

/** grpc.health.v1.Health/Check for "store.v1.StoreService" (field 1, a string) answers SERVING (field 1 = 1). */
function storeServing(/** @type {number} */ port) {
  const service = Buffer.from('store.v1.StoreService');
  const message = Buffer.concat([Buffer.from([0x0a, service.length]), service]);
  const frame = Buffer.concat([Buffer.from([0, 0, 0, 0, message.length]), message]);
  return new Promise((resolve, reject) => {
    const session = connect(`http://127.0.0.1:${port}`);
    session.on('error', reject);
    const call = session.request({
      ':method': 'POST', ':path': '/grpc.health.v1.Health/Check', 'content-type': 'application/grpc', te: 'trailers',
    });
    /** @type {Buffer[]} */ const chunks = [];
    call.on('data', (chunk) => chunks.push(chunk));
    call.on('error', reject);
    call.on('end', () => {
      session.close();
      resolve(Buffer.concat(chunks).equals(Buffer.from([0, 0, 0, 0, 2, 0x08, 0x01])));
    });
    call.end(frame);
  });
}

describe('private anonymous memory as bench/process-memory.mjs reads it', () => {
  test('counts Private_Dirty of anonymous mappings only', () => {
    const smaps = [
      '55d0c0000000-55d0c1000000 r-xp 00000000 fd:01 1234                       /app/ApiService',
      'Private_Dirty:         8 kB',
      '55d0c2000000-55d0c2100000 rw-p 01000000 fd:01 1234                       /app/ApiService',
      'Private_Dirty:       100 kB',
      '55d0c3000000-55d0c3200000 rw-p 00000000 00:00 0                          [heap]',
      'Private_Dirty:       300 kB',
      '7f0000000000-7f0001000000 rw-p 00000000 00:00 0 ',
      'Shared_Dirty:         50 kB',
      'Private_Dirty:      4000 kB',
      '7f0002000000-7f0002001000 rw-p 00000000 00:00 0                          [anon:GC heap]',
      'Private_Dirty:        20 kB',
      '7ffc00000000-7ffc00021000 rw-p 00000000 00:00 0                          [stack]',
      'Private_Dirty:        40 kB',
      '7ffc00100000-7ffc00102000 r-xp 00000000 00:00 0                          [vdso]',
      'Private_Dirty:         4 kB',
    ].join('\n');
    assert.equal(privateAnonymousKiB(smaps), 300 + 4000 + 20 + 40);
  });

  test('reads a live process', () => {
    const memory = processMemory(process.pid);
    assert.ok(memory.privateAnonymousKiB > 0 && memory.privateAnonymousKiB <= memory.rssKiB, JSON.stringify(memory));
  });
});

describe('the Native AOT services idle within their private anonymous memory budgets', () => {
  /** @type {{ name: string, child: import('node:child_process').ChildProcess, output: () => string }[]} */
  const processes = [];
  /** @type {Record<string, number>} */
  const pids = {};

  /** @param {string} name @param {string} command @param {string[]} args @param {Record<string, string>} env */
  function start(name, command, args, env = {}) {
    const child = spawn(command, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout?.on('data', (chunk) => { output += chunk; });
    child.stderr?.on('data', (chunk) => { output += chunk; });
    processes.push({ name, child, output: () => output });
    return child;
  }

  /** @param {string} what @param {() => Promise<boolean>} ready */
  async function waitUntil(what, ready) {
    const deadline = Date.now() + READY_TIMEOUT_MS;
    for (;;) {
      const exited = processes.find(({ child }) => child.exitCode !== null || child.signalCode !== null);
      if (exited) throw new Error(`${exited.name} exited while starting:\n${exited.output().slice(-4000)}`);
      if (await ready().catch(() => false)) return;
      if (Date.now() > deadline) {
        throw new Error(`${what} was not ready within ${READY_TIMEOUT_MS / 1000} s:\n${processes.map((p) => `${p.name}:\n${p.output().slice(-2000)}`).join('\n')}`);
      }
      await sleep(50);
    }
  }

  /**
   * A service's environment as the AppHost gives it (the stack runs without its dashboard, so no
   * telemetry settings), without what bench/footprint.sh leaves out: the api's Development environment.
   * @param {Record<string, string>} environment
   */
  const asShipped = (environment) => Object.fromEntries(
    Object.entries(environment).filter(([name]) => name !== 'ASPNETCORE_ENVIRONMENT'));

  before(async () => {
    const store = executable('StoreService');
    const api = executable('ApiService');
    // The stack runs once, not measured, for the services' environment; the measured processes then
    // run alone, on ports of their own (the stack's may still be held while it winds down) and a
    // dynalite of their own.
    const stack = await startStack({ args: ['--engine', 'dynalite', '--no-dashboard'] });
    const [stackStore, stackApi] = [await stack.environment('store-service'), await stack.environment('api-service')];
    await stack.stop();
    const [dynamoPort, storePort, apiPort, storeManagementPort, apiManagementPort] = await freePorts(5);
    const storeEnvironment = {
      ...asShipped(stackStore), Store__ServiceUrl: `http://127.0.0.1:${dynamoPort}`, Management__Port: String(storeManagementPort),
    };
    const apiEnvironment = {
      ...asShipped(stackApi), StoreService__Address: `http://127.0.0.1:${storePort}`, Management__Port: String(apiManagementPort),
    };
    start('dynalite', join(REPO, 'tools', 'dynalite', 'node_modules', '.bin', 'dynalite'), ['--host', '127.0.0.1', '--port', String(dynamoPort)]);
    const storeArgs = ['--urls', `http://127.0.0.1:${storePort}`];
    // Not measured, as in bench/footprint.sh: a first start creates the table, so the measured
    // start finds it ACTIVE, as in a cluster.
    const setup = start('StoreService (set-up)', store, storeArgs, storeEnvironment);
    await waitUntil('the store', () => storeServing(storePort));
    await stop(setup);
    processes.splice(processes.findIndex(({ child }) => child === setup), 1);

    pids.StoreService = start('StoreService', store, storeArgs, storeEnvironment).pid ?? 0;
    // The api starts against a serving store, as bench/footprint.sh starts it: its first health
    // round then finds the store, and start-up is over once the api is ready.
    await waitUntil('the store', () => storeServing(storePort));
    pids.ApiService = start('ApiService', api, ['--urls', `http://127.0.0.1:${apiPort}`], apiEnvironment).pid ?? 0;
    // Ready means the api reached the store over gRPC and the store found its table in dynalite.
    await waitUntil('the api', async () => (await fetch(`http://127.0.0.1:${apiPort}/healthz/ready`, { signal: AbortSignal.timeout(2_000) })).ok);
    await sleep(IDLE_MS);
  });

  /** SIGTERM, then SIGKILL after 25 s. @param {import('node:child_process').ChildProcess} child */
  async function stop(child) {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    const stopped = await Promise.race([exited.then(() => true), sleep(25_000).then(() => false)]);
    if (!stopped) {
      child.kill('SIGKILL');
      await exited;
    }
  }

  after(async () => {
    for (const { child } of processes.reverse()) await stop(child);
  });

  for (const service of /** @type {const} */ (['StoreService', 'ApiService'])) {
    test(`${service}: idle private anonymous memory within ${IDLE_PRIVATE_ANONYMOUS_BUDGET_MIB[service]} MiB`, () => {
      const memory = processMemory(pids[service]);
      const mib = memory.privateAnonymousKiB / 1024;
      const budget = IDLE_PRIVATE_ANONYMOUS_BUDGET_MIB[service];
      console.log(`${service}: idle private anonymous ${mib.toFixed(1)} MiB (budget ${budget} MiB), RSS ${(memory.rssKiB / 1024).toFixed(1)} MiB`);
      assert.ok(mib <= budget, [
        `${service} idles with ${mib.toFixed(1)} MiB of private anonymous memory, above its budget of ${budget} MiB`,
        `(IDLE_PRIVATE_ANONYMOUS_BUDGET_MIB in tests/footprint/footprint.test.mjs; the figures behind it are in bench/footprint.md).`,
        'Every replica of every PR canary pays this memory.',
        HOW_TO_MEASURE,
      ].join('\n'));
    });
  }
});
