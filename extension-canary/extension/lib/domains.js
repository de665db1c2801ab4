// Target domains as the user types them ("localhost:8080", "https://api.dev.example.com")
// and what Chrome needs for each: a host-permission match pattern and a rule condition.
//
// Semantics, matching Chrome's own host-permission patterns:
// - no scheme: http and https (and their WebSocket twins ws/wss);
// - no port: any port; an explicit port: that port only;
// - the host is matched exactly, never its subdomains.

/** @typedef {'http' | 'https'} Scheme */
/**
 * @typedef {object} TargetDomain
 * @property {Scheme | null} scheme null means http and https
 * @property {string} host lower-case ASCII (IDNs in punycode), as Chrome puts it in URLs
 * @property {number | null} port null means any port
 */
/** @typedef {{ ok: true, domain: TargetDomain } | { ok: false, error: string }} ParseResult */

/** Schemes a rule has to cover, per configured scheme (WebSockets follow their HTTP twin). */
const URL_SCHEMES = {
  any: ['http', 'https', 'ws', 'wss'],
  http: ['http', 'ws'],
  https: ['https', 'wss'],
};

/** Chrome drops a scheme's default port from URLs, so "http://host:80/" is seen as "http://host/". */
/** @type {Record<string, number>} */
const DEFAULT_PORTS = { http: 80, ws: 80, https: 443, wss: 443 };

const HOST_NAME = /^[a-z0-9-]+(?:\.[a-z0-9-]+)*$/;

/**
 * Parses what a user typed (a host, host:port, or a URL whose path is ignored).
 * @param {string} input
 * @returns {ParseResult}
 */
export function parseDomain(input) {
  const text = input.trim();
  if (text === '') return fail('Enter a domain such as api.dev.example.com or localhost:8080.');

  const parts = /^(?:([a-zA-Z][a-zA-Z0-9+.-]*):\/\/)?([^/?#]*)/.exec(text);
  if (parts === null) return fail(`"${text}" is not a domain.`);
  const [, rawScheme, authority] = parts;

  /** @type {Scheme | null} */
  let scheme = null;
  if (rawScheme !== undefined) {
    const lower = rawScheme.toLowerCase();
    if (lower !== 'http' && lower !== 'https') return fail('Only http:// and https:// addresses are supported.');
    scheme = lower;
  }
  if (authority.includes('@')) return fail('Leave out user names and passwords.');
  if (authority.startsWith('[')) return fail('IPv6 addresses are not supported; use a host name.');
  if (authority.includes('*')) return fail('Wildcards are not supported; add each host on its own.');

  const hostAndPort = /^([^:]+)(?::([^:]*))?$/.exec(authority);
  if (hostAndPort === null) return fail(`"${text}" has no valid host name.`);
  const [, rawHost, rawPort] = hostAndPort;

  /** @type {number | null} */
  let port = null;
  if (rawPort !== undefined) {
    port = /^[0-9]{1,5}$/.test(rawPort) ? Number(rawPort) : NaN;
    if (!(port >= 1 && port <= 65535)) return fail('The port must be a number from 1 to 65535.');
  }

  const host = canonicalHost(rawHost);
  if (host === null) return fail(`"${rawHost}" is not a valid host name.`);
  return { ok: true, domain: { scheme, host, port } };
}

/**
 * The form a domain is stored and shown in; parseDomain(formatDomain(d)) gives d back.
 * @param {TargetDomain} domain
 */
export function formatDomain({ scheme, host, port }) {
  return `${scheme === null ? '' : `${scheme}://`}${host}${port === null ? '' : `:${port}`}`;
}

/**
 * The match patterns to request as optional host permissions for this domain. Chrome
 * refuses a port after the "*" scheme ("*://host:8080/*"), so such a domain needs one
 * pattern per scheme.
 * @param {TargetDomain} domain
 * @returns {string[]}
 */
export function hostPermissionPatterns({ scheme, host, port }) {
  if (port === null) return [`${scheme ?? '*'}://${host}/*`];
  const schemes = scheme === null ? ['http', 'https'] : [scheme];
  return schemes.map((s) => `${s}://${host}:${port}/*`);
}

/**
 * The declarativeNetRequest condition (without resource types) that matches exactly the
 * requests to this domain. A regex is used because urlFilter cannot say "exactly this
 * host": `||host` also matches subdomains and `|http://host^` also matches
 * `http://host@elsewhere/`. requestDomains lets Chrome skip the regex for other hosts.
 * @param {TargetDomain} domain
 * @returns {{ requestDomains: string[], regexFilter: string }}
 */
export function urlCondition({ scheme, host, port }) {
  const schemes = URL_SCHEMES[scheme ?? 'any'];
  const hostPattern = host.replaceAll('.', '\\.');
  if (port === null) {
    return { requestDomains: [host], regexFilter: `^(?:${schemes.join('|')})://${hostPattern}(?::[0-9]+)?/` };
  }
  const portIsDefault = schemes.filter((s) => DEFAULT_PORTS[s] === port);
  const portIsExplicit = schemes.filter((s) => DEFAULT_PORTS[s] !== port);
  const alternatives = [];
  if (portIsExplicit.length > 0) alternatives.push(`(?:${portIsExplicit.join('|')})://${hostPattern}:${port}/`);
  if (portIsDefault.length > 0) alternatives.push(`(?:${portIsDefault.join('|')})://${hostPattern}/`);
  return { requestDomains: [host], regexFilter: `^(?:${alternatives.join('|')})` };
}

/**
 * Lower-cases, converts IDNs to punycode and canonicalises IPv4 the way Chrome does, or
 * returns null for something that is not a plain host name.
 * @param {string} rawHost
 * @returns {string | null}
 */
function canonicalHost(rawHost) {
  let host;
  try {
    host = new URL(`http://${rawHost}/`).hostname;
  } catch {
    return null;
  }
  if (!HOST_NAME.test(host)) return null;
  if (host.split('.').some((label) => label.length > 63 || label.startsWith('-') || label.endsWith('-'))) return null;
  return host;
}

/**
 * @param {string} error
 * @returns {ParseResult}
 */
function fail(error) {
  return { ok: false, error };
}
