// PR preview hosts end to end through the local proxies: scripts/run --pr 42 --pr 7:api-service
// --pr 8:store-service, whose edge serves pr-<n>.localhost the way Traefik serves
// pr-<n>.<dev host> (routes rendered from the manifests): every request to it carries X-Canary: <n>,
// whatever the client sent, a host without a canary is Traefik's 404, and every response of the
// services says Vary: X-Canary. Each response's X-Canary-Route says which track served each hop.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { after, before, describe, test } from 'node:test';
import { startStack } from '../../scripts/lib/local-stack.mjs';
import { itemBody, ROUTE_HEADER, send } from './mixed-load.mjs';

const run = promisify(execFile);
const ORIGIN = 'https://canary-ui.example.test';

/** @type {import('../../scripts/lib/local-stack.mjs').Stack} */ let stack;
/** @type {string} */ let edge;
let lastTenant = 7000;
const newTenant = () => ++lastTenant;

/**
 * A request to the edge under a host name (127.0.0.1 is the dev host; pr-42.localhost PR 42's preview host).
 * @param {string} host
 * @param {string} method
 * @param {string} path
 * @param {{ canary?: string[], tenant?: number | null, body?: string, headers?: [string, string][] }} [options]
 */
function call(host, method, path, { canary = [], tenant = newTenant(), body, headers = [] } = {}) {
  return send(edge, method, path, {
    headers: [
      ['Host', `${host}:${stack.port}`],
      ...(tenant === null ? [] : [['X-Tenant-ID', String(tenant)]]),
      ...canary.map((value) => ['X-Canary', value]),
      ...headers,
    ],
    body,
  });
}

/** @param {import('./mixed-load.mjs').Reply} reply */
const varies = (reply) => String(reply.headers.vary ?? '').split(',').map((token) => token.trim().toLowerCase());

before(async () => {
  stack = await startStack({ prs: ['42', '7:api-service', '8:store-service'], corsOrigins: [ORIGIN] });
  edge = stack.origin('127.0.0.1');
});
after(async () => stack?.stop());

