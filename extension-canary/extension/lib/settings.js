// The user's settings as kept in chrome.storage.local (local, not sync: nothing leaves
// the browser). Whatever is read back is normalised, so a hand-edited or older value can
// never produce an invalid rule.
import { isValidPrNumber } from './canary-value.js';
import { formatDomain, parseDomain } from './domains.js';

/** @typedef {import('./rules.js').CanarySettings} CanarySettings */

/** Listed until the user changes the list; the header is off until they switch it on. */
export const DEFAULT_DOMAINS = Object.freeze(['localhost:8080', 'api.dev.example.com']);

/**
 * @param {Record<string, unknown>} stored
 * @returns {CanarySettings}
 */
export function normalizeSettings(stored) {
  const domains = Array.isArray(stored.domains) ? stored.domains : [...DEFAULT_DOMAINS];
  return {
    enabled: stored.enabled === true,
    prNumber: isValidPrNumber(stored.prNumber) ? stored.prNumber : '',
    domains: uniqueCanonicalDomains(domains),
  };
}

/**
 * @param {unknown[]} values
 * @returns {string[]}
 */
function uniqueCanonicalDomains(values) {
  const result = new Set();
  for (const value of values) {
    if (typeof value !== 'string') continue;
    const parsed = parseDomain(value);
    if (parsed.ok) result.add(formatDomain(parsed.domain));
  }
  return [...result];
}

/**
 * @param {chrome.storage.StorageArea} [area]
 * @returns {Promise<CanarySettings>}
 */
export async function loadSettings(area = chrome.storage.local) {
  const stored = await area.get(['enabled', 'prNumber', 'domains']);
  return normalizeSettings(stored);
}

/**
 * @param {Partial<CanarySettings>} changes
 * @param {chrome.storage.StorageArea} [area]
 */
export async function saveSettings(changes, area = chrome.storage.local) {
  await area.set(changes);
}

/**
 * The route of the last response seen from a target domain; kept for the browser session only
 * (chrome.storage.session, in memory).
 * @param {import('./route.js').SeenRoute} seen
 * @param {chrome.storage.StorageArea} [area]
 */
export async function saveLastRoute(seen, area = chrome.storage.session) {
  await area.set({ lastRoute: seen });
}

/**
 * @param {chrome.storage.StorageArea} [area]
 * @returns {Promise<import('./route.js').SeenRoute | null>}
 */
export async function loadLastRoute(area = chrome.storage.session) {
  /** @type {{ lastRoute?: Partial<import('./route.js').SeenRoute> }} */
  const { lastRoute } = await area.get('lastRoute');
  return typeof lastRoute?.route === 'string' && typeof lastRoute.domain === 'string' && typeof lastRoute.request === 'string'
    ? { domain: lastRoute.domain, request: lastRoute.request, route: lastRoute.route, at: Number(lastRoute.at) }
    : null;
}
