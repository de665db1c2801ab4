// End to end through the local proxies: scripts/run --pr 42 --pr 7:api-service (a real local DynamoDB,
// store and api processes per track, the edge and east-west proxies with routes rendered from the
// manifests), driven over loopback HTTP. Each response's X-Canary-Route says which track served
// each hop; the stores' own log lines show what reached them. The stack's dashboard shows the same
// request as one trace, read through its telemetry API and in Chromium.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { isRequestLine, startStack } from '../../scripts/lib/local-stack.mjs';
import { eventually, logs, openPage, resources, spans } from './dashboard.mjs';
import { expectedRoute, itemBody, mixedLoad, ROUTE_HEADER, send } from './mixed-load.mjs';

const ORIGIN = 'https://canary-ui.example.test';
const TRACKS = { 42: ['api-service', 'store-service'], 7: ['api-service'] };
const BOTH_STABLE = 'api-service=stable, store-service=stable';

/** @type {import('../../scripts/lib/local-stack.mjs').Stack} */ let stack;
/** @type {string} */ let edge;
let lastTenant = 5000;
const newTenant = () => ++lastTenant;

/**
 * @param {string} method
 * @param {string} path
 * @param {{ canary?: string[], tenant?: number | null, body?: string, headers?: [string, string][] }} [options]
 */
function call(method, path, { canary = [], tenant = newTenant(), body, headers = [] } = {}) {
  return send(edge, method, path, {
    headers: [...(tenant === null ? [] : [['X-Tenant-ID', String(tenant)]]), ...canary.map((value) => ['X-Canary', value]), ...headers],
    body,
  });
}

before(async () => {
  stack = await startStack({ prs: ['42', '7:api-service'], corsOrigins: [ORIGIN] });
  edge = stack.origin('127.0.0.1');
});
after(async () => stack?.stop());

describe('each hop says which track served it', () => {
  test('no header: api-service=stable, store-service=stable', async () => {
    const reply = await call('GET', '/api/v1/items');
    assert.equal(reply.status, 200);
    assert.equal(reply.headers[ROUTE_HEADER], BOTH_STABLE);
  });

  test('X-Canary: 42: both hops are PR 42, and its store received the call', async () => {
    const tenant = newTenant();
    const mark = await stack.log('store-service-pr-42').mark();
    const created = await call('POST', '/api/v1/items', { canary: ['42'], tenant, body: itemBody('pr 42') });
    assert.equal(created.status, 201);
    assert.equal(created.headers[ROUTE_HEADER], 'api-service=pr-42, store-service=pr-42');
    const line = await stack.log('store-service-pr-42').waitFor(mark, (event) => event.grpc_method === '/store.v1.StoreService/CreateItem' && event.tenant === tenant);
    assert.deepEqual([line.canary, line.track], ['42', 'pr-42']);
  });

  test('--pr 7:api-service with X-Canary: 7: api-service=pr-7, store-service=stable (no store route for 7)', async () => {
    const reply = await call('GET', '/api/v1/items', { canary: ['7'] });
    assert.equal(reply.status, 200);
    assert.equal(reply.headers[ROUTE_HEADER], 'api-service=pr-7, store-service=stable');
  });

  for (const value of ['9', '123456789', '042', '0', 'abc', '-1', '+42', '4 2', '42,7', '42, 7', '1234567890', '']) {
    test(`X-Canary '${value}' (a PR without tracks, or not a valid value): stable at every hop`, async () => {
      const reply = await call('GET', '/api/v1/items', { canary: [value] });
      assert.equal(reply.status, 200);
      assert.equal(reply.headers[ROUTE_HEADER], BOTH_STABLE);
      assert.equal(reply.headers['x-canary-echo'], /^[1-9][0-9]{0,8}$/.test(value) ? value : undefined, 'only a valid value is echoed');
    });
  }

  test('two X-Canary lines: the edge matches one line as Traefik does, and that api treats two values as no canary', async () => {
    const reply = await call('GET', '/api/v1/items', { canary: ['42', '7'] });
    assert.equal(reply.status, 200);
    assert.equal(reply.headers[ROUTE_HEADER], 'api-service=pr-42, store-service=stable');
  });
});