describe('a PR preview host serves that PR without a header', () => {
  test('pr-42.localhost, no header: both hops are PR 42, and its store received the call', async () => {
    const tenant = newTenant();
    const mark = await stack.log('store-service-pr-42').mark();
    const created = await call('pr-42.localhost', 'POST', '/api/v1/items', { tenant, body: itemBody('via the preview host') });
    assert.equal(created.status, 201, created.body);
    assert.equal(created.headers[ROUTE_HEADER], 'api-service=pr-42, store-service=pr-42');
    assert.equal(created.headers['x-canary-echo'], '42', 'the api saw X-Canary: 42');
    const line = await stack.log('store-service-pr-42').waitFor(mark, (event) => event.grpc_method === '/store.v1.StoreService/CreateItem' && event.tenant === tenant);
    assert.deepEqual([line.canary, line.track], ['42', 'pr-42']);
  });

  test('a conflicting X-Canary: 7 (a PR with its own api) is replaced: still PR 42', async () => {
    for (const canary of [['7'], ['7', '9'], ['abc'], ['42']]) {
      const reply = await call('pr-42.localhost', 'GET', '/api/v1/items', { canary });
      assert.equal(reply.status, 200);
      assert.equal(reply.headers[ROUTE_HEADER], 'api-service=pr-42, store-service=pr-42', `X-Canary ${canary.join(', ')}`);
      assert.equal(reply.headers['x-canary-echo'], '42');
    }
    const onDevHost = await call('127.0.0.1', 'GET', '/api/v1/items', { canary: ['7'] });
    assert.equal(onDevHost.headers[ROUTE_HEADER], 'api-service=pr-7, store-service=stable', 'the same header on the dev host reaches PR 7');
  });

  test('a store-only PR: the stable api, then its store (api-service=stable, store-service=pr-8)', async () => {
    const reply = await call('pr-8.localhost', 'GET', '/api/v1/items', { canary: ['42'] });
    assert.equal(reply.status, 200);
    assert.equal(reply.headers[ROUTE_HEADER], 'api-service=stable, store-service=pr-8');
    assert.equal(reply.headers['x-canary-echo'], '8');
  });

  test('an api-only PR: its api, then the stable store (api-service=pr-7, store-service=stable)', async () => {
    const reply = await call('pr-7.localhost', 'GET', '/api/v1/items');
    assert.equal(reply.headers[ROUTE_HEADER], 'api-service=pr-7, store-service=stable');
  });

  test('host names compare case-insensitively, and the port is no part of them', async () => {
    const reply = await send(edge, 'GET', '/api/v1/items', { headers: [['Host', 'PR-42.LocalHost'], ['X-Tenant-ID', String(newTenant())]] });
    assert.equal(reply.headers[ROUTE_HEADER], 'api-service=pr-42, store-service=pr-42');
  });

  test('a PR without a canary, or any other name under localhost, gets what Traefik answers an unknown host: 404', async () => {
    for (const host of ['pr-99.localhost', 'pr-042.localhost', 'api.localhost', 'pr-42.pr-7.localhost']) {
      const reply = await call(host, 'GET', '/api/v1/items', { canary: ['42'] });
      assert.deepEqual([reply.status, reply.body], [404, '404 page not found\n'], host);
      assert.equal(reply.headers[ROUTE_HEADER], undefined, `${host}: no service was reached`);
    }
  });

  test('every other name stands for the dev host: no header is stable, X-Canary: 42 is PR 42', async () => {
    for (const host of ['127.0.0.1', 'localhost']) {
      assert.equal((await call(host, 'GET', '/api/v1/items')).headers[ROUTE_HEADER], 'api-service=stable, store-service=stable', host);
      assert.equal((await call(host, 'GET', '/api/v1/items', { canary: ['42'] })).headers[ROUTE_HEADER], 'api-service=pr-42, store-service=pr-42', host);
    }
  });

  test('curl resolves pr-42.localhost to loopback by itself, as docs/README.md says', async () => {
    const { stdout } = await run('curl', ['-s', '-D', '-', '-o', '/dev/null', '-H', `X-Tenant-ID: ${newTenant()}`, `http://pr-42.localhost:${stack.port}/api/v1/items`]);
    assert.match(stdout, /^HTTP\/1\.1 200/);
    assert.match(stdout, /^x-canary-route: api-service=pr-42, store-service=pr-42\r?$/im);
  });
});

describe('Vary: X-Canary on every response of the services', () => {
  const cases = {
    'stable, 200': () => call('127.0.0.1', 'GET', '/api/v1/items'),
    'PR 42 canary, 200': () => call('127.0.0.1', 'GET', '/api/v1/items', { canary: ['42'] }),
    'preview host, 200': () => call('pr-42.localhost', 'GET', '/api/v1/items'),
    'an invalid X-Canary, 200': () => call('127.0.0.1', 'GET', '/api/v1/items', { canary: ['042'] }),
    'stable, 400 without a tenant': () => call('127.0.0.1', 'GET', '/api/v1/items', { tenant: null }),
    'PR 42 canary, 400 without a tenant': () => call('127.0.0.1', 'GET', '/api/v1/items', { canary: ['42'], tenant: null }),
    "PR 42 canary, the store's 404": () => call('127.0.0.1', 'GET', '/api/v1/items/01890000-0000-7000-8000-000000000000', { canary: ['42'] }),
    'stable, an unknown path (404)': () => call('127.0.0.1', 'GET', '/no/such/path'),
    'a CORS preflight (204)': () => call('127.0.0.1', 'OPTIONS', '/api/v1/items', {
      tenant: null, headers: [['Origin', ORIGIN], ['Access-Control-Request-Method', 'GET'], ['Access-Control-Request-Headers', 'x-canary,x-tenant-id']],
    }),
  };
  for (const [name, request] of Object.entries(cases)) {
    test(name, async () => {
      const reply = await request();
      assert.ok(reply.status >= 200 && reply.status < 500, `${reply.status} ${reply.body}`);
      assert.ok(reply.headers[ROUTE_HEADER], 'answered by a service, not by the edge');
      assert.ok(varies(reply).includes('x-canary'), `Vary: ${reply.headers.vary}`);
    });
  }
});
