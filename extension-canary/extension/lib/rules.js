// Builds the declarativeNetRequest dynamic rules from the settings, and the update that
// replaces whatever rule set is installed with them.
import { isValidPrNumber } from './canary-value.js';
import { parseDomain, urlCondition } from './domains.js';

export const CANARY_HEADER = 'X-Canary';

/**
 * Every resource type, listed explicitly: a rule without resourceTypes skips main_frame,
 * so navigations would go out without the header.
 * @type {`${chrome.declarativeNetRequest.ResourceType}`[]}
 */
export const ALL_RESOURCE_TYPES = [
  'main_frame',
  'sub_frame',
  'stylesheet',
  'script',
  'image',
  'font',
  'object',
  'xmlhttprequest',
  'ping',
  'csp_report',
  'media',
  'websocket',
  'webtransport',
  'webbundle',
  'other',
];

/**
 * @typedef {object} CanarySettings
 * @property {boolean} enabled
 * @property {string} prNumber '' until the user sets a valid one
 * @property {string[]} domains canonical domains (see formatDomain)
 */

/**
 * The PR number whose header is being injected, or null when nothing is injected.
 * @param {CanarySettings} settings
 * @returns {string | null}
 */
export function activePrNumber(settings) {
  return settings.enabled && isValidPrNumber(settings.prNumber) && settings.domains.length > 0
    ? settings.prNumber
    : null;
}

/**
 * One rule per domain, ids 1..n, or no rules while inactive.
 * @param {CanarySettings} settings
 * @returns {chrome.declarativeNetRequest.Rule[]}
 */
export function buildRules(settings) {
  const pr = activePrNumber(settings);
  if (pr === null) return [];
  return settings.domains.flatMap((text) => {
    const parsed = parseDomain(text);
    return parsed.ok ? [parsed.domain] : [];
  }).map((domain, index) => ({
    id: index + 1,
    priority: 1,
    action: {
      type: 'modifyHeaders',
      requestHeaders: [{
        header: CANARY_HEADER,
        operation: 'set',
        value: pr,
      }],
    },
    condition: {
      ...urlCondition(domain),
      resourceTypes: ALL_RESOURCE_TYPES,
      // Chrome would otherwise add the header to CORS preflights too; the canary contract
      // wants them to reach the stable deployment, as they do without the extension.
      excludedRequestMethods: ['options'],
    },
  }));
}

/**
 * Replaces the installed rule set with the desired one in a single atomic update: every
 * installed id is removed, so ids can be reused and nothing is ever appended twice.
 * @param {chrome.declarativeNetRequest.Rule[]} installed
 * @param {chrome.declarativeNetRequest.Rule[]} desired
 * @returns {chrome.declarativeNetRequest.UpdateRuleOptions}
 */
export function replaceRuleSet(installed, desired) {
  const ids = desired.map((rule) => rule.id);
  if (new Set(ids).size !== ids.length) throw new Error(`duplicate rule ids in ${JSON.stringify(ids)}`);
  return { removeRuleIds: installed.map((rule) => rule.id), addRules: desired };
}
