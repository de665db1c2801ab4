// Service worker: rebuilds the dynamic rules and the badge from chrome.storage whenever
// they could be out of date. Listeners are registered synchronously at the top level so
// that Chrome can wake the worker for them.
import { createRuleSync } from './lib/rule-sync.js';
import { domainOf, parseRoute, ROUTE_HEADER } from './lib/route.js';
import { loadSettings, saveLastRoute } from './lib/settings.js';

const BADGE_COLOR = '#b45309';

const sync = createRuleSync({
  loadSettings: () => loadSettings(),
  rules: chrome.declarativeNetRequest,
  action: chrome.action,
});

/** @param {string} reason */
function syncLogged(reason) {
  return sync().catch((error) => {
    console.error(`canary: could not apply the settings (${reason})`, error);
    throw error;
  });
}

chrome.runtime.onInstalled.addListener(() => {
  void chrome.action.setBadgeBackgroundColor({ color: BADGE_COLOR });
  syncLogged('installed').catch(() => {});
});

chrome.runtime.onStartup.addListener(() => {
  void chrome.action.setBadgeBackgroundColor({ color: BADGE_COLOR });
  syncLogged('browser start-up').catch(() => {});
});

chrome.storage.onChanged.addListener((_changes, areaName) => {
  if (areaName === 'local') syncLogged('settings changed').catch(() => {});
});

// The popup asks for a sync after saving, so it shows the state only once the rules are in force.
chrome.runtime.onMessage.addListener((message, _sender, sendResponse) => {
  if (message?.type !== 'canary:sync') return false;
  syncLogged('popup').then(
    () => sendResponse({ ok: true }),
    (error) => sendResponse({ ok: false, error: String(error?.message ?? error) }),
  );
  return true;
});

// The route of the last response from a target domain, for the popup. webRequest only observes
// (it cannot change anything) and only sees hosts the extension has access to.
chrome.webRequest.onHeadersReceived.addListener((details) => {
  const route = details.responseHeaders?.find((header) => header.name.toLowerCase() === ROUTE_HEADER)?.value;
  if (route === undefined || parseRoute(route).length === 0) return undefined;
  loadSettings().then(async (settings) => {
    const domain = domainOf(settings.domains, details.url);
    if (domain === null) return;
    const { pathname, search } = new URL(details.url);
    await saveLastRoute({ domain, request: `${details.method} ${pathname}${search}`, route, at: Date.now() });
  }).catch((error) => console.error('canary: could not record a route', error));
  return undefined;
}, { urls: ['<all_urls>'] }, ['responseHeaders']);
