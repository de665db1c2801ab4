// Popup: edits the settings in chrome.storage.local; the service worker turns them into rules.
import { prNumberProblem } from './lib/canary-value.js';
import { formatDomain, hostPermissionPatterns, parseDomain } from './lib/domains.js';
import { describeRoute, parseRoute } from './lib/route.js';
import { activePrNumber } from './lib/rules.js';
import { loadLastRoute, loadSettings, saveSettings } from './lib/settings.js';
import { describeStatus } from './lib/status.js';

/**
 * @template {HTMLElement} T
 * @param {string} id
 * @param {new () => T} type
 * @returns {T}
 */
function element(id, type) {
  const found = document.getElementById(id);
  if (!(found instanceof type)) throw new Error(`popup.html has no #${id}`);
  return found;
}

const enabledInput = element('enabled', HTMLInputElement);
const statusLine = element('status', HTMLParagraphElement);
const prForm = element('pr-form', HTMLFormElement);
const prInput = element('pr', HTMLInputElement);
const prError = element('pr-error', HTMLParagraphElement);
const domainList = element('domains', HTMLUListElement);
const domainForm = element('domain-form', HTMLFormElement);
const domainInput = element('new-domain', HTMLInputElement);
const domainError = element('domain-error', HTMLParagraphElement);
const domainTemplate = element('domain-item', HTMLTemplateElement);
const routeLine = element('route', HTMLParagraphElement);
const routeVerdict = element('route-verdict', HTMLParagraphElement);

/** Hosts the manifest grants at install; Chrome refuses to revoke those. */
const requiredHosts = new Set(
  (chrome.runtime.getManifest().host_permissions ?? []).map((/** @type {string} */ pattern) => pattern.split('://')[1]?.split(/[:/]/)[0]),
);

let settings = await loadSettings();
/** @type {string | null} */
let syncProblem = null;
await refresh();
prInput.value = settings.prNumber;

// Changes made elsewhere (another window's popup) show up here too, once they are in force; a
// new response's route as soon as the service worker records it.
chrome.storage.onChanged.addListener(async (_changes, areaName) => {
  if (areaName === 'local') await refresh();
  if (areaName === 'session') await renderRoute();
});

// A stale error next to a field the user is already correcting only confuses.
prInput.addEventListener('input', () => { prError.textContent = ''; });
domainInput.addEventListener('input', () => { domainError.textContent = ''; });

prForm.addEventListener('submit', async (event) => {
  event.preventDefault();
  const prNumber = validPrNumberFromInput();
  if (prNumber !== null) await commit({ prNumber });
});

enabledInput.addEventListener('change', async () => {
  if (!enabledInput.checked) {
    await commit({ enabled: false });
    return;
  }
  const prNumber = validPrNumberFromInput();
  if (prNumber === null) {
    enabledInput.checked = false;
    prInput.focus();
    return;
  }
  await commit({ enabled: true, prNumber });
});

domainForm.addEventListener('submit', async (event) => {
  event.preventDefault();
  const parsed = parseDomain(domainInput.value);
  if (!parsed.ok) {
    domainError.textContent = parsed.error;
    return;
  }
  const text = formatDomain(parsed.domain);
  if (settings.domains.includes(text)) {
    domainError.textContent = `${text} is already in the list.`;
    return;
  }
  // Chrome shows its prompt only while the click still counts as a user gesture, so ask
  // first. Save without waiting for the answer: the popup may close while Chrome asks.
  const access = requestAccess(hostPermissionPatterns(parsed.domain));
  domainInput.value = '';
  domainError.textContent = '';
  await commit({ domains: [...settings.domains, text] });
  if (!(await access) && domainError.textContent === '') {
    domainError.textContent = `Chrome has not granted access to ${text}, so the header is not set there. Use "Grant access" to ask again.`;
  }
  await render();
});