test('shared data (the default): an item PR 42 writes, stable reads, and the reverse', async () => {
  const tenant = newTenant();
  const onPr = await call('POST', '/api/v1/items', { canary: ['42'], tenant, body: itemBody('shared, from pr 42') });
  const onStable = await call('POST', '/api/v1/items', { tenant, body: itemBody('shared, from stable') });
  assert.equal((await call('GET', `/api/v1/items/${JSON.parse(onPr.body).id}`, { tenant })).status, 200);
  assert.equal((await call('GET', `/api/v1/items/${JSON.parse(onStable.body).id}`, { canary: ['42'], tenant })).status, 200);
});

describe('errors carry the route too', () => {
  test('a 400 the api decides alone (no tenant) names only the api hop', async () => {
    const reply = await call('GET', '/api/v1/items', { canary: ['42'], tenant: null });
    assert.equal(reply.status, 400);
    assert.equal(reply.headers[ROUTE_HEADER], 'api-service=pr-42');
  });

  test("a store's 404 names both hops", async () => {
    const reply = await call('GET', '/api/v1/items/01890000-0000-7000-8000-000000000000', { canary: ['42'] });
    assert.equal(reply.status, 404);
    assert.equal(reply.headers[ROUTE_HEADER], 'api-service=pr-42, store-service=pr-42');
  });

  test("a store's 409 on PR 7's api names stable for the store", async () => {
    const tenant = newTenant();
    const created = await call('POST', '/api/v1/items', { canary: ['7'], tenant, body: itemBody('oversold') });
    const id = JSON.parse(created.body).id;
    const reply = await call('PATCH', `/api/v1/items/${id}/inventory`, {
      canary: ['7'], tenant, body: JSON.stringify({ quantity_change: -1000, reason: 'sale', updated_by: 'test' }),
    });
    assert.equal(reply.status, 409);
    assert.equal(reply.headers[ROUTE_HEADER], 'api-service=pr-7, store-service=stable');
  });
});

test('a CORS preflight carries no X-Canary and reaches stable; the request after it reaches the PR and exposes the route', async () => {
  const preflight = await call('OPTIONS', '/api/v1/items', {
    tenant: null,
    headers: [['Origin', ORIGIN], ['Access-Control-Request-Method', 'GET'], ['Access-Control-Request-Headers', 'x-canary,x-tenant-id']],
  });
  assert.equal(preflight.status, 204);
  assert.equal(preflight.headers['access-control-allow-origin'], ORIGIN);
  assert.equal(preflight.headers[ROUTE_HEADER], 'api-service=stable');
  const actual = await call('GET', '/api/v1/items', { canary: ['42'], headers: [['Origin', ORIGIN]] });
  assert.equal(actual.headers[ROUTE_HEADER], 'api-service=pr-42, store-service=pr-42');
  const exposed = String(actual.headers['access-control-expose-headers']).split(',').map((h) => h.trim().toLowerCase());
  assert.ok(exposed.includes(ROUTE_HEADER), `exposed: ${exposed}`);
});

test('two PR tracks at once never cross: concurrent requests for 42 and 7 each take their own route', async () => {
  const mark = await stack.log('store-service-pr-42').mark();
  const canaryOf = (/** @type {number} */ i) => (i % 2 ? '7' : '42');
  const tenants = Array.from({ length: 60 }, () => newTenant());
  const replies = await Promise.all(tenants.map((tenant, i) => call('GET', '/api/v1/items', { canary: [canaryOf(i)], tenant })));
  replies.forEach((reply, i) => assert.equal(reply.headers[ROUTE_HEADER], expectedRoute(canaryOf(i), TRACKS), `request ${i}`));
  // The lines reach the state folder through the orchestrator, a moment after the store writes them.
  const ours = new Set(tenants);
  const lines = await stack.log('store-service-pr-42').waitForCount(
    mark, (event) => event.grpc_method === '/store.v1.StoreService/ListItems' && ours.has(Number(event.tenant)), 30);
  assert.equal(lines.length, 30, "PR 42's store served exactly PR 42's 30 calls");
  assert.ok(lines.every((line) => line.canary === '42' && canaryOf(tenants.indexOf(Number(line.tenant))) === '42'), 'no other PR reached it');
});

