// The real stack for the JavaScript tests and benchmarks: the repository's run command (scripts/run,
// which builds and runs the AppHost: a local DynamoDB, store-service and api-service, with --pr each
// PR's tracks behind the local proxies, and the dashboard) on free loopback ports, with no stored
// data. This module describes no process: it starts the command, waits for its ready line, and
// reads what the command keeps in its state folder (logs/, pids/, urls/). What a service received
// is read from its own JSON log lines, the same ones it writes in production.
//
//   node scripts/lib/local-stack.mjs free-ports <count>   loopback ports, space-separated (for shell scripts)
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const RUN = fileURLToPath(new URL('../run', import.meta.url));
const READY_LINE = 'Press Ctrl-C to stop.';
const START_TIMEOUT_MS = 6 * 60_000; // a first build of the AppHost and the services on a busy 2-core machine
const REQUEST_LOG_SOURCE = 'Serilog.AspNetCore.RequestLoggingMiddleware';

/**
 * A JSON log event of a service (Serilog compact JSON).
 * @typedef {Record<string, unknown>} LogEvent
 */

/**
 * @typedef {object} ServiceLog
 * @property {() => Promise<number>} mark how many events there are now; later lookups see only newer ones
 * @property {(after: number, match: (event: LogEvent) => boolean) => Promise<LogEvent>} waitFor the first newer matching event
 * @property {(after: number, match: (event: LogEvent) => boolean) => Promise<LogEvent[]>} since every newer matching event so far
 * @property {(after: number, match: (event: LogEvent) => boolean, count: number) => Promise<LogEvent[]>} waitForCount every newer matching event, once there are at least count (30 s at most)
 */

/**
 * @typedef {object} Stack
 * @property {number} port the api port (the stable api-service, or the local edge with PRs)
 * @property {number} storePort the store port (the stable store-service, or the local east-west proxy with PRs)
 * @property {(host: string) => string} origin the api port's origin under a host name, e.g. http://localhost:1234
 * @property {string} dashboard the dashboard's origin (UI and telemetry API, /api/telemetry/...)
 * @property {ServiceLog} api the stable api-service's log
 * @property {ServiceLog} store the stable store-service's log
 * @property {(name: string) => ServiceLog} log the log of a process, e.g. log('store-service-pr-42')
 * @property {(name: string) => Promise<string>} url the address of a process, e.g. url('api-service-pr-7')
 * @property {(name: string) => Promise<number>} pid the process id of a process
 * @property {(name: string) => Promise<Record<string, string>>} environment the environment the AppHost gave a process
 * @property {string} state the state folder
 * @property {() => Promise<void>} stop stops everything (SIGTERM to scripts/run) and removes the state folder
 */

/** @param {LogEvent} event @param {string} method @param {string} path */
export function isRequestLine(event, method, path) {
  return event.SourceContext === REQUEST_LOG_SOURCE && event.RequestMethod === method && event.RequestPath === path;
}

/**
 * @param {{ corsOrigins?: string[], prs?: string[], prData?: 'shared' | 'isolated', env?: Record<string, string>,
 *   args?: string[], run?: string, startTimeoutMs?: number }} options
 *   prs: the --pr arguments (e.g. ['42', '7:api-service']); prData: --pr-data; env: added to scripts/run's environment;
 *   args: more arguments (e.g. ['--engine', 'dynalite']); run: another checkout's scripts/run (default this one's);
 *   startTimeoutMs: how long the start may take
 * @returns {Promise<Stack>}
 */
