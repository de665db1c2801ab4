// The PR canary comment: what it tells the reader in each state, that it never claims
// the canary is live (Argo CD reports that as a GitHub deployment), and that runs edit
// one comment instead of adding more, against a fake issues API.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createClient } from '../../../.github/scripts/github-api.mjs';
import { MARKER, previewUrl, renderComment, upsertComment } from '../../../.github/scripts/pr-comment.mjs';
import { TOKEN, startFakeGitHub } from './support/fake-github.mjs';

const headSha = '0123456789abcdef0123456789abcdef01234567';
const digest = `sha256:${'4'.repeat(64)}`;
const image = (service, sha = headSha, d = digest) => ({ service, digest: d, tag: `pr-42-${sha.slice(0, 7)}` });
const deploying = {
  status: 'deploying',
  pr: '42',
  headSha,
  imagePrefix: 'ghcr.io/acme',
  apiUrl: 'https://api.dev.example.com/',
  images: [image('api-service')],
  ttlDays: 7,
};

describe('renderComment', () => {
  const body = renderComment(deploying);

  test('starts with the hidden marker the update looks for', () => {
    for (const status of [deploying, { status: 'waiting', pr: '42', headSha, maxPrs: 10, holders: [1, 2] }, { status: 'removed', pr: '42', reason: 'ttl' }]) {
      assert.ok(renderComment(status).startsWith(`${MARKER}\n`), status.status);
    }
  });

  test('gives the PR\'s preview host first: no header needed', () => {
    assert.match(body, /\*\*Preview host\*\*: https:\/\/pr-42\.api\.dev\.example\.com serves this PR to any client, no header needed/);
    assert.ok(body.includes('\ncurl -i https://pr-42.api.dev.example.com/health\n'), body);
    assert.ok(body.indexOf('pr-42.api.dev.example.com') < body.indexOf("X-Canary: 42' https://api.dev.example.com"));
    assert.equal(previewUrl('https://api.dev.example.com', '7'), 'https://pr-7.api.dev.example.com');
    assert.equal(previewUrl('https://API.dev.example.com:8443/', 7), 'https://pr-7.api.dev.example.com:8443');
    assert.equal(previewUrl('http://localhost:8080', 42), 'http://pr-42.localhost:8080');
  });

  test('gives the curl command with the PR number as X-Canary, and the extension setting', () => {
    assert.ok(body.includes("\ncurl -i -H 'X-Canary: 42' https://api.dev.example.com/health\n"), body);
    assert.ok(body.includes('`X-Canary-Echo: 42`'));
    assert.match(body, /CanaryDemo extension set the PR number to `42`/);
  });

  test('lists the canary of each changed service by digest (and its tag), and says stable serves the others', () => {
    assert.ok(body.includes(`| api-service | \`api-service-pr-42\` | \`ghcr.io/acme/api-service@${digest}\` (tag \`pr-42-0123456\`) |`), body);
    assert.match(body, /\| store-service \| none: unchanged by this PR, stable serves it \| \|/);
  });

  test('never claims the canary is live or ready: it points at the deployment Argo CD reports', () => {
    for (const text of [body, renderComment({ ...deploying, images: [image('api-service'), image('store-service')] })]) {
      assert.doesNotMatch(text, /(canary|it) is (ready|live)\b|now (ready|live)|ready to test/i);
      assert.match(text, /deploying 0123456/);
    }
    assert.match(body, /\*\*live\*\* when this PR shows a deployment to `canary\/api-service` as active/);
  });

  test('says when and how the canary ends, with the configured TTL', () => {
    assert.match(renderComment({ ...deploying, ttlDays: 3 }), /after 3 days without a new canary image/);
    assert.match(body, /loses the `canary` label or becomes a draft/);
  });

  test('waiting names the cap and the PRs that hold the slots', () => {
    const text = renderComment({ status: 'waiting', pr: '42', headSha, maxPrs: 2, holders: [7, 9], ttlDays: 7 });
    assert.match(text, /waiting for a slot/);
    assert.match(text, /All 2 canary slots of the dev cluster are in use \(#7, #9\)/);
  });

  test('refused names the image and the check it failed, never what the image itself says', () => {
    for (const [refused, pattern] of [['revision', /revision` label does not name the head commit/], ['source', /source` label does not name this repository/]]) {
      const text = renderComment({ status: 'refused', pr: '42', headSha, image: { image: 'ghcr.io/acme/api-service', tag: 'pr-42-0123456', refused } });
      assert.match(text, /### Canary for #42: image not accepted/);
      assert.match(text, pattern);
      assert.match(text, /`ghcr\.io\/acme\/api-service:pr-42-0123456` was not recorded/);
    }
    assert.throws(() => renderComment({ status: 'refused', pr: '42', headSha, image: { refused: 'mood' } }), /unknown refusal/);
  });

  test('removed says why, for every reason, and that stable serves the header now', () => {
    const reasons = {
      fork: /comes from a fork/,
      closed: /the pull request was closed/,
      ttl: /no new canary image for 5 days, and the `canary` label was removed\. Add the label again/,
      unlabelled: /the `canary` label was removed/,
      draft: /is a draft/,
      'no-change': /no longer changes a service image/,
    };
    for (const [reason, pattern] of Object.entries(reasons)) {
      const text = renderComment({ status: 'removed', pr: '42', reason, ttlDays: 5 });
      assert.match(text, pattern, reason);
      assert.match(text, /### Canary for #42: removed/);
      assert.match(text, /Requests with `X-Canary: 42` are served by the stable services, and its preview host answers 404/);
    }
    assert.throws(() => renderComment({ status: 'removed', pr: '42', reason: 'bored' }), /unknown removal reason/);
  });
});

describe('upsertComment against the issues API', () => {
  const comments = [];
  let nextId = 1000;
  let api;
  let client;

  before(async () => {
    // 120 older comments: the canary comment, once written, sits on the second page.
    for (let i = 0; i < 120; i++) comments.push({ id: nextId++, body: `comment ${i}`, user: { type: 'User' }, issue: 42 });
    // A person quoting the marker must not have their comment overwritten.
    comments.push({ id: nextId++, body: `quoting ${MARKER}`, user: { type: 'User' }, issue: 42 });
    api = await startFakeGitHub({
      'GET /repos/acme/shop/issues/:n/comments': ({ params }) => ({ list: comments.filter((c) => c.issue === Number(params.n)) }),
      'POST /repos/acme/shop/issues/:n/comments': ({ params, body }) => {
        const comment = { id: nextId++, body: body.body, user: { type: 'Bot' }, issue: Number(params.n) };
        comments.push(comment);
        return { status: 201, data: comment };
      },
      'PATCH /repos/acme/shop/issues/comments/:id': ({ params, body }) => {
        const comment = comments.find((c) => c.id === Number(params.id));
        comment.body = body.body;
        return { data: comment };
      },
    });
    client = createClient({ token: TOKEN, baseUrl: api.url });
  });
  after(() => api.close());

  const upsert = (input, options) => upsertComment(client, 'acme/shop', '42', renderComment({ pr: '42', ttlDays: 7, ...input }), options);
  const push = (sha, d) => upsert({ ...deploying, headSha: sha, images: [image('api-service', sha, d), image('store-service', sha, d)] });
  const botComments = (issue = 42) => comments.filter((c) => c.user.type === 'Bot' && c.issue === issue);

  test('a removal on a PR that never had a canary creates no comment', async () => {
    assert.equal(await upsert({ status: 'removed', reason: 'unlabelled' }, { create: false }), 'none');
    assert.equal(botComments().length, 0);
  });

  test('the first recorded push creates the comment', async () => {
    assert.equal(await push('aaaaaaa111111111111111111111111111111111', `sha256:${'a'.repeat(64)}`), 'created');
    assert.equal(botComments().length, 1);
    assert.match(botComments()[0].body, /tag `pr-42-aaaaaaa`/);
  });

  test('later pushes update that comment, found across pages, and add none', async () => {
    assert.equal(await push('bbbbbbb222222222222222222222222222222222', `sha256:${'b'.repeat(64)}`), 'updated');
    assert.equal(botComments().length, 1);
    assert.match(botComments()[0].body, /tag `pr-42-bbbbbbb`/);
    assert.doesNotMatch(botComments()[0].body, /aaaaaaa/);
    assert.equal(comments.find((c) => c.body.startsWith('quoting')).body, `quoting ${MARKER}`);
    const listCalls = api.requests.filter((r) => r.method === 'GET');
    assert.ok(listCalls.some((r) => r.query.get('page') === '2'), 'followed the Link header');
  });

  test('closing edits the same comment to say the canary was removed', async () => {
    assert.equal(await upsert({ status: 'removed', reason: 'closed' }, { create: false }), 'updated');
    assert.equal(botComments().length, 1);
    assert.match(botComments()[0].body, /the pull request was closed/);
  });
});
