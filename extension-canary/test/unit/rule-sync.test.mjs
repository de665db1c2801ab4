import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createRuleSync } from '../../extension/lib/rule-sync.js';

/**
 * In-memory stand-in for chrome.declarativeNetRequest's dynamic rules with Chrome's
 * semantics: an update removes, then adds, atomically, and is refused whole when an added
 * id is already in use. Each call yields to the event loop, like the real asynchronous API.
 */
function fakeDynamicRules() {
  /** @type {chrome.declarativeNetRequest.Rule[]} */
  let installed = [];
  const tick = () => new Promise((resolve) => setImmediate(resolve));
  return {
    get installed() { return installed; },
    async getDynamicRules() {
      await tick();
      return structuredClone(installed);
    },
    /** @param {chrome.declarativeNetRequest.UpdateRuleOptions} options */
    async updateDynamicRules({ removeRuleIds = [], addRules = [] }) {
      await tick();
      const kept = installed.filter((rule) => !removeRuleIds.includes(rule.id));
      const ids = [...kept, ...addRules].map((rule) => rule.id);
      if (new Set(ids).size !== ids.length) throw new Error('Rule with id does not have a unique ID');
      installed = [...kept, ...structuredClone(addRules)];
    },
  };
}

function fakeAction() {
  return {
    badge: 'never set',
    title: 'never set',
    /** @param {{ text: string }} details */
    async setBadgeText({ text }) { this.badge = text; },
    /** @param {{ title: string }} details */
    async setTitle({ title }) { this.title = title; },
  };
}

/** @param {import('../../extension/lib/rules.js').CanarySettings} initial */
function harness(initial) {
  const state = { settings: initial };
  const rules = fakeDynamicRules();
  const action = fakeAction();
  const sync = createRuleSync({ loadSettings: async () => structuredClone(state.settings), rules, action });
  return { state, rules, action, sync };
}

const ON = { enabled: true, prNumber: '42', domains: ['localhost:8080', 'api.dev.example.com'] };

describe('rebuilding rules and badge from the settings', () => {
  test('installs the rules and shows the PR number on the badge', async () => {
    const { rules, action, sync } = harness(ON);
    await sync();
    assert.deepEqual(rules.installed.map((r) => [r.id, r.action.requestHeaders?.[0].value]), [[1, '42'], [2, '42']]);
    assert.equal(action.badge, '42');
    assert.equal(action.title, 'Canary header: X-Canary: 42');
  });

  test('repeated runs replace the rule set instead of appending to it', async () => {
    const { state, rules, action, sync } = harness(ON);
    await sync();
    await sync();
    state.settings = { ...ON, prNumber: '7', domains: ['localhost:5080'] };
    await sync();
    assert.deepEqual(rules.installed.map((r) => [r.id, r.condition.requestDomains, r.action.requestHeaders?.[0].value]), [[1, ['localhost'], '7']]);
    assert.equal(action.badge, '7');
  });

  test('switching off removes every rule and empties the badge', async () => {
    const { state, rules, action, sync } = harness(ON);
    await sync();
    state.settings = { ...ON, enabled: false };
    await sync();
    assert.deepEqual(rules.installed, []);
    assert.equal(action.badge, '');
    assert.equal(action.title, 'Canary header: off');
  });

  test('overlapping runs (install, start-up and a change at once) never collide on ids and end on the latest settings', async () => {
    const { state, rules, action, sync } = harness(ON);
    const runs = [sync(), sync()];
    state.settings = { ...ON, prNumber: '9', domains: ['a.example', 'b.example', 'c.example'] };
    runs.push(sync(), sync());
    await Promise.all(runs);
    assert.deepEqual(rules.installed.map((r) => [r.id, r.action.requestHeaders?.[0].value]), [[1, '9'], [2, '9'], [3, '9']]);
    assert.equal(action.badge, '9');
  });

  test('a failed run is reported to its caller and does not block the next one', async () => {
    const { rules, sync } = harness(ON);
    const original = rules.updateDynamicRules;
    rules.updateDynamicRules = async () => { throw new Error('quota exceeded'); };
    await assert.rejects(sync(), /quota exceeded/);
    rules.updateDynamicRules = original;
    await sync();
    assert.equal(rules.installed.length, 2);
  });
});
