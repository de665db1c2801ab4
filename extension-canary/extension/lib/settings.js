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
