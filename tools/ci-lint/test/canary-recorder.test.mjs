// The recorder's decisions, made as canary-recorder.yml makes them: the script runs as a
// separate process on a workflow_run or pull_request_target event, against a fake GitHub
// API and a fake registry (real HTTP on 127.0.0.1) and a real git repository holding the
// canary state. Every lie a PR can tell is here: an image of another commit under its tag,
// a label removed while it builds, a closed PR, a PR that edits the workflows.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { CANARY_LABEL } from '../../../.github/scripts/canary-policy.mjs';
import { PACKAGES_TOKEN, TOKEN, pullRequestRoutes, startFakeGitHub } from './support/fake-github.mjs';
import { REGISTRY_USER, startFakeRegistry } from './support/fake-registry.mjs';
import { runScript } from './support/run-script.mjs';
import { stateRepository } from './support/state-repo.mjs';

const repository = 'acme/shop';
const source = `https://github.com/${repository}`;
const NOW = '2026-05-20T10:00:00.000Z';
const sha = (c) => c.repeat(40);
const head = sha('a');
const older = sha('b');
const other = sha('c');

/** A repository with its pull requests, registry, package versions and canary state. */
async function world({ pulls, versions = {} }) {
  const state = stateRepository();
  const comments = [];
  const deleted = [];
  const github = await startFakeGitHub({
    ...pullRequestRoutes(repository, pulls, comments),
    'GET /users/acme': () => ({ data: { login: 'acme', type: 'Organization' } }),
    'GET /orgs/acme/packages/container/:name/versions': ({ params }) => ({ list: versions[params.name] ?? [] }),
    'DELETE /orgs/acme/packages/container/:name/versions/:id': ({ params, token }) => {
      deleted.push({ name: params.name, id: Number(params.id), token });
      return { status: 204 };
    },
  }, { tokens: [TOKEN, PACKAGES_TOKEN] });
  const registry = await startFakeRegistry({ password: TOKEN });
  const dir = mkdtempSync(join(tmpdir(), 'recorder-'));

  /** Pushes ghcr.io/acme/<service>:pr-<n>-<sha7> of `commit` with the labels a build would set (or others). */
  const pushImage = (service, pr, commit, { revision = commit, from = source, platforms } = {}) =>
    registry.push(`acme/${service}`, `pr-${pr}-${commit.slice(0, 7)}`, {
      labels: { 'org.opencontainers.image.revision': revision, 'org.opencontainers.image.source': from },
      platforms,
    });

  /** Runs the recorder on `event` as the workflow step does. */
  async function run(event, env = {}) {
    const eventPath = join(dir, `event-${Math.random()}.json`);
    const output = join(dir, `output-${Math.random()}`);
    writeFileSync(eventPath, JSON.stringify(event));
    writeFileSync(output, '');
    const result = await runScript('canary-recorder.mjs', [], {
      GITHUB_EVENT_PATH: eventPath,
      GITHUB_REPOSITORY: repository,
      GITHUB_TOKEN: TOKEN,
      GITHUB_API_URL: github.url,
      PACKAGES_DELETE_TOKEN: PACKAGES_TOKEN,
      STATE_REMOTE: state.remote,
      REGISTRY_URL: registry.url,
      REGISTRY_USER,
      CANARY_API_URL: 'https://api.dev.example.com',
      NOW,
      GITHUB_OUTPUT: output,
      ...env,
    });
    const scanLine = readFileSync(output, 'utf8').split('\n').find((line) => line.startsWith('scan='));
    return { ...result, scan: scanLine ? JSON.parse(scanLine.slice(5)) : undefined };
  }

  const close = async () => {
    await github.close();
    await registry.close();
  };
  return { pulls, state, comments, deleted, github, registry, pushImage, run, close };
}

/** pr-canary completed for these PRs (GitHub fills in pull_requests; the run's outputs are never read). */
const completed = (numbers, { headSha = head, fork = false, baseRepoId = 1 } = {}) => ({
  action: 'completed',
  workflow_run: {
    event: 'pull_request',
    head_sha: headSha,
    head_repository: { full_name: fork ? 'mallory/shop' : repository },
    pull_requests: numbers.map((number) => ({ number, base: { repo: { id: baseRepoId } } })),
  },
  repository: { id: 1, full_name: repository },
});

