// Canary image cleanup: which GHCR package versions go, which stay. The script runs as
// in cleanup.yml, against a fake packages API.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { StateStore, recordChange } from '../../../.github/scripts/canary-state.mjs';
import { canaryPrNumbers, imagesInUse, prOfTag, versionsToDelete } from '../../../.github/scripts/ghcr-cleanup.mjs';
import { PACKAGES_TOKEN, TOKEN, startFakeGitHub } from './support/fake-github.mjs';
import { runScript } from './support/run-script.mjs';
import { stateRepository } from './support/state-repo.mjs';

const version = (id, ...tags) => ({ id, name: `sha256:${String(id).padStart(64, '0')}`, metadata: { container: { tags } } });

describe('selection', () => {
  test('recognises canary tags only', () => {
    assert.equal(prOfTag('pr-42-0123abc'), 42);
    for (const tag of ['pr-42', 'pr-042-0123abc', 'pr-42-0123ABC', 'pr-42-0123abcd', 'main', '1.4.0', 'pr--0123abc']) {
      assert.equal(prOfTag(tag), undefined, tag);
    }
  });

  test('deletes a version only when every tag belongs to a PR being cleaned up', () => {
    const versions = [
      version(1, 'pr-42-aaaaaaa'),
      version(2, 'pr-42-bbbbbbb', 'pr-42-ccccccc'),
      version(3, 'pr-42-ddddddd', 'main'),
      version(4, 'pr-42-eeeeeee', 'pr-7-fffffff'),
      version(5),
      version(6, 'pr-7-0000000'),
    ];
    assert.deepEqual(versionsToDelete(versions, new Set([42])).map((v) => v.id), [1, 2]);
    assert.deepEqual(versionsToDelete(versions, new Set([42, 7])).map((v) => v.id), [1, 2, 4, 6]);
    assert.deepEqual([...canaryPrNumbers(versions)].sort(), [42, 7].sort());
  });

  test('an open PR keeps its head\'s image and the ones its canary state records (by tag and by digest), nothing else', () => {
    const state = new Map([
      ['api-service', { commit: 'b'.repeat(40), digest: version(5).name }],
      ['store-service', { commit: 'c'.repeat(40), digest: version(6).name }],
    ]);
    const keep = imagesInUse(42, 'aaaaaaa0000000000000000000000000000000000', state);
    assert.deepEqual([...keep].sort(), ['pr-42-aaaaaaa', 'pr-42-bbbbbbb', 'pr-42-ccccccc', version(5).name, version(6).name].sort());
    const versions = [version(1, 'pr-42-aaaaaaa'), version(2, 'pr-42-bbbbbbb'), version(3, 'pr-42-1234567'), version(4, 'pr-42-1234567', 'pr-42-ccccccc'),
      version(5, 'pr-42-7654321')];
    assert.deepEqual(versionsToDelete(versions, new Set([42]), keep).map((v) => v.id), [3], 'the recorded digest stays whatever its tag');
  });
});

/** A registry owner with both packages; records deletions. */
async function registry({ ownerType = 'Organization', prStates = {}, denyDelete = false, storeMissing = false }) {
  const base = ownerType === 'Organization' ? 'orgs' : 'users';
  const packages = {
    'api-service': [
      // 150 versions of unrelated history first: the canary ones are on page 2.
      ...Array.from({ length: 150 }, (_, i) => version(10_000 + i, `0.${i}.0`)),
      version(1, 'pr-42-aaaaaaa'),
      version(2, 'pr-42-bbbbbbb'),
      version(3, 'main', 'pr-42-ccccccc'),
      version(4),
      version(5, 'pr-7-ddddddd'),
      version(6, 'pr-8-eeeeeee'),
      version(7, 'pr-99-fffffff'),
      version(8, 'pr-7-1111111'), // superseded: neither PR 7's head nor recorded
      version(9, 'pr-7-2222222'), // what PR 7's canary runs until its new image is recorded
    ],
    'store-service': storeMissing ? undefined : [version(21, 'pr-42-aaaaaaa'), version(22, 'main'), version(23, 'pr-8-eeeeeee')],
  };
  const deleted = [];
  const api = await startFakeGitHub({
    'GET /users/Acme': () => ({ data: { login: 'Acme', type: ownerType } }),
    [`GET /${base}/Acme/packages/container/:name/versions`]: ({ params }) =>
      (packages[params.name] ? { list: packages[params.name] } : { status: 404, data: { message: 'Package not found.' } }),
    [`DELETE /${base}/Acme/packages/container/:name/versions/:id`]: ({ params, token }) => {
      // Only a package admin may delete; GITHUB_TOKEN never is one (docs/security.md).
      if (denyDelete || token !== PACKAGES_TOKEN) return { status: 403, data: { message: 'Forbidden' } };
      deleted.push(`${params.name}/${params.id}`);
      return { status: 204 };
    },
    'GET /repos/Acme/shop/pulls/:n': ({ params }) => (params.n in prStates
      ? { data: { number: Number(params.n), state: prStates[params.n], head: { sha: 'ddddddd'.padEnd(40, '0') } } }
      : { status: 404, data: {} }),
  }, { tokens: [TOKEN, PACKAGES_TOKEN] });
  // PR 7's canary state records commit 2222222 (its head ddddddd is still building).
  const state = stateRepository();
  const store = new StateStore({ remote: state.remote });
  try {
    store.update((files) => recordChange(files, {
      pr: 7, commit: '2222222'.padEnd(40, '0'), images: [{ service: 'api-service', digest: `sha256:${'9'.repeat(64)}` }], now: '2026-05-01T00:00:00.000Z', max: 10,
    }), 'seed');
  } finally {
    store.close();
  }
  const run = (...args) => runScript('ghcr-cleanup.mjs', args, {
    GITHUB_TOKEN: TOKEN, PACKAGES_DELETE_TOKEN: PACKAGES_TOKEN, GITHUB_API_URL: api.url, GITHUB_REPOSITORY: 'Acme/shop', STATE_REMOTE: state.remote,
  });
  return { api, deleted, run, state };
}

