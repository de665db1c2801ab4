// A mixed load through the local edge: requests across X-Canary values (PR tracks, a PR without
// tracks, invalid values, none) and endpoints (create, read, list, inventory change), each checked
// against the route it must take (X-Canary-Route) and the status it must get. Used by the
// multi-track tests (which assert 0 misroutes and 0 errors) and by bench/canaries.sh (which prints them).
import { Agent, request } from 'node:http';

export const ROUTE_HEADER = 'x-canary-route';

/**
 * @typedef {object} Reply
 * @property {number} status
 * @property {Record<string, string | string[] | undefined>} headers
 * @property {string} body
 * @property {number} ms
 */

/**
 * One HTTP/1.1 request; `headers` may repeat a name ([['X-Canary', '42'], ['X-Canary', '7']]) and
 * may name the Host ([['Host', 'pr-42.localhost:8080']]) to reach a host by name at the origin's address.
 * @param {string} origin e.g. http://127.0.0.1:8080
 * @param {string} method
 * @param {string} path
 * @param {{ headers?: [string, string][], body?: string, agent?: Agent }} [options]
 * @returns {Promise<Reply>}
 */
export function send(origin, method, path, { headers = [], body, agent } = {}) {
  const started = performance.now();
  // A name given twice is sent as two field lines (Node writes one line per array element).
  /** @type {Record<string, string[]>} */
  const fields = {};
  for (const [name, value] of headers) (fields[name] ??= []).push(value);
  if (body !== undefined) Object.assign(fields, { 'Content-Type': ['application/json'], 'Content-Length': [String(Buffer.byteLength(body))] });
  // Node takes a single Host as text only; any other name given once is the same line either way.
  const lines = Object.fromEntries(Object.entries(fields).map(([name, values]) => [name, values.length === 1 ? values[0] : values]));
  return new Promise((resolve, reject) => {
    const call = request(`${origin}${path}`, { method, headers: lines, agent }, (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk) => { text += chunk; });
      response.on('end', () => resolve({
        status: response.statusCode ?? 0, headers: response.headers, body: text, ms: performance.now() - started,
      }));
      response.on('error', reject);
    });
    call.setTimeout(30_000, () => call.destroy(new Error(`${method} ${path} timed out`)));
    call.on('error', reject);
    call.end(body);
  });
}

/**
 * The route a request with this X-Canary value must take, given which PRs have which tracks.
 * @param {string | undefined} canary
 * @param {Record<string, string[]>} tracks e.g. { 42: ['api-service', 'store-service'], 7: ['api-service'] }
 */
export function expectedRoute(canary, tracks) {
  const services = canary !== undefined && /^[1-9][0-9]{0,8}$/.test(canary) ? tracks[canary] ?? [] : [];
  const hop = (service) => `${service}=${services.includes(service) ? `pr-${canary}` : 'stable'}`;
  return `${hop('api-service')}, ${hop('store-service')}`;
}

export const itemBody = (name) => JSON.stringify({
  name, description: 'mixed load', price: 12.5, category: 'electronics', sku: 'ML-001', inventory_count: 100, tags: ['load'],
});

/**
 * Sends `count` requests, `concurrency` at a time, round-robin over the values and the endpoints.
 * @param {{ origin: string, tenant: number, values: (string | undefined)[], tracks: Record<string, string[]>, count: number, concurrency: number }} options
 */
export async function mixedLoad({ origin, tenant, values, tracks, count, concurrency }) {
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const headersFor = (canary) => /** @type {[string, string][]} */ ([['X-Tenant-ID', String(tenant)], ...(canary === undefined ? [] : [['X-Canary', canary]])]);
  // One item per value, created on the track that value reaches.
  const items = new Map();
  for (const canary of values) {
    const created = await send(origin, 'POST', '/api/v1/items', { headers: headersFor(canary), body: itemBody(`item ${canary}`), agent });
    if (created.status !== 201) throw new Error(`setup for X-Canary ${canary}: ${created.status} ${created.body}`);
    items.set(canary, JSON.parse(created.body).id);
  }
  const endpoints = [
    (canary) => ['GET', `/api/v1/items/${items.get(canary)}`, undefined, 200],
    (canary) => ['GET', '/api/v1/items?category=electronics&page_size=5', undefined, 200],
    (canary) => ['PATCH', `/api/v1/items/${items.get(canary)}/inventory`, JSON.stringify({ quantity_change: 1, reason: 'restock', updated_by: 'load' }), 200],
    (canary) => ['POST', '/api/v1/items', itemBody(`more ${canary}`), 201],
  ];
  const result = { requests: 0, misroutes: 0, errors: 0, latencies: /** @type {number[]} */ ([]), examples: /** @type {string[]} */ ([]) };
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < count; i = next++) {
      const canary = values[i % values.length];
      const [method, path, body, expected] = endpoints[Math.floor(i / values.length) % endpoints.length](canary);
      const reply = await send(origin, method, path, { headers: headersFor(canary), body, agent }).catch((error) => ({ status: 0, headers: {}, body: String(error), ms: 0 }));
      result.requests += 1;
      result.latencies.push(reply.ms);
      const route = reply.headers[ROUTE_HEADER];
      if (route !== expectedRoute(canary, tracks)) {
        result.misroutes += 1;
        if (result.examples.length < 5) result.examples.push(`${method} ${path} X-Canary ${canary}: route ${route}`);
      }
      if (reply.status !== expected) {
        result.errors += 1;
        if (result.examples.length < 5) result.examples.push(`${method} ${path} X-Canary ${canary}: ${reply.status} ${reply.body.slice(0, 200)}`);
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  agent.destroy();
  return result;
}

/** @param {number[]} values @param {number} q */
export function quantile(values, q) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}
