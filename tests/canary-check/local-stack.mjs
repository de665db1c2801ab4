// `scripts/run` of a given checkout, started through its documented command line only (ports,
// --state, --in-memory and what the caller adds) and ready at its documented line. The api
// port is the local edge, which routes by X-Canary as the dev cluster does.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const READY_LINE = 'Press Ctrl-C to stop.';

/** Loopback ports that were free a moment ago, held together so they differ. */
async function freePorts(/** @type {number} */ count) {
  const servers = await Promise.all(Array.from({ length: count }, () => new Promise(
    /** @param {(server: import('node:net').Server) => void} resolve */
    (resolve, reject) => {
      const server = createServer();
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve(server));
    })));
  const ports = servers.map((server) => /** @type {import('node:net').AddressInfo} */ (server.address()).port);
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  return ports;
}

/**
 * @param {{ checkout: string, args: string[], timeoutMs: number }} options
 * @returns {Promise<{ url: string, stop: () => Promise<void> }>}
 */
export async function startLocalStack({ checkout, args, timeoutMs }) {
  const [api, store, dynamo, apiMetrics, storeMetrics] = await freePorts(5);
  const state = mkdtempSync(join(tmpdir(), 'canary-check-stack-'));
  const run = spawn(join(checkout, 'scripts', 'run'), [
    ...args,
    '--api-port', String(api), '--store-port', String(store), '--dynamo-port', String(dynamo),
    '--api-metrics-port', String(apiMetrics), '--store-metrics-port', String(storeMetrics),
    '--state', state, '--in-memory',
  ], { cwd: checkout, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  run.stdout.on('data', (chunk) => { output += chunk; });
  run.stderr.on('data', (chunk) => { output += chunk; });
  /** @type {Promise<number | null>} */
  const exited = new Promise((resolve) => run.once('exit', (code) => resolve(code)));
  const stop = async () => {
    if (run.exitCode === null && run.signalCode === null) run.kill('SIGTERM');
    await exited;
    rmSync(state, { recursive: true, force: true });
  };
  try {
    await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`scripts/run was not ready within ${timeoutMs / 1000} s:\n${output}`)), timeoutMs);
      run.stdout.on('data', () => {
        if (output.includes(READY_LINE)) {
          clearTimeout(timer);
          resolve(undefined);
        }
      });
      exited.then((code) => {
        clearTimeout(timer);
        reject(new Error(`scripts/run exited (${code}) before it was ready:\n${output}`));
      });
    });
  } catch (error) {
    await stop();
    throw error;
  }
  return { url: `http://127.0.0.1:${api}`, stop };
}
