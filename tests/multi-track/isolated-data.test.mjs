// scripts/run --pr 42 --pr-data isolated: PR 42's store gets its own table on the same local
// DynamoDB (canarydemo-items-pr-42, as the AppHost names it). What PR 42 writes, stable never
// sees, and the reverse; routing.test.mjs shows the default, shared data, where both see it.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startStack } from '../../scripts/lib/local-stack.mjs';
import { itemBody, ROUTE_HEADER, send } from './mixed-load.mjs';

/** @type {import('../../scripts/lib/local-stack.mjs').Stack} */ let stack;
/** @type {string} */ let edge;
const tenant = 4242;

/** @param {string} method @param {string} path @param {{ canary?: string, body?: string }} [options] */
const call = (method, path, { canary, body } = {}) => send(edge, method, path, {
  headers: [['X-Tenant-ID', String(tenant)], ...(canary ? [['X-Canary', canary]] : [])],
  body,
});

before(async () => {
  stack = await startStack({ prs: ['42'], prData: 'isolated' });
  edge = stack.origin('127.0.0.1');
});
after(async () => stack?.stop());

test('PR 42 store runs on its own table, stable on the shared one', async () => {
  const table = (event) => event.table_name;
  assert.equal((await stack.log('store-service-pr-42').waitFor(0, (event) => table(event) !== undefined)).table_name, 'canarydemo-items-pr-42');
  assert.equal((await stack.store.waitFor(0, (event) => table(event) !== undefined)).table_name, 'canarydemo-items');
});

test('an item written on the PR track is invisible to stable, and the reverse', async () => {
  const onPr = await call('POST', '/api/v1/items', { canary: '42', body: itemBody('pr 42 only') });
  assert.equal(onPr.status, 201);
  assert.equal(onPr.headers[ROUTE_HEADER], 'api-service=pr-42, store-service=pr-42');
  const onStable = await call('POST', '/api/v1/items', { body: itemBody('stable only') });
  assert.equal(onStable.status, 201);
  const prId = JSON.parse(onPr.body).id;
  const stableId = JSON.parse(onStable.body).id;

  assert.equal((await call('GET', `/api/v1/items/${prId}`)).status, 404);
  assert.equal((await call('GET', `/api/v1/items/${stableId}`, { canary: '42' })).status, 404);
  const ids = async (canary) => JSON.parse((await call('GET', '/api/v1/items', { canary })).body).items.map((item) => item.id);
  assert.deepEqual(await ids(undefined), [stableId]);
  assert.deepEqual(await ids('42'), [prId]);
});
