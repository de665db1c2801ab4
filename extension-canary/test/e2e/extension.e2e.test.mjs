// End to end: Debian's Chromium with the unpacked extension, configured through its real popup,
// sending real requests over loopback to the real api-service (with store-service and dynalite
// behind it, started by scripts/run). What the api-service and the store-service received is read
// from their own JSON log lines.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { launchWithExtension } from './browser.mjs';
import { startPageServer } from './page-server.mjs';
import { PopupPage } from './popup-page.mjs';
import { isRequestLine, startStack } from '../../../scripts/lib/local-stack.mjs';

/** @typedef {import('playwright-core').Page} Page */

// Chromium applies the rules by host name, so the test lists the name it really uses:
// localhost:<api port>. The page server, localhost:<other port>, is a page origin that is not in
// the list (a port of a listed host), and 127.0.0.1:<api port> is the api-service under a host
// name that is not in the list.
/** @type {import('../../../scripts/lib/local-stack.mjs').Stack} */ let stack;
/** @type {import('./page-server.mjs').PageServer} */ let page;
/** @type {string} */ let profileDir;
/** @type {import('./browser.mjs').ExtensionBrowser} */ let browser;
/** @type {PopupPage} */ let popup;
/** @type {Page} */ let tab;
let step = 0;

/**
 * Opens the api-service's /health in the tab; returns the echo it answered and the X-Canary it
 * logged as received.
 * @param {string} host
 */
async function navigateToApi(host) {
  const mark = await stack.api.mark();
  const response = await tab.goto(`${stack.origin(host)}/health`);
  assert.ok(response, 'navigation got a response');
  assert.equal(response.status(), 200);
  const line = await stack.api.waitFor(mark, (event) => isRequestLine(event, 'GET', '/health'));
  return { echo: response.headers()['x-canary-echo'], received: line.canary };
}

/** Opens the local page; returns the echo (never any) and what the page server received. */
async function navigateToPage() {
  const path = `/?navigation=${++step}`;
  const response = await tab.goto(`${page.origin('localhost')}${path}`);
  assert.ok(response, 'navigation got a response');
  return { echo: response.headers()['x-canary-echo'], received: page.lastRequest(path)?.canary };
}

/**
 * Calls the api-service (as localhost) with fetch() from the page open in the tab; returns the
 * echo the page could read, the X-Canary the api-service logged, and its log line of the CORS
 * preflight if Chrome sent one.
 * @param {string} path
 * @param {Record<string, string>} [headers]
 */
