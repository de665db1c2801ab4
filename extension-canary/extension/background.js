// Service worker: rebuilds the dynamic rules and the badge from chrome.storage whenever
// they could be out of date. Listeners are registered synchronously at the top level so
// that Chrome can wake the worker for them.
import { createRuleSync } from './lib/rule-sync.js';
import { loadSettings } from './lib/settings.js';

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
