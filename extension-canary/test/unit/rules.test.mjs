import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ALL_RESOURCE_TYPES, activePrNumber, buildRules, replaceRuleSet } from '../../extension/lib/rules.js';

const ACTIVE = { enabled: true, prNumber: '42', domains: ['localhost:8080', 'api.dev.example.com'] };

describe('building the rules', () => {
  test('one rule per domain, ids 1..n, each setting X-Canary to the PR number', () => {
    const rules = buildRules(ACTIVE);
    assert.deepEqual(rules.map((r) => r.id), [1, 2]);
    for (const rule of rules) {
      assert.deepEqual(rule.action, {
        type: 'modifyHeaders',
        requestHeaders: [{ header: 'X-Canary', operation: 'set', value: '42' }],
      });
    }
    assert.deepEqual(rules.map((r) => r.condition.requestDomains), [['localhost'], ['api.dev.example.com']]);
  });

  test('every rule lists every resource type, navigations included', () => {
    const everyType = ['main_frame', 'sub_frame', 'stylesheet', 'script', 'image', 'font', 'object', 'xmlhttprequest',
      'ping', 'csp_report', 'media', 'websocket', 'webtransport', 'webbundle', 'other'];
    assert.deepEqual([...ALL_RESOURCE_TYPES].sort(), everyType.sort());
    for (const rule of buildRules(ACTIVE)) assert.deepEqual(rule.condition.resourceTypes, ALL_RESOURCE_TYPES);
  });

  test('CORS preflights are left alone, so they reach the stable deployment', () => {
    for (const rule of buildRules(ACTIVE)) assert.deepEqual(rule.condition.excludedRequestMethods, ['options']);
  });

  test('no rules while switched off, without a valid PR number, or without domains', () => {
    assert.deepEqual(buildRules({ ...ACTIVE, enabled: false }), []);
    assert.deepEqual(buildRules({ ...ACTIVE, prNumber: '' }), []);
    assert.deepEqual(buildRules({ ...ACTIVE, prNumber: '042' }), []);
    assert.deepEqual(buildRules({ ...ACTIVE, domains: [] }), []);
    assert.equal(activePrNumber({ ...ACTIVE, enabled: false }), null);
    assert.equal(activePrNumber(ACTIVE), '42');
  });

  test('a domain that does not parse gets no rule and leaves no gap in the ids', () => {
    const rules = buildRules({ ...ACTIVE, domains: ['localhost:8080', 'not a domain', 'api.dev.example.com'] });
    assert.deepEqual(rules.map((r) => [r.id, r.condition.requestDomains]), [[1, ['localhost']], [2, ['api.dev.example.com']]]);
  });
});

describe('replacing the installed rule set', () => {
  test('removes every installed id, including ones the new set does not reuse, and adds the new set', () => {
    const installed = buildRules({ ...ACTIVE, domains: ['a.example', 'b.example', 'c.example'] });
    const desired = buildRules({ ...ACTIVE, prNumber: '7', domains: ['a.example'] });
    assert.deepEqual(replaceRuleSet([...installed, { ...installed[0], id: 99 }], desired), {
      removeRuleIds: [1, 2, 3, 99],
      addRules: desired,
    });
  });

  test('switching off removes everything and adds nothing', () => {
    assert.deepEqual(replaceRuleSet(buildRules(ACTIVE), []), { removeRuleIds: [1, 2], addRules: [] });
  });

  test('refuses a desired set with duplicate ids instead of letting Chrome reject half of it', () => {
    const [rule] = buildRules(ACTIVE);
    assert.throws(() => replaceRuleSet([], [rule, rule]), /duplicate rule ids/);
  });
});
