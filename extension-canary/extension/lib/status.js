// The one-line state the popup shows, derived from the settings.
import { activePrNumber } from './rules.js';

/**
 * @typedef {object} Status
 * @property {'active' | 'off' | 'problem'} kind
 * @property {string} text
 */

/**
 * @param {import('./rules.js').CanarySettings} settings
 * @param {number} domainsWithoutAccess configured domains Chrome gives the extension no access to
 * @returns {Status}
 */
export function describeStatus(settings, domainsWithoutAccess) {
  const pr = activePrNumber(settings);
  if (pr !== null) {
    const count = settings.domains.length;
    const reach = `X-Canary: ${pr} on ${count} ${count === 1 ? 'domain' : 'domains'}`;
    const missing = domainsWithoutAccess > 0 ? ` (${domainsWithoutAccess} without access)` : '';
    return { kind: 'active', text: `Active for PR ${pr}: ${reach}${missing}` };
  }
  if (!settings.enabled) return { kind: 'off', text: 'Off: requests are sent unchanged.' };
  if (settings.prNumber === '') return { kind: 'problem', text: 'On, but no PR number is set.' };
  return { kind: 'problem', text: 'On, but there are no target domains.' };
}
