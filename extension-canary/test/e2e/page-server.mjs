// A local web page on 127.0.0.1:<free port>, the origin that the test's cross-origin calls to the
// api-service come from. Its own port is not in the extension's list, so it also shows what a
// server whose domain is not listed receives: it records the X-Canary header of every request.
import { createServer } from 'node:http';

/**
 * @typedef {object} ReceivedRequest
 * @property {string} method
 * @property {string} path path and query
 * @property {string | undefined} canary the X-Canary header as received
 */

/**
 * @typedef {object} PageServer
 * @property {number} port
 * @property {(host: string) => string} origin e.g. origin('localhost') -> http://localhost:1234
 * @property {(path: string) => ReceivedRequest | undefined} lastRequest the last GET of that path
 * @property {() => Promise<void>} close
 */

/** @returns {Promise<PageServer>} */
export async function startPageServer() {
  /** @type {ReceivedRequest[]} */
  const requests = [];

  const server = createServer((request, response) => {
    const canary = request.headers['x-canary'];
    requests.push({
      method: request.method ?? '',
      path: request.url ?? '',
      canary: Array.isArray(canary) ? canary.join(', ') : canary,
    });
    response.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' })
      .end('<!doctype html><title>page</title>');
  });

  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(undefined));
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('page server has no TCP address');
  const { port } = address;

  return {
    port,
    origin: (host) => `http://${host}:${port}`,
    lastRequest: (path) => requests.findLast((r) => r.path === path && r.method === 'GET'),
    close: () => new Promise((resolve, reject) => {
      server.closeAllConnections();
      server.close((error) => (error ? reject(error) : resolve()));
    }),
  };
}