export async function startStack({
  corsOrigins = [], prs = [], prData = 'shared', env = {}, args: extra = [], run: runCommand = RUN, startTimeoutMs = START_TIMEOUT_MS,
} = {}) {
  const [apiPort, storePort, dynamoPort, apiMetricsPort, storeMetricsPort, dashboardPort, otlpPort] = await freePorts(7);
  const state = await mkdtemp(join(tmpdir(), 'canary-stack-'));
  const args = [
    runCommand,
    '--api-port', String(apiPort), '--store-port', String(storePort), '--dynamo-port', String(dynamoPort),
    '--api-metrics-port', String(apiMetricsPort), '--store-metrics-port', String(storeMetricsPort),
    '--dashboard-port', String(dashboardPort), '--otlp-port', String(otlpPort),
    '--state', state, '--in-memory',
    ...corsOrigins.flatMap((origin) => ['--cors-origin', origin]),
    ...prs.flatMap((pr) => ['--pr', pr]),
    '--pr-data', prData,
    ...extra,
  ];
  const run = spawn('bash', args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  /** @type {Promise<number | null>} */
  const exited = new Promise((resolve) => run.once('exit', (code) => resolve(code)));
  let output = '';
  run.stdout.on('data', (chunk) => { output += chunk; });
  run.stderr.on('data', (chunk) => { output += chunk; });

  const stop = async () => {
    if (run.exitCode === null && run.signalCode === null) run.kill('SIGTERM');
    await exited;
    await rm(state, { recursive: true, force: true });
  };

  try {
    await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the stack did not start in time:\n${output}`)), startTimeoutMs);
      const check = () => {
        if (output.includes(READY_LINE)) {
          clearTimeout(timer);
          resolve(undefined);
        }
      };
      run.stdout.on('data', check);
      exited.then((code) => {
        clearTimeout(timer);
        reject(new Error(`scripts/run exited (${code}) before the stack was ready:\n${output}`));
      });
    });
  } catch (error) {
    await stop();
    throw error;
  }

  const log = (/** @type {string} */ name) => serviceLog(join(state, 'logs', `${name}.log`));
  return {
    port: apiPort,
    storePort,
    origin: (host) => `http://${host}:${apiPort}`,
    dashboard: `http://127.0.0.1:${dashboardPort}`,
    api: log('api-service'),
    store: log('store-service'),
    log,
    url: async (name) => (await readFile(join(state, 'urls', name), 'utf8')).trim(),
    pid: async (name) => Number((await readFile(join(state, 'pids', name), 'utf8')).trim()),
    environment: async (name) => Object.fromEntries((await readFile(join(state, 'env', name), 'utf8'))
      .split('\0').filter(Boolean).map((entry) => [entry.slice(0, entry.indexOf('=')), entry.slice(entry.indexOf('=') + 1)])),
    state,
    stop,
  };
}

/**
 * @param {string} file
 * @returns {ServiceLog}
 */
function serviceLog(file) {
  const events = async () => (await readFile(file, 'utf8'))
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => /** @type {LogEvent} */ (JSON.parse(line)));
  /** @type {ServiceLog['since']} */
  const since = async (after, match) => (await events()).slice(after).filter(match);
  /** @type {ServiceLog['waitForCount']} */
  const waitForCount = async (after, match, count) => {
    // A request is logged when its response has been sent, and the line reaches the file through
    // the orchestrator's log stream: it may trail the response, by seconds on a busy machine.
    const deadline = Date.now() + 30_000;
    for (;;) {
      const found = await since(after, match);
      if (found.length >= count || Date.now() > deadline) return found;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };
  return {
    mark: async () => (await events()).length,
    since,
    waitForCount,
    waitFor: async (after, match) => {
      const [found] = await waitForCount(after, match, 1);
      if (!found) throw new Error(`no matching log line in ${file}`);
      return found;
    },
  };
}

/**
 * Loopback ports that were free a moment ago (held together, so they differ).
 * @param {number} count
 * @returns {Promise<number[]>}
 */
export async function freePorts(count) {
  const servers = await Promise.all(Array.from({ length: count }, () => new Promise(
    /** @param {(server: import('node:net').Server) => void} resolve */
    (resolve, reject) => {
      const server = createServer();
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve(server));
    })));
  const ports = servers.map((server) => {
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('no TCP address');
    return address.port;
  });
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(() => resolve(undefined)))));
  return ports;
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [command, count] = process.argv.slice(2);
  if (command !== 'free-ports' || !(Number(count) > 0)) {
    console.error('usage: local-stack.mjs free-ports <count>');
    process.exit(2);
  }
  console.log((await freePorts(Number(count))).join(' '));
}
