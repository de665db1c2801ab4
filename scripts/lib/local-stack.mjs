// The real stack for end-to-end tests and benchmarks: the repository's run command (scripts/run,
// which builds the services with `dotnet build` when needed and starts dynalite, store-service and
// api-service, and with --pr each PR's tracks behind the local proxies) on free loopback ports, with
// no stored data. What a service received is read from its own JSON log lines, the same ones it
// writes in production.
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePorts } from './local-services.mjs';

const RUN = fileURLToPath(new URL('../run', import.meta.url));
const READY_LINE = 'Press Ctrl-C to stop.';
const START_TIMEOUT_MS = 6 * 60_000; // a first build of both services on a busy 2-core machine
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
 */

/**
 * @typedef {object} Stack
 * @property {number} port the api port (the stable api-service, or the local edge with PRs)
 * @property {number} storePort the store port (the stable store-service, or the local east-west proxy with PRs)
 * @property {(host: string) => string} origin the api port's origin under a host name, e.g. http://localhost:1234
 * @property {ServiceLog} api the stable api-service's log
 * @property {ServiceLog} store the stable store-service's log
 * @property {(name: string) => ServiceLog} log the log of a process, e.g. log('store-service-pr-42')
 * @property {(name: string) => Promise<string>} url the address of a process, e.g. url('api-service-pr-7')
 * @property {(name: string) => Promise<number>} pid the process id of a process
 * @property {string} state the state folder
 * @property {() => Promise<void>} stop stops everything (SIGTERM to scripts/run) and removes the state folder
 */

/** @param {LogEvent} event @param {string} method @param {string} path */
export function isRequestLine(event, method, path) {
  return event.SourceContext === REQUEST_LOG_SOURCE && event.RequestMethod === method && event.RequestPath === path;
}

/**
 * @param {{ corsOrigins?: string[], prs?: string[], env?: Record<string, string> }} options
 *   prs: the --pr arguments (e.g. ['42', '7:api-service']); env: added to scripts/run's environment
 * @returns {Promise<Stack>}
 */
export async function startStack({ corsOrigins = [], prs = [], env = {} } = {}) {
  const [apiPort, storePort, dynamoPort, apiMetricsPort, storeMetricsPort] = await freePorts(5);
  const state = await mkdtemp(join(tmpdir(), 'canary-stack-'));
  const args = [
    RUN,
    '--api-port', String(apiPort), '--store-port', String(storePort), '--dynamo-port', String(dynamoPort),
    '--api-metrics-port', String(apiMetricsPort), '--store-metrics-port', String(storeMetricsPort),
    '--state', state, '--in-memory',
    ...corsOrigins.flatMap((origin) => ['--cors-origin', origin]),
    ...prs.flatMap((pr) => ['--pr', pr]),
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
      const timer = setTimeout(() => reject(new Error(`the stack did not start in time:\n${output}`)), START_TIMEOUT_MS);
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
    api: log('api-service'),
    store: log('store-service'),
    log,
    url: async (name) => (await readFile(join(state, 'urls', name), 'utf8')).trim(),
    pid: async (name) => Number((await readFile(join(state, 'pids', name), 'utf8')).trim()),
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
  return {
    mark: async () => (await events()).length,
    since,
    waitFor: async (after, match) => {
      // A request is logged when its response has been sent, so the line may trail the response.
      const deadline = Date.now() + 10_000;
      for (;;) {
        const [found] = await since(after, match);
        if (found) return found;
        if (Date.now() > deadline) throw new Error(`no matching log line in ${file}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
  };
}
