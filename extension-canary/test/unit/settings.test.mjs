import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DEFAULT_DOMAINS, loadSettings, normalizeSettings } from '../../extension/lib/settings.js';
import { describeStatus } from '../../extension/lib/status.js';

describe('settings read back from storage', () => {
  test('a fresh install is off, without a PR number, with the default domains', () => {
    assert.deepEqual(normalizeSettings({}), { enabled: false, prNumber: '', domains: ['localhost:8080', 'api.dev.example.com'] });
    assert.deepEqual(DEFAULT_DOMAINS, ['localhost:8080', 'api.dev.example.com']);
  });

  test('an emptied domain list stays empty', () => {
    assert.deepEqual(normalizeSettings({ domains: [] }).domains, []);
  });

  test('values that could produce a wrong rule are dropped', () => {
    assert.deepEqual(
      normalizeSettings({ enabled: 'yes', prNumber: '042', domains: ['LOCALHOST:8080', 'localhost:8080', 'bad domain', 7] }),
      { enabled: false, prNumber: '', domains: ['localhost:8080'] },
    );
  });

  test('loadSettings reads only its own keys from the storage area', async () => {
    /** @type {unknown} */
    let askedFor;
    const area = /** @type {chrome.storage.StorageArea} */ (/** @type {unknown} */ ({
      get: async (/** @type {unknown} */ keys) => {
        askedFor = keys;
        return { enabled: true, prNumber: '7', domains: ['localhost:5080'] };
      },
    }));
    assert.deepEqual(await loadSettings(area), { enabled: true, prNumber: '7', domains: ['localhost:5080'] });
    assert.deepEqual(askedFor, ['enabled', 'prNumber', 'domains']);
  });
});

describe('status line in the popup', () => {
  const active = { enabled: true, prNumber: '42', domains: ['localhost:8080', 'api.dev.example.com'] };

  test('says which PR is active and where', () => {
    assert.deepEqual(describeStatus(active, 0), { kind: 'active', text: 'Active for PR 42: X-Canary: 42 on 2 domains' });
    assert.deepEqual(describeStatus({ ...active, domains: ['localhost:8080'] }, 0).text, 'Active for PR 42: X-Canary: 42 on 1 domain');
    assert.equal(describeStatus(active, 1).text, 'Active for PR 42: X-Canary: 42 on 2 domains (1 without access)');
  });

  test('says off when off, and why nothing happens when on but incomplete', () => {
    assert.deepEqual(describeStatus({ ...active, enabled: false }, 0), { kind: 'off', text: 'Off: requests are sent unchanged.' });
    assert.deepEqual(describeStatus({ ...active, prNumber: '' }, 0), { kind: 'problem', text: 'On, but no PR number is set.' });
    assert.deepEqual(describeStatus({ ...active, domains: [] }, 0), { kind: 'problem', text: 'On, but there are no target domains.' });
  });
});