describe('ghcr-cleanup.mjs', () => {
  test('--pr deletes that PR\'s images in both packages and nothing else', async () => {
    const { api, deleted, run } = await registry({});
    try {
      const result = await run('--pr', '42');
      assert.equal(result.code, 0, result.stderr);
      assert.deepEqual(deleted.sort(), ['api-service/1', 'api-service/2', 'store-service/21']);
      assert.match(result.stdout, /3 canary image version\(s\) deleted/);
    } finally {
      await api.close();
    }
  });

  test('--sweep deletes closed PRs\' images and open PRs\' superseded ones, asking once per PR', async () => {
    const { api, deleted, run } = await registry({ prStates: { 7: 'open', 8: 'closed', 42: 'closed' } });
    try {
      const result = await run('--sweep');
      assert.equal(result.code, 0, result.stderr);
      assert.deepEqual(deleted.sort(),
        ['api-service/1', 'api-service/2', 'api-service/6', 'api-service/8', 'store-service/21', 'store-service/23']);
      assert.match(result.stderr, /#99 is not a pull request/);
      const prLookups = api.requests.filter((r) => r.path.startsWith('/repos/Acme/shop/pulls/')).map((r) => r.path);
      assert.deepEqual(prLookups.sort(), ['/repos/Acme/shop/pulls/42', '/repos/Acme/shop/pulls/7',
        '/repos/Acme/shop/pulls/8', '/repos/Acme/shop/pulls/99'].sort());
    } finally {
      await api.close();
    }
  });

  test('--dry-run reports without deleting; user accounts and missing packages work', async () => {
    const { api, deleted, run } = await registry({ ownerType: 'User', storeMissing: true });
    try {
      const result = await run('--pr', '42', '--dry-run');
      assert.equal(result.code, 0, result.stderr);
      assert.deepEqual(deleted, []);
      assert.match(result.stdout, /would delete api-service:pr-42-aaaaaaa \(version 1\)/);
      assert.match(result.stdout, /2 canary image version\(s\) to delete/);
    } finally {
      await api.close();
    }
  });

  test('a token without delete rights fails with the fix in the message', async () => {
    const { api, run } = await registry({ denyDelete: true });
    try {
      const result = await run('--pr', '42');
      assert.equal(result.code, 1);
      assert.match(result.stderr, /403/);
      assert.match(result.stderr, /PACKAGES_DELETE_TOKEN may not delete api-service: its account needs the Admin role/);
    } finally {
      await api.close();
    }
  });

  test('without the package admin\'s token nothing is deleted: GITHUB_TOKEN is never used for it', async () => {
    const { api, deleted, state } = await registry({});
    try {
      const result = await runScript('ghcr-cleanup.mjs', ['--pr', '42'], {
        GITHUB_TOKEN: TOKEN, GITHUB_API_URL: api.url, GITHUB_REPOSITORY: 'Acme/shop', STATE_REMOTE: state.remote,
      });
      assert.equal(result.code, 1);
      assert.match(result.stderr, /PACKAGES_DELETE_TOKEN is not set/);
      assert.deepEqual(deleted, []);
      assert.deepEqual(api.requests.filter((r) => r.method === 'DELETE'), []);
    } finally {
      await api.close();
    }
  });

  test('rejects bad arguments', async () => {
    for (const args of [[], ['--pr'], ['--pr', '042'], ['--pr', 'x'], ['--sweep', '--pr', '1'], ['--closed']]) {
      const result = await runScript('ghcr-cleanup.mjs', args, { GITHUB_TOKEN: TOKEN, PACKAGES_DELETE_TOKEN: PACKAGES_TOKEN, GITHUB_REPOSITORY: 'a/b' });
      assert.equal(result.code, 1, args.join(' '));
      assert.match(result.stderr, /usage/);
    }
  });
});
