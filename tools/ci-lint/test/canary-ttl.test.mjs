// The idle TTL: canary-ttl.mjs run as canary-recorder.yml's expire job runs it, against a
// fake GitHub API and a real git repository holding the canary state.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { StateStore, recordChange } from '../../../.github/scripts/canary-state.mjs';
import { TOKEN, startFakeGitHub } from './support/fake-github.mjs';
import { runScript } from './support/run-script.mjs';
import { stateRepository } from './support/state-repo.mjs';

const sha = (c) => c.repeat(40);

/** State: PR 1 recorded 10 days ago, PR 2 two days ago, PR 3 (closed) 1 day ago. */
function seededState() {
  const repo = stateRepository();
  const store = new StateStore({ remote: repo.remote });
  try {
    for (const [pr, days, touched] of [[1, 10, ['api-service', 'store-service']], [2, 2, ['api-service']], [3, 1, ['store-service']]]) {
      const now = new Date(Date.parse('2026-05-20T00:00:00Z') - days * 86_400_000).toISOString();
      const images = touched.map((service) => ({ service, digest: `sha256:${String(pr).repeat(64)}` }));
      store.update((files) => recordChange(files, { pr, commit: sha(String(pr)), images, now, max: 10 }), `seed ${pr}`);
    }
  } finally {
    store.close();
  }
  return repo;
}

async function fakeGitHub() {
  const removedLabels = [];
  const comments = [];
  const api = await startFakeGitHub({
    'GET /repos/acme/shop/pulls/:n': ({ params }) => ({ data: { number: Number(params.n), state: params.n === '3' ? 'closed' : 'open' } }),
    'DELETE /repos/acme/shop/issues/:n/labels/:label': ({ params }) => {
      removedLabels.push(`${params.n}:${params.label}`);
      return { data: [] };
    },
    'GET /repos/acme/shop/issues/:n/comments': ({ params }) => ({ list: comments.filter((c) => c.issue === Number(params.n)) }),
    'POST /repos/acme/shop/issues/:n/comments': ({ params, body }) => {
      comments.push({ id: comments.length + 1, issue: Number(params.n), body: body.body, user: { type: 'Bot' } });
      return { status: 201, data: {} };
    },
  });
  return { api, removedLabels, comments };
}

const run = (repo, api, args = [], env = {}) => runScript('canary-ttl.mjs', args, {
  GITHUB_TOKEN: TOKEN, GITHUB_API_URL: api.url, GITHUB_REPOSITORY: 'acme/shop', STATE_REMOTE: repo.remote,
  NOW: '2026-05-20T00:00:00Z', ...env,
});

test('ends the canaries idle longer than the TTL: state, label and a comment saying so; keeps the fresh ones', async () => {
  const repo = seededState();
  const { api, removedLabels, comments } = await fakeGitHub();
  try {
    const result = await run(repo, api, [], { TTL_DAYS: '7' });
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(Object.keys(repo.files()).sort(), ['pr-2/api-service.json', 'pr-2/preview.json'], 'its records and their preview record go together');
    assert.deepEqual(removedLabels, ['1:canary']);
    assert.equal(comments.length, 1);
    assert.equal(comments[0].issue, 1);
    assert.match(comments[0].body, /no new canary image for 7 days, and the `canary` label was removed/);
    assert.ok(repo.log().includes('PR #1: canaries removed (ttl)'));
    assert.ok(repo.log().includes('PR #3: canaries removed (closed)'), 'state of a closed PR is cleared too');
  } finally {
    await api.close();
  }
});

test('the default is 7 days, a shorter TTL ends more, and --dry-run changes nothing', async () => {
  const repo = seededState();
  const { api, removedLabels } = await fakeGitHub();
  try {
    const dry = await run(repo, api, ['--dry-run'], { TTL_DAYS: '1' });
    assert.equal(dry.code, 0, dry.stderr);
    assert.match(dry.stdout, /would end the canaries of #1 \(idle 10 days\)/);
    assert.match(dry.stdout, /would end the canaries of #2 \(idle 2 days\)/);
    assert.match(dry.stdout, /3 PR canary set\(s\) to end \(TTL 1 days\)/);
    assert.equal(Object.keys(repo.files()).length, 7, 'four records and three preview records, as they were');
    assert.deepEqual(removedLabels, []);
    const defaults = await run(repo, api);
    assert.match(defaults.stdout, /\(TTL 7 days\)/);
    assert.deepEqual(Object.keys(repo.files()).sort(), ['pr-2/api-service.json', 'pr-2/preview.json']);
  } finally {
    await api.close();
  }
});

test('a bad TTL fails before touching anything', async () => {
  const repo = seededState();
  const { api } = await fakeGitHub();
  try {
    const result = await run(repo, api, [], { TTL_DAYS: 'a week' });
    assert.equal(result.code, 1);
    assert.match(result.stderr, /TTL_DAYS must be a whole number/);
    assert.equal(Object.keys(repo.files()).length, 7, 'four records and three preview records, as they were');
  } finally {
    await api.close();
  }
});
