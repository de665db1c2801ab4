// The real stack for the end-to-end test: the repository's run command (scripts/run, which builds
// the services with `dotnet build` when needed and starts dynalite, store-service and api-service)
// on free loopback ports, with no stored data and the test page's origin allowed by CORS. What a
// service received is read from its own JSON log lines, the same ones it writes in production.
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePorts } from '../../../scripts/lib/local-services.mjs';

const RUN = fileURLToPath(new URL('../../../scripts/run', import.meta.url));
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
 * @property {number} port the api-service's port
 * @property {(host: string) => string} origin the api-service's origin under a host name, e.g. http://localhost:1234
 * @property {ServiceLog} api the api-service's log
 * @property {ServiceLog} store the store-service's log
 * @property {() => Promise<void>} stop stops all three (SIGTERM to scripts/run) and removes the state folder
 */

/** @param {LogEvent} event @param {string} method @param {string} path */
export function isRequestLine(event, method, path) {
  return event.SourceContext === REQUEST_LOG_SOURCE && event.RequestMethod === method && event.RequestPath === path;
}

/**
 * @param {{ corsOrigins: string[] }} options
 * @returns {Promise<Stack>}
 */
export async function startStack({ corsOrigins }) {
  const [apiPort, storePort, dynamoPort, apiMetricsPort, storeMetricsPort] = await freePorts(5);
  const state = await mkdtemp(join(tmpdir(), 'canary-stack-'));
  const args = [
    RUN,
    '--api-port', String(apiPort), '--store-port', String(storePort), '--dynamo-port', String(dynamoPort),
    '--api-metrics-port', String(apiMetricsPort), '--store-metrics-port', String(storeMetricsPort),
    '--state', state, '--in-memory',
    ...corsOrigins.flatMap((origin) => ['--cors-origin', origin]),
  ];
  const run = spawn('bash', args, { stdio: ['ignore', 'pipe', 'pipe'] });
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

  return {
    port: apiPort,
    origin: (host) => `http://${host}:${apiPort}`,
    api: serviceLog(join(state, 'logs', 'api-service.log')),
    store: serviceLog(join(state, 'logs', 'store-service.log')),
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
