import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { formatDomain, hostPermissionPatterns, parseDomain, urlCondition } from '../../extension/lib/domains.js';

/** @param {string} text */
function domain(text) {
  const parsed = parseDomain(text);
  assert.ok(parsed.ok, `${text}: ${parsed.ok ? '' : parsed.error}`);
  return parsed.domain;
}

/**
 * Whether the rule condition for `configured` applies to a URL as Chrome would evaluate it
 * (the regex on the full URL, and requestDomains on the host or a parent of it).
 * @param {string} configured @param {string} url
 */
function matches(configured, url) {
  const { regexFilter, requestDomains } = urlCondition(domain(configured));
  const { hostname } = new URL(url);
  const inDomains = requestDomains.some((d) => hostname === d || hostname.endsWith(`.${d}`));
  return inDomains && new RegExp(regexFilter).test(new URL(url).href);
}

describe('parsing what the user types', () => {
  test('accepts hosts, host:port and URLs, and keeps them in one canonical form', () => {
    const cases = [
      ['localhost:8080', { scheme: null, host: 'localhost', port: 8080 }, 'localhost:8080'],
      ['api.dev.example.com', { scheme: null, host: 'api.dev.example.com', port: null }, 'api.dev.example.com'],
      ['  API.Dev.Example.COM  ', { scheme: null, host: 'api.dev.example.com', port: null }, 'api.dev.example.com'],
      ['https://api.dev.example.com/items?x=1', { scheme: 'https', host: 'api.dev.example.com', port: null }, 'https://api.dev.example.com'],
      ['HTTP://localhost:3000/', { scheme: 'http', host: 'localhost', port: 3000 }, 'http://localhost:3000'],
      ['bücher.example', { scheme: null, host: 'xn--bcher-kva.example', port: null }, 'xn--bcher-kva.example'],
      ['127.0.0.1:5080', { scheme: null, host: '127.0.0.1', port: 5080 }, '127.0.0.1:5080'],
    ];
    for (const [input, expected, canonical] of cases) {
      assert.deepEqual(domain(/** @type {string} */ (input)), expected, String(input));
      assert.equal(formatDomain(domain(/** @type {string} */ (input))), canonical);
      assert.deepEqual(domain(/** @type {string} */ (canonical)), expected, `${canonical} parses back`);
    }
  });

  test('refuses what cannot be matched exactly, with a reason', () => {
    const cases = [
      ['', /Enter a domain/],
      ['ftp://files.example.com', /Only http:\/\/ and https:\/\//],
      ['user:secret@api.example.com', /user names and passwords/],
      ['[::1]:8080', /IPv6/],
      ['*.example.com', /Wildcards/],
      ['localhost:0', /port/],
      ['localhost:65536', /port/],
      ['localhost:80a', /port/],
      ['localhost:', /port/],
      ['exa mple.com', /not a valid host name/],
      ['example.com.', /not a valid host name/],
      ['-bad-.example.com', /not a valid host name/],
      ['under_score.example.com', /not a valid host name/],
      ['a:b:c', /no valid host name/],
      ['http://', /no valid host name/],
    ];
    for (const [input, reason] of cases) {
      const parsed = parseDomain(/** @type {string} */ (input));
      assert.equal(parsed.ok, false, String(input));
      if (!parsed.ok) assert.match(parsed.error, /** @type {RegExp} */ (reason), String(input));
    }
  });
});

describe('host permissions requested for a domain', () => {
  test('cover exactly the host, scheme and port, in patterns Chrome accepts', () => {
    assert.deepEqual(hostPermissionPatterns(domain('api.dev.example.com')), ['*://api.dev.example.com/*']);
    assert.deepEqual(hostPermissionPatterns(domain('https://api.dev.example.com')), ['https://api.dev.example.com/*']);
    assert.deepEqual(hostPermissionPatterns(domain('http://localhost:3000')), ['http://localhost:3000/*']);
    // Chrome rejects "*://host:port/*" (a port after the "*" scheme), so one pattern per scheme.
    assert.deepEqual(hostPermissionPatterns(domain('localhost:8080')), ['http://localhost:8080/*', 'https://localhost:8080/*']);
  });
});

describe('rule condition for a domain', () => {
  test('names the host in requestDomains so Chrome only runs the regex for it', () => {
    assert.deepEqual(urlCondition(domain('localhost:8080')).requestDomains, ['localhost']);
    assert.deepEqual(urlCondition(domain('https://api.dev.example.com')).requestDomains, ['api.dev.example.com']);
  });

  test('host:port matches that port over http, https and WebSockets, and nothing else', () => {
    for (const url of ['http://localhost:8080/', 'https://localhost:8080/api/v1/items?x=1', 'ws://localhost:8080/socket', 'wss://localhost:8080/']) {
      assert.equal(matches('localhost:8080', url), true, url);
    }
    for (const url of [
      'http://localhost:8081/', 'http://localhost/', 'http://sub.localhost:8080/',
      'http://localhost:8080@evil.example/', 'http://evil.example/?next=http://localhost:8080/', 'http://127.0.0.1:8080/',
    ]) {
      assert.equal(matches('localhost:8080', url), false, url);
    }
    assert.equal(matches('localhost:808', 'http://localhost:8080/'), false, 'a port is not a prefix');
  });

  test('a host without a port matches every port of exactly that host', () => {
    for (const url of ['http://api.dev.example.com/', 'https://api.dev.example.com/x', 'https://api.dev.example.com:8443/x']) {
      assert.equal(matches('api.dev.example.com', url), true, url);
    }
    for (const url of [
      'http://apixdev.example.com/', 'http://x.api.dev.example.com/', 'http://api.dev.example.com.evil.example/',
      'http://dev.example.com/', 'http://api.dev.example.com@evil.example/',
    ]) {
      assert.equal(matches('api.dev.example.com', url), false, url);
    }
  });

  test('a scheme limits the match to it and its WebSocket twin', () => {
    assert.equal(matches('https://api.dev.example.com', 'https://api.dev.example.com/'), true);
    assert.equal(matches('https://api.dev.example.com', 'wss://api.dev.example.com/'), true);
    assert.equal(matches('https://api.dev.example.com', 'http://api.dev.example.com/'), false);
    assert.equal(matches('https://api.dev.example.com', 'ws://api.dev.example.com/'), false);
  });

  test('a default port matches the URL without it, since Chrome drops default ports from URLs', () => {
    assert.equal(new URL('http://localhost:80/').href, 'http://localhost/');
    assert.equal(matches('http://localhost:80', 'http://localhost/'), true);
    assert.equal(matches('http://localhost:80', 'http://localhost:8080/'), false);
    assert.equal(matches('http://localhost:80', 'https://localhost/'), false);
    assert.equal(matches('localhost:443', 'https://localhost/'), true);
    assert.equal(matches('localhost:443', 'http://localhost:443/'), true);
    assert.equal(matches('localhost:443', 'http://localhost/'), false);
  });
});