const prEvent = (number, action) => ({ action, pull_request: { number }, repository: { id: 1, full_name: repository } });

const labelled = (overrides = {}) => ({ labels: [CANARY_LABEL], headSha: head, files: ['ApiService/Program.cs'], ...overrides });

const record = (files, path) => files[path];

describe('eligible pull requests', () => {
  test('records the head commit\'s image by digest, comments, and asks for its scan', async () => {
    const w = await world({ pulls: { 42: labelled() } });
    try {
      const digest = w.pushImage('api-service', 42, head);
      const result = await w.run(completed([42]));
      assert.equal(result.code, 0, result.stderr);
      assert.deepEqual(w.state.files(), {
        'pr-42/api-service.json': { commit: head, digest, recorded_at: NOW },
        'pr-42/preview.json': { api: 'pr-42' },
      });
      assert.equal(w.comments.length, 1);
      assert.match(w.comments[0].body, new RegExp(`ghcr\\.io/acme/api-service@${digest}`));
      assert.match(w.comments[0].body, /deploying aaaaaaa/);
      assert.deepEqual(result.scan, [{ pr: 42, sha: head, service: 'api-service', image: 'ghcr.io/acme/api-service', digest }]);
      // The registry's token protocol, with the workflow's credentials, and the index types in Accept.
      const manifestRequest = w.registry.requests.find((r) => r.path === '/v2/acme/api-service/manifests/pr-42-aaaaaaa' && r.authorization);
      assert.match(manifestRequest.accept, /application\/vnd\.oci\.image\.index\.v1\+json/);
      assert.ok(w.registry.requests.some((r) => r.path === '/token'));
    } finally {
      await w.close();
    }
  });

  test('a shared input changes both services: both are recorded, each with its own digest', async () => {
    const w = await world({ pulls: { 7: labelled({ files: ['Shared.Canary/CanaryHeader.cs'] }) } });
    try {
      const api = w.pushImage('api-service', 7, head);
      const store = w.pushImage('store-service', 7, head);
      const result = await w.run(completed([7]));
      assert.equal(result.code, 0, result.stderr);
      assert.deepEqual(Object.fromEntries(Object.entries(w.state.files()).map(([path, r]) => [path, r.digest ?? r.api])), {
        'pr-7/api-service.json': api, 'pr-7/store-service.json': store, 'pr-7/preview.json': 'pr-7',
      });
    } finally {
      await w.close();
    }
  });

  test('an index (platform images plus BuildKit\'s attestation) is recorded by the index digest, its platforms checked', async () => {
    const w = await world({ pulls: { 42: labelled() } });
    try {
      const digest = w.pushImage('api-service', 42, head, { platforms: [{ architecture: 'amd64' }, { architecture: 'arm64' }] });
      const result = await w.run(completed([42]));
      assert.equal(result.code, 0, result.stderr);
      assert.equal(w.state.files()['pr-42/api-service.json'].digest, digest);
    } finally {
      await w.close();
    }
  });

  test('a push changes nothing until its image exists, then replaces the record; the same image keeps its time', async () => {
    const w = await world({ pulls: { 42: labelled({ headSha: older }) } });
    try {
      const first = w.pushImage('api-service', 42, older);
      assert.equal((await w.run(completed([42], { headSha: older }))).code, 0);
      w.pulls[42].headSha = head; // pushed: the API knows the new head, its image is still building
      const pending = await w.run(prEvent(42, 'synchronize'), { NOW: '2026-05-20T10:05:00.000Z' });
      assert.equal(pending.code, 0, pending.stderr);
      assert.deepEqual(w.state.files()['pr-42/api-service.json'], { commit: older, digest: first, recorded_at: NOW });
      assert.match(w.comments[0].body, /deploying bbbbbbb/, 'the comment still describes what runs');
      const second = w.pushImage('api-service', 42, head);
      assert.equal((await w.run(completed([42]), { NOW: '2026-05-20T10:09:00.000Z' })).code, 0);
      assert.deepEqual(w.state.files()['pr-42/api-service.json'], { commit: head, digest: second, recorded_at: '2026-05-20T10:09:00.000Z' });
      const commits = w.state.log().length;
      const relabelled = await w.run(prEvent(42, 'labeled'), { NOW: '2026-05-21T00:00:00.000Z' });
      assert.equal(relabelled.code, 0, relabelled.stderr);
      assert.equal(w.state.files()['pr-42/api-service.json'].recorded_at, '2026-05-20T10:09:00.000Z');
      assert.equal(w.state.log().length, commits, 'a label event for a recorded head writes nothing');
      assert.deepEqual(relabelled.scan, [], 'nor scans again');
    } finally {
      await w.close();
    }
  });

  test('the cap admits no further PR: it waits, keeps no record, and its comment names the holders', async () => {
    const w = await world({ pulls: { 1: labelled(), 2: labelled() } });
    try {
      w.pushImage('api-service', 1, head);
      w.pushImage('api-service', 2, head);
      assert.equal((await w.run(completed([1]), { MAX_PRS: '1' })).code, 0);
      const waiting = await w.run(completed([2]), { MAX_PRS: '1' });
      assert.equal(waiting.code, 0, waiting.stderr);
      assert.deepEqual(Object.keys(w.state.files()).sort(), ['pr-1/api-service.json', 'pr-1/preview.json']);
      const comment = w.comments.find((c) => c.issue === 2);
      assert.match(comment.body, /waiting for a slot/);
      assert.match(comment.body, /All 1 canary slots of the dev cluster are in use \(#1\)/);
      assert.deepEqual(waiting.scan, []);
    } finally {
      await w.close();
    }
  });
});

describe('a PR that lies', () => {
  test('an image under the head\'s tag that says it was built from another commit is refused', async () => {
    const w = await world({ pulls: { 42: labelled({ headSha: older }) } });
    try {
      const honest = w.pushImage('api-service', 42, older);
      assert.equal((await w.run(completed([42], { headSha: older }))).code, 0);
      w.pulls[42].headSha = head;
      w.pushImage('api-service', 42, head, { revision: other });
      const result = await w.run(completed([42]));
      assert.equal(result.code, 0, result.stderr);
      assert.deepEqual(w.state.files()['pr-42/api-service.json'].digest, honest, 'the previous canary keeps running');
      assert.match(w.comments[0].body, /image not accepted/);
      assert.match(w.comments[0].body, /org\.opencontainers\.image\.revision` label does not name the head commit/);
      assert.deepEqual(result.scan, []);
    } finally {
      await w.close();
    }
  });

  test('an image without the label, from another repository, or with one platform of another commit is refused', async () => {
    const cases = [
      { revision: '' },
      { from: 'https://github.com/mallory/shop' },
      { platforms: [{ architecture: 'amd64' }, { architecture: 'arm64', labels: { 'org.opencontainers.image.revision': other, 'org.opencontainers.image.source': source } }] },
    ];
    for (const options of cases) {
      const w = await world({ pulls: { 42: labelled() } });
      try {
        w.pushImage('api-service', 42, head, options);
        const result = await w.run(completed([42]));
        assert.equal(result.code, 0, result.stderr);
        assert.deepEqual(w.state.files(), {}, JSON.stringify(options));
        assert.match(w.comments[0].body, /image not accepted/);
        assert.doesNotMatch(w.comments[0].body, /mallory|cccccc/, 'never echoes what the image says');
      } finally {
        await w.close();
      }
    }
  });

  test('the label removed while its image was building: the finished build withdraws the canary instead', async () => {
    const w = await world({ pulls: { 42: labelled({ headSha: older }) } });
    try {
      w.pushImage('api-service', 42, older);
      assert.equal((await w.run(completed([42], { headSha: older }))).code, 0);
      w.pulls[42].headSha = head;
      w.pulls[42].labels = [];
      w.pushImage('api-service', 42, head);
      const result = await w.run(completed([42]));
      assert.equal(result.code, 0, result.stderr);
      assert.deepEqual(w.state.files(), {});
      assert.match(w.comments[0].body, /removed/);
      assert.match(w.comments[0].body, /the `canary` label was removed/);
    } finally {
      await w.close();
    }
  });

  test('a PR that edits the workflows and the path filters gets no canary for it, whatever images it pushed', async () => {
    const files = ['.github/workflows/pr-canary.yml', '.github/workflows/canary-recorder.yml', '.github/scripts/services.mjs'];
    const w = await world({ pulls: { 42: labelled({ files }) } });
    try {
      w.pushImage('api-service', 42, head);
      w.pushImage('store-service', 42, head);
      const result = await w.run(completed([42]));
      assert.equal(result.code, 0, result.stderr);
      assert.deepEqual(w.state.files(), {}, 'the default branch\'s filters decide: no service changed');
      // With a service change too, only that service: the other image it pushed is ignored.
      w.pulls[42].files = [...files, 'ApiService/Program.cs'];
      assert.equal((await w.run(completed([42]))).code, 0);
      assert.deepEqual(Object.keys(w.state.files()).sort(), ['pr-42/api-service.json', 'pr-42/preview.json']);
    } finally {
      await w.close();
    }
  });

  test('a file moved out of a service still counts for it (both paths of a rename)', async () => {
    const w = await world({ pulls: { 42: labelled({ files: [{ filename: 'docs/old-notes.md', previous_filename: 'StoreService/Notes.md', status: 'renamed' }] }) } });
    try {
      w.pushImage('store-service', 42, head);
      assert.equal((await w.run(completed([42]))).code, 0);
      assert.deepEqual(w.state.files()['pr-42/preview.json'], { api: 'stable' }, 'a store-only PR\'s preview host serves the stable api');
      assert.deepEqual(Object.keys(w.state.files()).sort(), ['pr-42/preview.json', 'pr-42/store-service.json']);
    } finally {
      await w.close();
    }
  });

  test('a PR with more files than the API lists counts as changing every service', async () => {
    const w = await world({ pulls: { 42: labelled({ files: ['docs/a.md'], changedFiles: 3001 }) } });
    try {
      w.pushImage('api-service', 42, head);
      const result = await w.run(completed([42]));
      assert.equal(result.code, 0, result.stderr);
      assert.deepEqual(w.state.files(), {}, 'waits for the store image too');
      w.pushImage('store-service', 42, head);
      assert.equal((await w.run(completed([42]))).code, 0);
      assert.deepEqual(Object.keys(w.state.files()).sort(), ['pr-42/api-service.json', 'pr-42/preview.json', 'pr-42/store-service.json']);
    } finally {
      await w.close();
    }
  });

  test('a tag pushed over after its head was recorded changes nothing: the recorded digest stays', async () => {
    const w = await world({ pulls: { 42: labelled() } });
    try {
      const honest = w.pushImage('api-service', 42, head);
      assert.equal((await w.run(completed([42]))).code, 0);
      w.pushImage('api-service', 42, head, { platforms: [{ architecture: 'amd64' }] }); // same labels, other content
      const requests = w.registry.requests.length;
      const result = await w.run(prEvent(42, 'labeled'));
      assert.equal(result.code, 0, result.stderr);
      assert.equal(w.state.files()['pr-42/api-service.json'].digest, honest);
      assert.equal(w.registry.requests.length, requests, 'the registry is not asked again');
    } finally {
      await w.close();
    }
  });
});

describe('withdrawing', () => {
  test('a closed PR loses its records, its comment says so, and its images go with the admin\'s token only', async () => {
    const versions = {
      'api-service': [{ id: 1, name: 'sha256:1', metadata: { container: { tags: ['pr-42-aaaaaaa'] } } }, { id: 2, name: 'sha256:2', metadata: { container: { tags: ['1.0.0'] } } }],
    };
    const w = await world({ pulls: { 42: labelled() }, versions });
    try {
      w.pushImage('api-service', 42, head);
      assert.equal((await w.run(completed([42]))).code, 0);
      w.pulls[42].state = 'closed';
      const result = await w.run(prEvent(42, 'closed'));
      assert.equal(result.code, 0, result.stderr);
      assert.deepEqual(w.state.files(), {});
      assert.match(w.comments[0].body, /the pull request was closed/);
      assert.deepEqual(w.deleted, [{ name: 'api-service', id: 1, token: PACKAGES_TOKEN }]);
      assert.ok(!w.github.requests.some((r) => r.method === 'DELETE' && r.path.includes('/packages/') && r.token !== PACKAGES_TOKEN));
    } finally {
      await w.close();
    }
  });

  test('without the admin\'s token a closed PR\'s images are kept, and the recorder still withdraws', async () => {
    const versions = { 'api-service': [{ id: 1, name: 'sha256:1', metadata: { container: { tags: ['pr-42-aaaaaaa'] } } }] };
    const w = await world({ pulls: { 42: labelled({ state: 'closed' }) }, versions });
    try {
      const result = await w.run(prEvent(42, 'closed'), { PACKAGES_DELETE_TOKEN: '' });
      assert.equal(result.code, 0, result.stderr);
      assert.match(result.stderr, /images are kept: PACKAGES_DELETE_TOKEN is not set/);
      assert.deepEqual(w.deleted, []);
    } finally {
      await w.close();
    }
  });

  test('drafts, unlabelled PRs and PRs that stop changing a service are withdrawn; the comment says why', async () => {
    const reasons = [
      [{ draft: true }, /is a draft/],
      [{ labels: ['bug'] }, /the `canary` label was removed/],
      [{ files: ['docs/delivery.md', 'tests/README.md'] }, /no longer changes a service image/],
    ];
    for (const [change, reason] of reasons) {
      const w = await world({ pulls: { 42: labelled() } });
      try {
        w.pushImage('api-service', 42, head);
        assert.equal((await w.run(completed([42]))).code, 0);
        Object.assign(w.pulls[42], change);
        const result = await w.run(prEvent(42, 'converted_to_draft'));
        assert.equal(result.code, 0, result.stderr);
        assert.deepEqual(w.state.files(), {}, JSON.stringify(change));
        assert.match(w.comments[0].body, reason);
      } finally {
        await w.close();
      }
    }
  });

  test('a PR that never had a canary gets no comment when it is not eligible', async () => {
    const w = await world({ pulls: { 42: labelled({ labels: [] }) } });
    try {
      assert.equal((await w.run(prEvent(42, 'unlabeled'))).code, 0);
      assert.deepEqual(w.comments, []);
    } finally {
      await w.close();
    }
  });
});

describe('what the event may say', () => {
  test('a fork\'s run, and pull requests of another repository in the event, are ignored without a call', async () => {
    const w = await world({ pulls: { 42: labelled() } });
    try {
      w.pushImage('api-service', 42, head);
      for (const event of [completed([42], { fork: true }), completed([42], { baseRepoId: 99 })]) {
        const result = await w.run(event);
        assert.equal(result.code, 0, result.stderr);
        assert.match(result.stdout, /nothing to record/);
      }
      assert.deepEqual(w.state.files(), {});
      assert.deepEqual(w.github.requests, []);
    } finally {
      await w.close();
    }
  });

  test('a run of this repository that lists no pull request is looked up by its commit', async () => {
    const w = await world({ pulls: { 42: labelled() } });
    try {
      w.github.requests.length = 0;
      const digest = w.pushImage('api-service', 42, head);
      const lookups = [];
      const api = await startFakeGitHub({
        ...pullRequestRoutes(repository, w.pulls, w.comments),
        [`GET /repos/${repository}/commits/:sha/pulls`]: ({ params }) => {
          lookups.push(params.sha);
          return { data: [{ number: 42, state: 'open', base: { repo: { full_name: repository } } }, { number: 3, state: 'closed', base: { repo: { full_name: repository } } }] };
        },
      });
      try {
        const result = await w.run(completed([], { headSha: head }), { GITHUB_API_URL: api.url });
        assert.equal(result.code, 0, result.stderr);
        assert.deepEqual(lookups, [head]);
        assert.equal(w.state.files()['pr-42/api-service.json'].digest, digest);
      } finally {
        await api.close();
      }
    } finally {
      await w.close();
    }
  });

  test('the head comes from the API, not from the event: a run of an older head records the current one', async () => {
    const w = await world({ pulls: { 42: labelled() } });
    try {
      const current = w.pushImage('api-service', 42, head);
      w.pushImage('api-service', 42, older);
      assert.equal((await w.run(completed([42], { headSha: older }))).code, 0);
      assert.deepEqual(w.state.files()['pr-42/api-service.json'], { commit: head, digest: current, recorded_at: NOW });
    } finally {
      await w.close();
    }
  });
});

describe('what the recorder writes', () => {
  test('files on the branch that fail the record schema (an older format, hostile text) are dropped in its next commit', async () => {
    const w = await world({ pulls: { 42: labelled() } });
    try {
      const valid = `${JSON.stringify({ commit: older, digest: `sha256:${'d'.repeat(64)}`, recorded_at: NOW }, null, 2)}\n`;
      const preview = (api) => `${JSON.stringify({ api }, null, 2)}\n`;
      w.state.write({
        'pr-7/api-service.json': valid,
        'pr-8/api-service.json': JSON.stringify({ service: 'api-service', built_sha: older, built_sha_7: 'bbbbbbb', recorded_at: NOW }),
        'pr-9/store-service.json': '"x|.*=evil.example/x:1"',
        'pr-9/nested/api-service.json': valid,
        // Preview records that point another PR's host, or a host without a canary, anywhere.
        'pr-8/preview.json': preview('pr-7'),
        'pr-10/preview.json': preview('stable'),
        'notes.txt': 'hello',
      });
      w.pushImage('api-service', 42, head);
      const result = await w.run(completed([42]));
      assert.equal(result.code, 0, result.stderr);
      assert.deepEqual(Object.keys(w.state.texts()).sort(),
        ['README.md', 'pr-42/api-service.json', 'pr-42/preview.json', 'pr-7/api-service.json', 'pr-7/preview.json']);
      assert.equal(w.state.texts()['pr-7/api-service.json'], valid, 'valid records are kept byte for byte');
      assert.equal(w.state.texts()['pr-7/preview.json'], preview('pr-7'), 'a folder written before preview records gets its own');
      assert.match(w.state.lastMessage(),
        /Dropped as invalid: notes\.txt, pr-10\/preview\.json, pr-8\/api-service\.json, pr-8\/preview\.json, pr-9\/nested\/api-service\.json, pr-9\/store-service\.json/);
      assert.match(result.stderr, /dropped pr-9\/store-service\.json from the state/);
    } finally {
      await w.close();
    }
  });

  test('a registry whose Docker-Content-Digest is not the digest of what it sent is not believed: nothing is written', async () => {
    const w = await world({ pulls: { 42: labelled() } });
    try {
      w.pushImage('api-service', 42, head);
      w.registry.lieAboutDigest('acme/api-service', 'pr-42-aaaaaaa', `sha256:${'e'.repeat(64)}`);
      const result = await w.run(completed([42]));
      assert.equal(result.code, 1);
      assert.match(result.stderr, /Docker-Content-Digest .* is not the digest of the manifest/);
      assert.deepEqual(w.state.files(), {});
    } finally {
      await w.close();
    }
  });

  test('wrong registry credentials fail the run instead of recording anything', async () => {
    const w = await world({ pulls: { 42: labelled() } });
    try {
      w.pushImage('api-service', 42, head);
      const result = await w.run(completed([42]), { REGISTRY_USER: 'someone-else' });
      assert.equal(result.code, 1);
      assert.deepEqual(w.state.files(), {});
    } finally {
      await w.close();
    }
  });
});
