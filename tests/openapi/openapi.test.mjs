// The OpenAPI document as a client meets it: fetched from the running api (scripts/run through
// scripts/lib/local-stack.mjs: dynalite, store-service and api-service as real processes on
// loopback), linted with the repository's ruleset (ruleset.yaml), and turned into a TypeScript
// client (openapi-typescript + openapi-fetch) that must type-check and then work against the api.
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startStack } from '../../scripts/lib/local-stack.mjs';
import { itemsClient } from './client.mjs';
import { describeProblems, GENERATED, generateTypes, lint, typeCheck } from './tools.mjs';

const DOCUMENT_PATH = '/openapi/v1.json';

/** @type {import('../../scripts/lib/local-stack.mjs').Stack} */ let stack;
/** @type {string} */ let baseUrl;
/** @type {any} */ let served;
let lastTenant = 7000;
const newTenant = () => ++lastTenant;

before(async () => {
  stack = await startStack();
  baseUrl = stack.origin('127.0.0.1');
  const response = await fetch(baseUrl + DOCUMENT_PATH);
  assert.equal(response.status, 200, `GET ${DOCUMENT_PATH}`);
  served = await response.json();
});
after(async () => stack?.stop());

/** A deep copy of the served document, to break. */
const copy = () => structuredClone(served);

describe('lint', () => {
  test('the served document passes the ruleset with no error and no warning', async () => {
    const problems = await lint(served);
    assert.equal(problems.length, 0, `the OpenAPI document at ${DOCUMENT_PATH} breaks the ruleset (tests/openapi/ruleset.yaml):\n${describeProblems(problems)}`);
  });

  // Each defect a change to the api could bring, and the rule that must catch it.
  const defects = [
    ['operation-summary', 'an operation without a summary', (d) => { delete d.paths['/api/v1/items'].post.summary; }],
    ['rule/operation-description', 'an operation without a description', (d) => { delete d.paths['/api/v1/items/{id}'].get.description; }],
    ['rule/operation-tags', 'an operation without a tag', (d) => { delete d.paths['/api/v1/items/{id}'].delete.tags; }],
    ['tag-description', 'a tag without a description', (d) => { delete d.tags[0].description; }],
    ['rule/info-title-is-product', "the framework's default title", (d) => { d.info.title = 'ApiService | v1'; }],
    ['rule/info-description', 'no product description', (d) => { delete d.info.description; }],
    ['rule/parameter-description', 'a parameter without a description', (d) => {
      delete d.paths['/api/v1/items'].get.parameters.find((/** @type {any} */ p) => p.name === 'page_size').description;
    }],
    ['rule/operation-documents-x-canary', 'an operation without the X-Canary header', (d) => {
      const op = d.paths['/api/v1/items/{id}'].get;
      op.parameters = op.parameters.filter((/** @type {any} */ p) => p.name !== 'X-Canary');
    }],
    ['rule/response-documents-canary-headers', 'a response without X-Canary-Route', (d) => {
      delete d.paths['/api/v1/items/{id}'].get.responses['404'].headers['X-Canary-Route'];
    }],
    ['rule/response-header-description', 'a response header without a description', (d) => {
      delete d.paths['/api/v1/items'].post.responses['201'].headers.ETag.description;
    }],
    ['rule/api-operation-4xx-response', 'an /api operation without 4xx responses', (d) => {
      const responses = d.paths['/api/v1/items/{id}'].delete.responses;
      for (const status of Object.keys(responses)) if (status.startsWith('4')) delete responses[status];
    }],
    ['rule/problem-json-references-problem-schema', 'a problem body that is not ProblemDetails', (d) => {
      d.paths['/api/v1/items/{id}'].get.responses['404'].content['application/problem+json'].schema = { type: 'object' };
    }],
    ['rule/problem-type-described', 'a problem type without its list of types', (d) => {
      delete d.components.schemas.ProblemDetails.properties.type.description;
    }],
    ['rule/body-schema-example', 'a body schema without an example', (d) => { delete d.components.schemas.ItemResponse.examples; }],
    ['no-invalid-schema-examples', 'an example that contradicts its schema', (d) => {
      d.components.schemas.ItemResponse.examples[0].price = 'cheap';
    }],
  ];
  for (const [rule, defect, inject] of /** @type {[string, string, (d: any) => void][]} */ (defects)) {
    test(`${rule} rejects ${defect}`, async () => {
      const broken = copy();
      inject(broken);
      const problems = await lint(broken);
      assert.ok(problems.some((p) => p.ruleId === rule && p.severity === 'error'), `expected ${rule}, got:\n${describeProblems(problems)}`);
      assert.deepEqual([...new Set(problems.map((p) => p.ruleId))], [rule], `only ${rule} should fire:\n${describeProblems(problems)}`);
    });
  }

  test('/health is the one operation without a 4xx response, and is allowed to be', () => {
    const without4xx = Object.entries(served.paths).flatMap(([path, item]) => Object.entries(/** @type {any} */ (item))
      .filter(([, op]) => !Object.keys(op.responses).some((status) => status.startsWith('4')))
      .map(([method]) => `${method} ${path}`));
    assert.deepEqual(without4xx, ['get /health']);
  });
});

