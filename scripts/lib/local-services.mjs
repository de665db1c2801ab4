// The one launch description of the services on a developer machine: the environment each one
// is started with (scripts/local-services.json) and free loopback ports. scripts/run, the
// benchmarks and the extension's browser tests use this module; the .NET test launchers
// (tests/TestInfrastructure) read the same JSON file.
//
//   node scripts/lib/local-services.mjs env <service> name=value...  NAME=value entries, NUL-separated (for env)
//   node scripts/lib/local-services.mjs free-ports <count>           ports, space-separated
//   node scripts/lib/local-services.mjs table shared|isolated [pr]   the store's table name
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const descriptionFile = join(dirname(fileURLToPath(import.meta.url)), '..', 'local-services.json');

/**
 * A service's environment with every {placeholder} replaced; a missing or unused value is an error.
 * @param {string} service
 * @param {Record<string, string>} values
 * @returns {Record<string, string>}
 */
export function serviceEnvironment(service, values) {
  const description = JSON.parse(readFileSync(descriptionFile, 'utf8'));
  const template = description[service];
  if (!template) throw new Error(`unknown service '${service}' (known: ${Object.keys(description).join(', ')})`);
  const used = new Set();
  const environment = Object.fromEntries(Object.entries(template).map(([name, value]) => [
    name,
    String(value).replace(/\{(\w+)\}/g, (_, key) => {
      if (!(key in values)) throw new Error(`${service}: no value for {${key}} (${name})`);
      used.add(key);
      return values[key];
    }),
  ]));
  const unused = Object.keys(values).filter((key) => !used.has(key));
  if (unused.length > 0) throw new Error(`${service}: ${unused.join(', ')} not used by its description`);
  return environment;
}

/**
 * The DynamoDB table a local store uses ("store-service:tables"): the stable environment's
 * shared table, or a PR's own (isolated data), named for its PR number.
 * @param {'shared' | 'isolated'} data
 * @param {string} [pr]
 * @returns {string}
 */
export function storeTable(data, pr) {
  if (data === 'isolated' && !/^[1-9][0-9]{0,8}$/.test(pr ?? '')) throw new Error(`isolated data needs a PR number, not '${pr}'`);
  if (data !== 'shared' && data !== 'isolated') throw new Error(`data must be shared or isolated, not '${data}'`);
  const tables = JSON.parse(readFileSync(descriptionFile, 'utf8'))['store-service:tables'];
  return data === 'shared' ? tables.shared : tables.isolated.replaceAll('{pr}', String(pr));
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

/** @param {string[]} argv */
async function main(argv) {
  const [command, ...args] = argv;
  switch (command) {
    case 'env': {
      const [service, ...pairs] = args;
      if (!service) throw new Error('usage: env <service> name=value...');
      const values = Object.fromEntries(pairs.map((pair) => {
        const at = pair.indexOf('=');
        if (at < 1) throw new Error(`expected name=value, got '${pair}'`);
        return [pair.slice(0, at), pair.slice(at + 1)];
      }));
      process.stdout.write(Object.entries(serviceEnvironment(service, values)).map(([name, value]) => `${name}=${value}\0`).join(''));
      return;
    }
    case 'table':
      console.log(storeTable(/** @type {'shared' | 'isolated'} */ (args[0]), args[1]));
      return;
    case 'free-ports':
      console.log((await freePorts(Number(args[0]))).join(' '));
      return;
    default:
      throw new Error('usage: local-services.mjs env <service> name=value... | free-ports <count> | table shared|isolated [pr]');
  }
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2)).catch((error) => {
    console.error(`local-services.mjs: ${error.message}`);
    process.exit(1);
  });
}
