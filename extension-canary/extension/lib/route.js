// The route of a response (X-Canary-Route: api-service=pr-42, store-service=stable), the last one
// seen for a target domain, and what it means for the PR being tested.
import { parseDomain, urlCondition } from './domains.js';

export const ROUTE_HEADER = 'x-canary-route';

/** @typedef {{ service: string, track: string }} Hop */
/**
 * @typedef {object} SeenRoute
 * @property {string} domain the target domain the response came from
 * @property {string} request e.g. "GET /api/v1/items"
 * @property {string} route the header as received
 * @property {number} at when (ms since the epoch)
 */
/** @typedef {{ kind: 'pr' | 'mixed' | 'stable' | 'info', text: string }} RouteVerdict */

const HOP = /^([a-z0-9-]+)=(stable|pr-[1-9][0-9]{0,8})$/;

/**
 * @param {string | undefined} header
 * @returns {Hop[]} the hops in call order, or none when the header is not a well-formed route
 */
export function parseRoute(header) {
  if (header === undefined || header === '') return [];
  const hops = header.split(', ').map((text) => HOP.exec(text));
  return hops.every((hop) => hop !== null)
    ? hops.map((hop) => ({ service: /** @type {RegExpExecArray} */ (hop)[1], track: /** @type {RegExpExecArray} */ (hop)[2] }))
    : [];
}

/**
 * The configured domain a URL belongs to, if any (the same matching as the header rules).
 * @param {string[]} domains
 * @param {string} url
 * @returns {string | null}
 */
export function domainOf(domains, url) {
  return domains.find((text) => {
    const parsed = parseDomain(text);
    return parsed.ok && new RegExp(urlCondition(parsed.domain).regexFilter).test(url);
  }) ?? null;
}

/**
 * Whether the PR's code answered: at every hop, at some, or nowhere.
 * @param {Hop[]} hops
 * @param {string | null} pr the PR number being injected, or null
 * @returns {RouteVerdict}
 */
export function describeRoute(hops, pr) {
  if (pr === null) return { kind: 'info', text: 'The header is off, so stable should have served every hop.' };
  const track = `pr-${pr}`;
  const ours = hops.filter((hop) => hop.track === track).map((hop) => hop.service);
  const others = hops.filter((hop) => hop.track !== track).map((hop) => `${hop.service} (${hop.track})`);
  if (others.length === 0) return { kind: 'pr', text: `PR ${pr} served every hop.` };
  if (ours.length === 0) return { kind: 'stable', text: `PR ${pr} served no hop: ${others.join(', ')}.` };
  return { kind: 'mixed', text: `PR ${pr} served ${ours.join(', ')}; not ${others.join(', ')}.` };
}