test('a mixed load of 1,200 requests across values and endpoints: 0 misroutes, 0 errors', async () => {
  const result = await mixedLoad({
    origin: edge, tenant: newTenant(), values: ['42', '7', '9', undefined, '042', 'abc'], tracks: TRACKS, count: 1200, concurrency: 6,
  });
  assert.equal(result.requests, 1200);
  assert.deepEqual([result.misroutes, result.errors, result.examples], [0, 0, []]);
});

describe('the dashboard shows a canary request as one trace across both hops and their tracks', () => {
  const SERVER = 2;
  // A request as curl sends it: no traceparent. The edge starts the trace (it samples what arrives
  // undecided), so the tracks behind it record theirs.
  /** @type {string} */ let traceId;
  before(async () => {
    const tenant = newTenant();
    const api = stack.log('api-service-pr-42');
    const mark = await api.mark();
    const created = await call('POST', '/api/v1/items', { canary: ['42'], tenant, body: itemBody('traced') });
    assert.equal(created.status, 201);
    // The api's request line names the trace (@tr), as it does in production.
    traceId = String((await api.waitFor(mark, (event) => isRequestLine(event, 'POST', '/api/v1/items')))['@tr']);
  });

  test('edge -> api-service pr-42 -> east-west -> store-service pr-42, each server span naming the PR and its track', async () => {
    const servers = (/** @type {import('./dashboard.mjs').Span[]} */ trace) => trace.filter((span) => span.kind === SERVER);
    const trace = await eventually(() => spans(stack.dashboard, traceId), (found) => servers(found).length >= 4);
    const hops = servers(trace).map((span) => `${span.service}/${span.instance ?? ''}`);
    for (const hop of ['api-service/pr-42', 'store-service/pr-42']) assert.ok(hops.includes(hop), `${hop} in ${hops}`);
    assert.ok(hops.some((hop) => hop.startsWith('edge-proxy/')) && hops.some((hop) => hop.startsWith('east-west-proxy/')), `${hops}`);
    for (const span of trace.filter((found) => found.service === 'api-service' || found.service === 'store-service')) {
      assert.deepEqual([span.attributes['canary.pr'], span.attributes['canary.track']], ['42', 'pr-42'], `${span.service} ${span.name}`);
    }
    // One trace, each span under another: the api's server span hangs under the edge's client span.
    const byId = new Map(trace.map((span) => [span.spanId, span]));
    const api = servers(trace).find((span) => span.service === 'api-service');
    assert.equal(byId.get(/** @type {string} */ (api?.parentSpanId))?.service, 'edge-proxy');
  });

  test("the store's structured log line of that request carries the canary and the track", async () => {
    const records = await eventually(() => logs(stack.dashboard, traceId), (found) => found.some((record) => record.service === 'store-service'));
    const store = records.filter((record) => record.service === 'store-service' && record.attributes.grpc_method);
    assert.ok(store.length > 0, JSON.stringify(records));
    for (const record of store) assert.deepEqual([record.attributes.canary, record.attributes.track], ['42', 'pr-42']);
  });

  test('every track sends traces, logs and metrics', async () => {
    const tracks = ['api-service/stable', 'api-service/pr-42', 'api-service/pr-7', 'store-service/stable', 'store-service/pr-42'];
    const sent = await eventually(() => resources(stack.dashboard), (found) => tracks.every((track) => found.some((resource) =>
      `${resource.name}/${resource.instanceId}` === track && resource.hasLogs && resource.hasMetrics && resource.hasTraces)));
    assert.ok(sent.length >= tracks.length);
  });

  test("in Chromium, the trace's page names both hops' tracks", async () => {
    const { browser, page } = await openPage(`${stack.dashboard}/traces/detail/${traceId}`);
    try {
      // Several copies of a service send telemetry: the dashboard names each by its track.
      for (const name of ['api-service-pr-42', 'store-service-pr-42']) {
        await page.getByText(name, { exact: true }).first().waitFor({ timeout: 20_000 });
      }
      // DASHBOARD_SCREENSHOT=docs/images/dashboard-trace.png keeps the picture docs/README.md shows.
      if (process.env.DASHBOARD_SCREENSHOT) await page.screenshot({ path: process.env.DASHBOARD_SCREENSHOT });
    } finally {
      await browser.close();
    }
  });
});
