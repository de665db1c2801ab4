import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { describeRoute, domainOf, parseRoute } from '../../extension/lib/route.js';

describe('parseRoute', () => {
  test('the hops of a well-formed X-Canary-Route, in call order', () => {
    assert.deepEqual(parseRoute('api-service=pr-42, store-service=stable'), [
      { service: 'api-service', track: 'pr-42' }, { service: 'store-service', track: 'stable' },
    ]);
    assert.deepEqual(parseRoute('api-service=stable'), [{ service: 'api-service', track: 'stable' }]);
  });

  for (const header of [undefined, '', 'api-service=pr-042', 'api-service=pr-42,store-service=stable', 'api-service', 'a=b', 'api-service=pr-42, ']) {
    test(`nothing from ${JSON.stringify(header)}`, () => assert.deepEqual(parseRoute(header), []));
  }
});

describe('describeRoute', () => {
  const hops = (/** @type {string} */ header) => parseRoute(header);

  test("every hop on the PR's track: the PR served it", () => {
    assert.deepEqual(describeRoute(hops('api-service=pr-42, store-service=pr-42'), '42'), { kind: 'pr', text: 'PR 42 served every hop.' });
  });

  test('some hops stable: names the hops the PR did not serve', () => {
    assert.deepEqual(describeRoute(hops('api-service=pr-7, store-service=stable'), '7'),
      { kind: 'mixed', text: 'PR 7 served api-service; not store-service (stable).' });
  });

  test('no hop on the PR: not served by the PR, whoever did', () => {
    assert.deepEqual(describeRoute(hops('api-service=stable, store-service=stable'), '7'),
      { kind: 'stable', text: 'PR 7 served no hop: api-service (stable), store-service (stable).' });
    assert.equal(describeRoute(hops('api-service=pr-4, store-service=pr-4'), '42').kind, 'stable', 'pr-4 is not pr-42');
  });

  test('with the header off there is no PR to compare with', () => {
    assert.equal(describeRoute(hops('api-service=stable'), null).kind, 'info');
  });
});

test('domainOf: the configured domain a response URL belongs to, matched like the header rules', () => {
  const domains = ['localhost:8080', 'api.dev.example.com'];
  assert.equal(domainOf(domains, 'http://localhost:8080/api/v1/items'), 'localhost:8080');
  assert.equal(domainOf(domains, 'https://api.dev.example.com/health'), 'api.dev.example.com');
  assert.equal(domainOf(domains, 'http://localhost:9999/api/v1/items'), null);
  assert.equal(domainOf(domains, 'https://evil.api.dev.example.com/'), null);
});