describe('generated client', () => {
  before(async () => generateTypes(served));

  test('the typed client compiles against the types generated from the served document', async () => {
    const { status, output } = await typeCheck();
    assert.equal(status, 0, `tsc --noEmit over client.mjs failed: the document and the client disagree:\n${output}`);
  });

  test('a call the document does not declare fails to compile', async () => {
    await writeFile(join(GENERATED, 'mismatch.mjs'), [
      '// @ts-check',
      "import createClient from 'openapi-fetch';",
      "/** @type {import('openapi-fetch').Client<import('./api.js').paths>} */",
      "const api = createClient({ baseUrl: 'http://127.0.0.1:1' });",
      "const header = { 'X-Tenant-ID': '1' };",
      "await api.GET('/api/v1/item/{id}', { params: { path: { id: 'x' }, header } });",
      "await api.POST('/api/v1/items', { params: { header }, body: { name: 'x', price: 'cheap' } });",
      "await api.PUT('/api/v1/items/{id}', { params: { path: { id: 'x' } }, body: {} });",
      "await api.GET('/api/v1/items', { params: { query: { category: 'garden', page_size: '20' }, header } });",
      "/** @type {string | undefined} */ const version = (await api.GET('/api/v1/items/{id}', { params: { path: { id: 'x' }, header } })).data?.version;",
      '',
    ].join('\n'));
    const { status, output } = await typeCheck(['mismatch.mjs']);
    assert.notEqual(status, 0, output);
    const lines = [...output.matchAll(/mismatch\.mjs\((\d+),\d+\): error (TS\d+)/g)].map(([, line, code]) => `${line} ${code}`);
    assert.deepEqual(lines, [
      '6 TS2345', // no such path
      '7 TS2322', // price is a number
      '8 TS2741', // X-Tenant-ID is a required header
      '9 TS2322', // not a category
      '9 TS2322', // page_size is an integer
      '10 TS2322', // version is an integer
    ], output);
  });

  describe('calls to the running api', () => {
    const tenant = newTenant();
    const api = () => itemsClient(baseUrl, { tenant });
    /** @type {import('./client.mjs').Item} */ let item;
    /** @type {string} */ let etag;
    const sent = {
      name: 'Typed client lamp', description: 'Made through the generated client', price: 19.9,
      category: /** @type {const} */ ('home'), sku: `TC-${tenant}`, inventory_count: 4, tags: ['generated', 'client'],
    };

    test('create: 201 with the item as sent, its Location and ETag', async () => {
      const { data, error, response } = await api().create(sent);
      assert.equal(response.status, 201, JSON.stringify(error));
      assert.ok(data);
      item = data;
      assert.deepEqual(
        { name: data.name, description: data.description, price: data.price, category: data.category, sku: data.sku, inventory_count: data.inventory_count, tags: data.tags },
        sent);
      assert.equal(data.tenant_id, tenant);
      assert.equal(data.version, 1);
      assert.equal(data.status, 'active');
      assert.equal(response.headers.get('location'), `/api/v1/items/${data.id}`);
      etag = /** @type {string} */ (response.headers.get('etag'));
      assert.equal(etag, '"1"');
    });

    test('get: the same item and its ETag', async () => {
      const { data, response } = await api().get(item.id);
      assert.equal(response.status, 200);
      assert.deepEqual(data, item);
      assert.equal(response.headers.get('etag'), etag);
    });

    test('replace with If-Match: the new fields, version 2, a new ETag; the old ETag is then refused (412 version-mismatch)', async () => {
      const { inventory_count: _count, ...fields } = sent;
      const change = { ...fields, name: 'Typed client lamp, brass', price: 24.5, status: /** @type {const} */ ('inactive') };
      const { data, response } = await api().replace(item.id, change, etag);
      assert.equal(response.status, 200);
      assert.ok(data);
      assert.deepEqual([data.name, data.price, data.status, data.version, data.inventory_count], ['Typed client lamp, brass', 24.5, 'inactive', 2, 4]);
      assert.equal(response.headers.get('etag'), '"2"');

      const stale = await api().replace(item.id, change, etag);
      assert.equal(stale.response.status, 412);
      assert.equal(stale.response.headers.get('content-type'), 'application/problem+json');
      assert.equal(stale.error?.type, 'https://canarydemo.example/problems/version-mismatch');
      assert.ok(documentedProblemTypes().includes(stale.error.type));
      item = data;
    });

    test('inventory change: the count moves by the change and the previous count is reported', async () => {
      const { data, response } = await api().changeInventory(item.id, { quantity_change: -3, reason: 'sale' });
      assert.equal(response.status, 200);
      assert.ok(data);
      assert.deepEqual([data.previous_count, data.item.inventory_count, data.item.version], [4, 1, 3]);
      assert.equal(response.headers.get('etag'), '"3"');
    });

    test('list and search: the item is found by category and by a word of its name, and not by another tenant', async () => {
      const byCategory = await api().list({ category: 'home' });
      assert.equal(byCategory.response.status, 200);
      assert.deepEqual(byCategory.data?.items.map((i) => i.id), [item.id]);
      const bySearch = await api().list({ search: 'BRASS', page_size: 5 });
      assert.deepEqual(bySearch.data?.items.map((i) => i.name), ['Typed client lamp, brass']);
      const other = await itemsClient(baseUrl, { tenant: newTenant() }).list({ search: 'brass' });
      assert.deepEqual(other.data?.items, []);
    });

    test('create with an Idempotency-Key, twice: the second answer is the item created first', async () => {
      const body = { ...sent, sku: `TC-${tenant}-key` };
      const first = await api().create(body, `key-${tenant}`);
      const retry = await api().create(body, `key-${tenant}`);
      assert.equal(first.response.status, 201);
      assert.ok(first.data && retry.data);
      assert.equal(retry.data.id, first.data.id);
      assert.equal(retry.data.version, 1);

      const discontinued = await api().discontinue(first.data.id);
      assert.equal(discontinued.response.status, 204);
      assert.equal((await api().get(first.data.id)).data?.status, 'discontinued');
    });

    test('a problem 4xx: a missing item is 404 with a documented problem type', async () => {
      const { data, error, response } = await api().get('0190b3c4-5d6e-7f80-9a1b-000000000000');
      assert.equal(data, undefined);
      assert.equal(response.status, 404);
      assert.equal(error?.status, 404);
      assert.equal(error?.type, 'https://canarydemo.example/problems/item-not-found');
      assert.ok(documentedProblemTypes().includes(error.type), `${error.type} is not among the documented problem types`);
    });

    test('a validation problem names the field and its type is documented', async () => {
      const { error, response } = await api().changeInventory(item.id, { quantity_change: 0 });
      assert.equal(response.status, 400);
      assert.equal(error?.type, 'https://canarydemo.example/problems/validation-failed');
      assert.ok(documentedProblemTypes().includes(error.type));
      assert.ok(error && 'errors' in error && error.errors && Object.keys(error.errors).includes('quantity_change'), JSON.stringify(error));
    });

    test('X-Canary: echoed in X-Canary-Echo; X-Canary-Route has the documented format, hops in call order', async () => {
      const { response } = await itemsClient(baseUrl, { tenant, canary: '42' }).get(item.id);
      assert.equal(response.status, 200);
      assert.equal(response.headers.get('x-canary-echo'), '42');
      const route = response.headers.get('x-canary-route');
      const documented = served.paths['/api/v1/items/{id}'].get.responses['200'].headers['X-Canary-Route'].schema.pattern;
      assert.match(route ?? '', new RegExp(documented));
      // No PR runs here: both hops are stable, the api's first.
      assert.equal(route, 'api-service=stable, store-service=stable');

      const health = await itemsClient(baseUrl, { tenant }).health();
      assert.deepEqual(health.data, { status: 'healthy' });
      assert.equal(health.response.headers.get('x-canary-echo'), null);
      assert.equal(health.response.headers.get('x-canary-route'), 'api-service=stable');
    });
  });
});

/** The problem types the document promises, read from the ProblemDetails `type` description. */
function documentedProblemTypes() {
  const description = served.components.schemas.ProblemDetails.properties.type.description;
  const types = description.match(/https:\/\/canarydemo\.example\/problems\/[a-z-]+/g) ?? [];
  assert.ok(types.length > 10, `the ProblemDetails type description lists no problem types: ${description}`);
  return types;
}
