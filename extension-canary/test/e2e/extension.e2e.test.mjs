// End to end: Debian's Chromium with the unpacked extension, configured through its real
// popup, sending real requests over loopback to the target server.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { launchWithExtension } from './browser.mjs';
import { PopupPage } from './popup-page.mjs';
import { startTargetServer } from './target-server.mjs';

/** @typedef {import('./target-server.mjs').TargetServer} TargetServer */
/** @typedef {import('playwright-core').Page} Page */

// Chromium applies the rules by host name, so the test lists the name it really uses:
// localhost:<api port>. The second server, localhost:<other port>, is a page origin that
// is not in the list (a port of a listed host), and 127.0.0.1:<api port> is the same
// server under a host name that is not in the list.
/** @type {TargetServer} */ let api;
/** @type {TargetServer} */ let other;
/** @type {string} */ let profileDir;
/** @type {import('./browser.mjs').ExtensionBrowser} */ let browser;
/** @type {PopupPage} */ let popup;
/** @type {Page} */ let tab;
let step = 0;

/**
 * Opens a URL in the tab; returns the echo the server answered and what it received.
 * @param {TargetServer} server
 * @param {string} host
 */
async function navigate(server, host) {
  const path = `/health?navigation=${++step}`;
  const response = await tab.goto(`${server.origin(host)}${path}`);
  assert.ok(response, 'navigation got a response');
  return { echo: response.headers()['x-canary-echo'], received: server.lastRequest(path)?.canary };
}

/**
 * Calls fetch() from the page currently open in the tab.
 * @param {TargetServer} server
 * @param {string} host
 * @param {Record<string, string>} [headers]
 */
async function fetchFromTab(server, host, headers = {}) {
  const path = `/health?fetch=${++step}`;
  const url = `${server.origin(host)}${path}`;
  const { status, echo } = await tab.evaluate(async ({ url, headers }) => {
    const response = await fetch(url, { headers });
    return { status: response.status, echo: response.headers.get('X-Canary-Echo') };
  }, { url, headers });
  assert.equal(status, 200);
  return { echo, received: server.lastRequest(path)?.canary, preflight: server.lastRequest(path, 'OPTIONS') };
}

async function badge() {
  return browser.worker.evaluate(() => chrome.action.getBadgeText({}));
}

/**
 * After a restart the worker rebuilds the badge asynchronously, so poll for it.
 * @param {string} expected
 */
async function waitForBadge(expected) {
  const deadline = Date.now() + 10_000;
  let actual = await badge();
  while (actual !== expected && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    actual = await badge();
  }
  assert.equal(actual, expected, 'badge text');
}

async function installedRules() {
  return browser.worker.evaluate(() => chrome.declarativeNetRequest.getDynamicRules());
}

async function startBrowser() {
  browser = await launchWithExtension(profileDir);
  popup = await PopupPage.open(browser.context, browser.extensionId);
  tab = await browser.context.newPage();
}

