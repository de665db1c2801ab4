// Stand-in for the api-service in the end-to-end test, behind the only interface the test
// uses: an HTTP server on 127.0.0.1:<free port> that echoes a valid X-Canary and answers
// CORS the way DESIGN.md says. When the real api-service exists, start it here instead and
// keep the same shape (echo assertions carry over; `requests` is the stand-in's extra view
// of what arrived, e.g. to prove a CORS preflight carries no X-Canary).
import { createServer } from 'node:http';

// The canary contract, written out again on purpose: the server must not share the
// extension's validator, or a bug in it would go unnoticed by the test.
const VALID_CANARY = /^[1-9][0-9]{0,8}$/;
const CORS_ALLOWED_HEADERS = 'X-Canary, X-Tenant-ID, X-User-ID, Content-Type, If-Match, Idempotency-Key';
const CORS_EXPOSED_HEADERS = 'X-Canary-Echo, ETag';
const CORS_ALLOWED_METHODS = 'GET, POST, PUT, PATCH, DELETE';

/**
 * @typedef {object} ReceivedRequest
 * @property {string} method
 * @property {string} path path and query
 * @property {string | undefined} canary the X-Canary header as received
 * @property {string | undefined} origin
 */

/**
 * @typedef {object} TargetServer
 * @property {number} port
 * @property {(host: string) => string} origin e.g. origin('localhost') -> http://localhost:1234
 * @property {ReceivedRequest[]} requests every request received, oldest first
 * @property {(path: string, method?: string) => ReceivedRequest | undefined} lastRequest
 * @property {() => Promise<void>} close
 */

/**
 * @param {{ allowedOrigins?: string[] }} [options] CORS origins, like the api-service's Cors:AllowedOrigins
 * @returns {Promise<TargetServer>}
 */
export async function startTargetServer({ allowedOrigins = [] } = {}) {
  /** @type {ReceivedRequest[]} */
  const requests = [];

  const server = createServer((request, response) => {
    const canary = request.headers['x-canary'];
    const origin = request.headers.origin;
    requests.push({
      method: request.method ?? '',
      path: request.url ?? '',
      canary: Array.isArray(canary) ? canary.join(', ') : canary,
      origin,
    });

    response.setHeader('Cache-Control', 'no-store');
    if (typeof canary === 'string' && VALID_CANARY.test(canary)) response.setHeader('X-Canary-Echo', canary);
    const corsAllowed = origin !== undefined && allowedOrigins.includes(origin);
    response.setHeader('Vary', 'Origin');
    if (corsAllowed) {
      response.setHeader('Access-Control-Allow-Origin', origin);
      response.setHeader('Access-Control-Expose-Headers', CORS_EXPOSED_HEADERS);
    }

    if (request.method === 'OPTIONS' && request.headers['access-control-request-method'] !== undefined) {
      if (corsAllowed) {
        response.setHeader('Access-Control-Allow-Methods', CORS_ALLOWED_METHODS);
        response.setHeader('Access-Control-Allow-Headers', CORS_ALLOWED_HEADERS);
      }
      response.writeHead(204).end();
      return;
    }
    const path = new URL(request.url ?? '/', 'http://target').pathname;
    if (request.method === 'GET' && path === '/health') {
      response.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8' }).end('Healthy');
      return;
    }
    response.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('Not found');
  });

  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(undefined));
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('target server has no TCP address');
  const { port } = address;

  return {
    port,
    origin: (host) => `http://${host}:${port}`,
    requests,
    lastRequest: (path, method = 'GET') => requests.findLast((r) => r.path === path && r.method === method),
    close: () => new Promise((resolve, reject) => {
      server.closeAllConnections();
      server.close((error) => (error ? reject(error) : resolve()));
    }),
  };
}