async function fetchFromTab(path, headers = {}) {
  const mark = await stack.api.mark();
  const url = `${stack.origin('localhost')}${path}`;
  const { status, echo } = await tab.evaluate(async ({ url, headers }) => {
    const response = await fetch(url, { headers });
    return { status: response.status, echo: response.headers.get('X-Canary-Echo') };
  }, { url, headers });
  assert.equal(status, 200);
  const { pathname } = new URL(url);
  const line = await stack.api.waitFor(mark, (event) => isRequestLine(event, 'GET', pathname));
  const [preflight] = await stack.api.since(mark, (event) => isRequestLine(event, 'OPTIONS', pathname));
  return { echo, received: line.canary, preflight };
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

describe('extension in Chromium against the real api-service', () => {
  before(async () => {
    page = await startPageServer();
    // PR 99 has both tracks; the other PR numbers the tests use have none, so stable serves them.
    stack = await startStack({ corsOrigins: [page.origin('localhost')], prs: ['99'] });
    profileDir = await mkdtemp(join(tmpdir(), 'canary-profile-'));
    await startBrowser();
  });

  after(async () => {
    await browser?.context.close();
    await stack?.stop();
    await page?.close();
    if (profileDir) await rm(profileDir, { recursive: true, force: true });
  });

  test('a fresh install is off, lists the default domains and has access to localhost only', async () => {
    await popup.waitForStatus('Off: requests are sent unchanged.');
    assert.deepEqual(await popup.domains(), ['localhost:8080', 'api.dev.example.com']);
    assert.equal(await popup.domainItem('localhost:8080').locator('.access').textContent(), '');
    assert.equal(await popup.domainItem('api.dev.example.com').locator('.access').textContent(), 'no access');
    assert.equal(await badge(), '');
    assert.deepEqual(await installedRules(), []);
    assert.deepEqual(await navigateToApi('localhost'), { echo: undefined, received: undefined });
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
    await popup.addDomain(`localhost:${stack.port}`);
    await popup.switchOn();
    await popup.waitForStatus('Active for PR 42: X-Canary: 42 on 3 domains (1 without access)');
    assert.equal(await badge(), '42');

    assert.deepEqual(await navigateToApi('localhost'), { echo: '42', received: '42' });
    const sameOrigin = await fetchFromTab('/health');
    assert.deepEqual([sameOrigin.echo, sameOrigin.received], ['42', '42']);
  });

  test('a cross-origin call from another local page carries the header to the store; its CORS preflight does not', async () => {
    await navigateToPage();
    const simple = await fetchFromTab('/health');
    assert.deepEqual([simple.echo, simple.received, simple.preflight], ['42', '42', undefined],
      'the header the extension adds does not make Chrome send a preflight');

    const storeMark = await stack.store.mark();
    const preflighted = await fetchFromTab('/api/v1/items?page_size=1', { 'X-Tenant-ID': '1' });
    assert.deepEqual([preflighted.echo, preflighted.received], ['42', '42']);
    assert.ok(preflighted.preflight, 'a custom request header makes Chrome send a preflight');
    assert.equal(preflighted.preflight.canary, undefined, 'the preflight goes to the stable deployment');
    const storeLine = await stack.store.waitFor(storeMark,
      (event) => event.grpc_method === '/store.v1.StoreService/ListItems' && event.tenant === 1);
    assert.equal(storeLine.canary, '42', 'the api-service passed the header on to the store-service');
  });

  test('a domain not in the list gets no header', async () => {
    assert.deepEqual(await navigateToPage(), { echo: undefined, received: undefined }, 'another port of a listed host');
    assert.deepEqual(await navigateToApi('127.0.0.1'), { echo: undefined, received: undefined }, 'another name for the listed server');
  });

  test('switched off, requests go out unchanged and the badge is empty', async () => {
    await popup.switchOff();
    await popup.waitForStatus('Off: requests are sent unchanged.');
    assert.equal(await badge(), '');
    assert.deepEqual(await installedRules(), []);
    assert.deepEqual(await navigateToApi('localhost'), { echo: undefined, received: undefined });
    const call = await fetchFromTab('/health');
    assert.deepEqual([call.echo, call.received], [null, undefined]);
  });

  test('changed to PR 7, requests carry X-Canary: 7 and the badge shows 7', async () => {
    await popup.applyPrNumber('7');
    await popup.switchOn();
    await popup.waitForStatus('Active for PR 7');
    assert.equal(await badge(), '7');
    assert.deepEqual(await navigateToApi('localhost'), { echo: '7', received: '7' });
    const call = await fetchFromTab('/health');
    assert.deepEqual([call.echo, call.received], ['7', '7']);
    assert.deepEqual((await installedRules()).map((rule) => rule.id), [1, 2, 3], 'rule set replaced, not appended');
  });

  test('the popup shows the route of the last response: PR 7 (no tracks here) served by stable, PR 99 at every hop', async () => {
    /** @param {string} path */
    const fetchRoute = (path) => tab.evaluate(async (url) => (await fetch(url, { headers: { 'X-Tenant-ID': '1' } })).headers.get('X-Canary-Route'),
      `${stack.origin('localhost')}${path}`);
    const domain = `localhost:${stack.port}`;

    assert.equal(await fetchRoute('/api/v1/items?page_size=1'), 'api-service=stable, store-service=stable');
    await popup.waitForRoute(`${domain} GET /api/v1/items?page_size=1: api-service=stable, store-service=stable`);
    assert.equal(await popup.routeVerdict.textContent(), 'PR 7 served no hop: api-service (stable), store-service (stable).');

    await popup.applyPrNumber('99');
    await popup.waitForStatus('Active for PR 99');
    assert.equal(await fetchRoute('/api/v1/items?page_size=2'), 'api-service=pr-99, store-service=pr-99');
    await popup.waitForRoute(`${domain} GET /api/v1/items?page_size=2: api-service=pr-99, store-service=pr-99`);
    assert.equal(await popup.routeVerdict.textContent(), 'PR 99 served every hop.');

    await popup.applyPrNumber('7');
    await popup.waitForStatus('Active for PR 7');
  });

  test('after a restart with the same profile, the settings and rules are still in force', async () => {
    // Chrome re-installs a --load-extension extension at every launch, so this restart runs
    // the onInstalled path; a profile-installed extension gets onStartup, which runs the same sync.
    await browser.context.close();
    await startBrowser();

    await popup.waitForStatus('Active for PR 7');
    assert.equal(await popup.prInput.inputValue(), '7');
    assert.equal(await popup.switch.isChecked(), true);
    assert.deepEqual(await popup.domains(), ['localhost:8080', 'api.dev.example.com', `localhost:${stack.port}`]);
    await waitForBadge('7');
    assert.deepEqual(await navigateToApi('localhost'), { echo: '7', received: '7' });
    const call = await fetchFromTab('/health');
    assert.deepEqual([call.echo, call.received], ['7', '7']);
  });

  test('a removed domain no longer gets the header', async () => {
    await popup.removeDomain(`localhost:${stack.port}`);
    await popup.waitForStatus('Active for PR 7: X-Canary: 7 on 2 domains');
    assert.deepEqual(await navigateToApi('localhost'), { echo: undefined, received: undefined });
    assert.deepEqual((await installedRules()).map((rule) => rule.id), [1, 2]);
  });
});