describe('extension in Chromium', () => {
  before(async () => {
    other = await startTargetServer();
    api = await startTargetServer({ allowedOrigins: [other.origin('localhost')] });
    profileDir = await mkdtemp(join(tmpdir(), 'canary-profile-'));
    await startBrowser();
  });

  after(async () => {
    await browser?.context.close();
    await api?.close();
    await other?.close();
    if (profileDir) await rm(profileDir, { recursive: true, force: true });
  });

  test('a fresh install is off, lists the default domains and has access to localhost only', async () => {
    await popup.waitForStatus('Off: requests are sent unchanged.');
    assert.deepEqual(await popup.domains(), ['localhost:8080', 'api.dev.example.com']);
    assert.equal(await popup.domainItem('localhost:8080').locator('.access').textContent(), '');
    assert.equal(await popup.domainItem('api.dev.example.com').locator('.access').textContent(), 'no access');
    assert.equal(await badge(), '');
    assert.deepEqual(await installedRules(), []);
    assert.deepEqual(await navigate(api, 'localhost'), { echo: undefined, received: undefined });
  });

  test('the popup refuses PR numbers the server would ignore and stays off', async () => {
    for (const value of ['0', '042', '-1', '4a', '1234567890', '４２']) {
      await popup.applyPrNumber(value);
      assert.notEqual(await popup.prError.textContent(), '', `no error shown for ${value}`);
      await popup.front();
      await popup.switch.click();
      assert.equal(await popup.switch.isChecked(), false, `switched on with ${value}`);
    }
    await popup.waitForStatus('Off');
    assert.deepEqual(await installedRules(), []);
  });

  test('configured through the popup, navigation and fetch() carry X-Canary: 42 and get the echo', async () => {
    await popup.applyPrNumber('42');
    assert.equal(await popup.prError.textContent(), '');
    await popup.addDomain(`localhost:${api.port}`);
    await popup.switchOn();
    await popup.waitForStatus('Active for PR 42: X-Canary: 42 on 3 domains (1 without access)');
    assert.equal(await badge(), '42');

    assert.deepEqual(await navigate(api, 'localhost'), { echo: '42', received: '42' });
    const sameOrigin = await fetchFromTab(api, 'localhost');
    assert.deepEqual([sameOrigin.echo, sameOrigin.received], ['42', '42']);
  });

  test('a cross-origin call from another local page carries the header; its CORS preflight does not', async () => {
    await navigate(other, 'localhost');
    const simple = await fetchFromTab(api, 'localhost');
    assert.deepEqual([simple.echo, simple.received, simple.preflight], ['42', '42', undefined],
      'the header the extension adds does not make Chrome send a preflight');

    const preflighted = await fetchFromTab(api, 'localhost', { 'X-Tenant-ID': '1' });
    assert.deepEqual([preflighted.echo, preflighted.received], ['42', '42']);
    assert.ok(preflighted.preflight, 'a custom request header makes Chrome send a preflight');
    assert.equal(preflighted.preflight.canary, undefined, 'the preflight goes to the stable deployment');
  });

  test('a domain not in the list gets no header', async () => {
    assert.deepEqual(await navigate(other, 'localhost'), { echo: undefined, received: undefined }, 'another port of a listed host');
    assert.deepEqual(await navigate(api, '127.0.0.1'), { echo: undefined, received: undefined }, 'another name for the listed server');
  });

  test('switched off, requests go out unchanged and the badge is empty', async () => {
    await popup.switchOff();
    await popup.waitForStatus('Off: requests are sent unchanged.');
    assert.equal(await badge(), '');
    assert.deepEqual(await installedRules(), []);
    assert.deepEqual(await navigate(api, 'localhost'), { echo: undefined, received: undefined });
    const call = await fetchFromTab(api, 'localhost');
    assert.deepEqual([call.echo, call.received], [null, undefined]);
  });

  test('changed to PR 7, requests carry X-Canary: 7 and the badge shows 7', async () => {
    await popup.applyPrNumber('7');
    await popup.switchOn();
    await popup.waitForStatus('Active for PR 7');
    assert.equal(await badge(), '7');
    assert.deepEqual(await navigate(api, 'localhost'), { echo: '7', received: '7' });
    const call = await fetchFromTab(api, 'localhost');
    assert.deepEqual([call.echo, call.received], ['7', '7']);
    assert.deepEqual((await installedRules()).map((rule) => rule.id), [1, 2, 3], 'rule set replaced, not appended');
  });

  test('after a restart with the same profile, the settings and rules are still in force', async () => {
    // Chrome re-installs a --load-extension extension at every launch, so this restart runs
    // the onInstalled path; a profile-installed extension gets onStartup, which runs the same sync.
    await browser.context.close();
    await startBrowser();

    await popup.waitForStatus('Active for PR 7');
    assert.equal(await popup.prInput.inputValue(), '7');
    assert.equal(await popup.switch.isChecked(), true);
    assert.deepEqual(await popup.domains(), ['localhost:8080', 'api.dev.example.com', `localhost:${api.port}`]);
    await waitForBadge('7');
    assert.deepEqual(await navigate(api, 'localhost'), { echo: '7', received: '7' });
    const call = await fetchFromTab(api, 'localhost');
    assert.deepEqual([call.echo, call.received], ['7', '7']);
  });

  test('a removed domain no longer gets the header', async () => {
    await popup.removeDomain(`localhost:${api.port}`);
    await popup.waitForStatus('Active for PR 7: X-Canary: 7 on 2 domains');
    assert.deepEqual(await navigate(api, 'localhost'), { echo: undefined, received: undefined });
    assert.deepEqual((await installedRules()).map((rule) => rule.id), [1, 2]);
  });
});
