// Brings the installed rules and the toolbar badge in line with the stored settings.
import { activePrNumber, buildRules, replaceRuleSet } from './rules.js';

/**
 * @typedef {object} RuleSyncDeps
 * @property {() => Promise<import('./rules.js').CanarySettings>} loadSettings
 * @property {{
 *   getDynamicRules(): Promise<chrome.declarativeNetRequest.Rule[]>,
 *   updateDynamicRules(options: chrome.declarativeNetRequest.UpdateRuleOptions): Promise<void>,
 * }} rules the part of chrome.declarativeNetRequest used
 * @property {{
 *   setBadgeText(details: { text: string }): Promise<void>,
 *   setTitle(details: { title: string }): Promise<void>,
 * }} action the part of chrome.action used
 */

/**
 * Returns a function that rebuilds everything from the settings. Runs are queued, never
 * interleaved: two overlapping read-then-update runs would both remove the same old ids
 * and then both add theirs, which Chrome refuses as duplicate ids. Each run reads the
 * settings when it starts, so the last run always applies the latest settings.
 * @param {RuleSyncDeps} deps
 * @returns {() => Promise<void>}
 */
export function createRuleSync({ loadSettings, rules, action }) {
  /** @type {Promise<unknown>} */
  let queue = Promise.resolve();

  async function run() {
    const settings = await loadSettings();
    const installed = await rules.getDynamicRules();
    await rules.updateDynamicRules(replaceRuleSet(installed, buildRules(settings)));
    const pr = activePrNumber(settings);
    await action.setBadgeText({ text: pr ?? '' });
    await action.setTitle({ title: pr === null ? 'Canary header: off' : `Canary header: X-Canary: ${pr}` });
  }

  return () => {
    const next = queue.then(run);
    queue = next.catch(() => {});
    return next;
  };
}