domainList.addEventListener('click', async (event) => {
  const button = event.target instanceof HTMLButtonElement ? event.target : null;
  const text = button?.closest('li')?.dataset.domain;
  if (button === null || text === undefined) return;
  const parsed = parseDomain(text);
  if (!parsed.ok) return;
  if (button.classList.contains('grant')) {
    await requestAccess(hostPermissionPatterns(parsed.domain));
    await render();
  } else if (button.classList.contains('remove')) {
    const remaining = settings.domains.filter((d) => d !== text);
    await commit({ domains: remaining });
    await revokeAccessNoLongerNeeded(parsed.domain, remaining);
  }
});

/** @returns {string | null} the PR number typed, or null after showing why it is refused */
function validPrNumberFromInput() {
  const value = prInput.value.trim();
  const problem = prNumberProblem(value);
  prError.textContent = problem ?? '';
  prInput.setAttribute('aria-invalid', String(problem !== null));
  return problem === null ? value : null;
}

/**
 * Saves, then shows the result once it is in force.
 * @param {Partial<import('./lib/rules.js').CanarySettings>} changes
 */
async function commit(changes) {
  await saveSettings(changes);
  await refresh();
}

/**
 * Waits until the service worker has rebuilt the rules from the stored settings, then
 * renders them, so that what the popup shows is what Chrome applies.
 */
async function refresh() {
  try {
    const reply = await chrome.runtime.sendMessage({ type: 'canary:sync' });
    syncProblem = reply?.ok === true ? null : String(reply?.error ?? 'no answer from the service worker');
  } catch (error) {
    syncProblem = String(error);
  }
  settings = await loadSettings();
  await render();
}

/**
 * @param {string[]} origins
 * @returns {Promise<boolean>}
 */
async function requestAccess(origins) {
  try {
    return await chrome.permissions.request({ origins });
  } catch (error) {
    domainError.textContent = `Chrome refused to ask for access to ${origins.join(' and ')}: ${error}`;
    return false;
  }
}

/**
 * Least privilege: drop the host permission once no listed domain uses that host.
 * @param {import('./lib/domains.js').TargetDomain} removed
 * @param {string[]} remaining
 */
async function revokeAccessNoLongerNeeded(removed, remaining) {
  if (requiredHosts.has(removed.host)) return;
  const stillUsed = remaining.some((text) => {
    const parsed = parseDomain(text);
    return parsed.ok && parsed.domain.host === removed.host;
  });
  if (!stillUsed) await chrome.permissions.remove({ origins: hostPermissionPatterns(removed) });
}

/** The route of the last response from a target domain, and whether the PR's code served it. */
async function renderRoute() {
  const seen = await loadLastRoute();
  if (seen === null) return;
  routeLine.textContent = `${seen.domain} ${seen.request}: ${seen.route}`;
  const verdict = describeRoute(parseRoute(seen.route), activePrNumber(settings));
  routeVerdict.textContent = verdict.text;
  routeVerdict.className = `route-verdict ${verdict.kind}`;
}

async function render() {
  await renderRoute();
  const access = await Promise.all(settings.domains.map(hasAccess));
  enabledInput.checked = settings.enabled;

  const status = syncProblem === null
    ? describeStatus(settings, access.filter((granted) => !granted).length)
    : { kind: 'problem', text: `The rules could not be applied: ${syncProblem}` };
  statusLine.textContent = status.text;
  statusLine.className = `status ${status.kind}`;

  domainList.replaceChildren(...settings.domains.map((text, index) => {
    const fragment = /** @type {DocumentFragment} */ (domainTemplate.content.cloneNode(true));
    const item = /** @type {HTMLLIElement} */ (fragment.firstElementChild);
    item.dataset.domain = text;
    /** @type {HTMLElement} */ (item.querySelector('.domain')).textContent = text;
    /** @type {HTMLElement} */ (item.querySelector('.access')).textContent = access[index] ? '' : 'no access';
    /** @type {HTMLButtonElement} */ (item.querySelector('.grant')).hidden = access[index];
    /** @type {HTMLButtonElement} */ (item.querySelector('.remove')).setAttribute('aria-label', `Remove ${text}`);
    return item;
  }));
}

/**
 * @param {string} text
 * @returns {Promise<boolean>}
 */
async function hasAccess(text) {
  const parsed = parseDomain(text);
  return parsed.ok && chrome.permissions.contains({ origins: hostPermissionPatterns(parsed.domain) });
}
