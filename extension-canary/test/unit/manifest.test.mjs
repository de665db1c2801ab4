import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { describe, test } from 'node:test';

const root = new URL('../../extension/', import.meta.url);
const manifest = JSON.parse(readFileSync(new URL('manifest.json', root), 'utf8'));

/** @param {string} path */
const read = (path) => readFileSync(new URL(path, root), 'utf8');

describe('manifest', () => {
  test('is Manifest V3 with a module service worker and a popup', () => {
    assert.equal(manifest.manifest_version, 3);
    assert.deepEqual(manifest.background, { service_worker: 'background.js', type: 'module' });
    assert.equal(manifest.action.default_popup, 'popup.html');
  });

  test('asks for the least it needs: host access only for localhost up front, every other host on request', () => {
    // WithHostAccess: no blanket "block content on any page" warning; rules act only where host access exists.
    // webRequest observes responses (the route header) where host access exists; it cannot block or change them.
    assert.deepEqual(manifest.permissions, ['declarativeNetRequestWithHostAccess', 'storage', 'webRequest']);
    assert.deepEqual(manifest.host_permissions, ['*://localhost/*']);
    assert.deepEqual(manifest.optional_host_permissions, ['*://*/*']);
    assert.equal(manifest.content_scripts, undefined);
    assert.equal(manifest.externally_connectable, undefined);
    assert.equal(manifest.content_security_policy, undefined, 'the default MV3 policy forbids remote code');
  });

  test('every file it names exists, and each icon is a PNG of the size it is declared for', () => {
    const icons = { ...manifest.icons, ...manifest.action.default_icon };
    for (const [size, path] of Object.entries(icons)) {
      const png = readFileSync(new URL(path, root));
      assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], path);
      assert.equal(png.readUInt32BE(16), Number(size), `${path} width`);
      assert.equal(png.readUInt32BE(20), Number(size), `${path} height`);
    }
    for (const path of [manifest.background.service_worker, manifest.action.default_popup]) {
      assert.ok(existsSync(new URL(path, root)), path);
    }
  });

  test('loads no code or style from the network', () => {
    const sources = ['popup.html', 'popup.js', 'background.js', ...readdirSync(new URL('lib/', root)).map((f) => `lib/${f}`)];
    for (const path of sources) {
      assert.doesNotMatch(read(path), /(?:src|href)=["']?(?:https?:)?\/\/|import\s*\(?\s*["']https?:|fetch\(/, path);
    }
  });
});
