// The PR canary comment: what it tells the reader in each state, that it never claims
// the canary is live (Argo CD reports that as a GitHub deployment), and that runs edit
// one comment instead of adding more. The script runs as in the workflows, against a fake API.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { MARKER, renderComment } from '../../../.github/scripts/pr-comment.mjs';
import { TOKEN, startFakeGitHub } from './support/fake-github.mjs';
import { runScript } from './support/run-script.mjs';

const headSha = '0123456789abcdef0123456789abcdef01234567';
const deploying = {
  status: 'deploying',
  pr: '42',
  headSha,
  tag: 'pr-42-0123456',
  imagePrefix: 'ghcr.io/acme',
  apiUrl: 'https://api.dev.example.com/',
  deployed: ['api-service'],
  ttlDays: 7,
};

describe('renderComment', () => {
  const body = renderComment(deploying);

  test('starts with the hidden marker the update looks for', () => {
    for (const status of [deploying, { status: 'waiting', pr: '42', headSha, maxPrs: 10, holders: [1, 2] }, { status: 'removed', pr: '42', reason: 'ttl' }]) {
      assert.ok(renderComment(status).startsWith(`${MARKER}\n`), status.status);
    }
  });

  test('gives the curl command with the PR number as X-Canary, and the extension setting', () => {
    assert.ok(body.includes("\ncurl -i -H 'X-Canary: 42' https://api.dev.example.com/health\n"), body);
    assert.ok(body.includes('`X-Canary-Echo: 42`'));
    assert.match(body, /CanaryDemo extension set the PR number to `42`/);
  });

  test('lists the canary of each changed service and says stable serves the others', () => {
    assert.match(body, /\| api-service \| `api-service-pr-42` \| `ghcr\.io\/acme\/api-service:pr-42-0123456` \|/);
    assert.match(body, /\| store-service \| none: unchanged by this PR, stable serves it \| \|/);
  });

  test('never claims the canary is live or ready: it points at the deployment Argo CD reports', () => {
    for (const text of [body, renderComment({ ...deploying, deployed: ['api-service', 'store-service'] })]) {
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

  test('removed says why, for every reason, and that stable serves the header now', () => {
    const reasons = {
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
      assert.match(text, /Requests with `X-Canary: 42` are served by the stable services/);
    }
    assert.throws(() => renderComment({ status: 'removed', pr: '42', reason: 'bored' }), /unknown removal reason/);
  });
});

describe('pr-comment.mjs against the issues API', () => {
  const comments = [];
  let nextId = 1000;
  let api;

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
  });
  after(() => api.close());

  const run = (env) => runScript('pr-comment.mjs', [], {
    GITHUB_TOKEN: TOKEN, GITHUB_API_URL: api.url, GITHUB_REPOSITORY: 'acme/shop', PR_NUMBER: '42', ...env,
  });
  const push = (sha) => run({
    STATUS: 'deploying', HEAD_SHA: sha, TAG: `pr-42-${sha.slice(0, 7)}`, IMAGE_PREFIX: 'ghcr.io/acme',
    CANARY_API_URL: 'https://api.dev.example.com', DEPLOYED: '["api-service","store-service"]', TTL_DAYS: '7',
  });
  const botComments = (issue = 42) => comments.filter((c) => c.user.type === 'Bot' && c.issue === issue);

  test('a removal on a PR that never had a canary creates no comment', async () => {
    const result = await run({ STATUS: 'removed', REASON: 'unlabelled' });
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /none \(removed\)/);
    assert.equal(botComments().length, 0);
  });

  test('the first push creates the comment', async () => {
    const result = await push('aaaaaaa111111111111111111111111111111111');
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /created/);
    assert.equal(botComments().length, 1);
    assert.match(botComments()[0].body, /api-service:pr-42-aaaaaaa/);
  });

  test('later pushes update that comment, found across pages, and add none', async () => {
    const result = await push('bbbbbbb222222222222222222222222222222222');
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /updated/);
    assert.equal(botComments().length, 1);
    assert.match(botComments()[0].body, /api-service:pr-42-bbbbbbb/);
    assert.doesNotMatch(botComments()[0].body, /aaaaaaa/);
    assert.equal(comments.find((c) => c.body.startsWith('quoting')).body, `quoting ${MARKER}`);
    const listCalls = api.requests.filter((r) => r.method === 'GET');
    assert.ok(listCalls.some((r) => r.query.get('page') === '2'), 'followed the Link header');
  });

  test('closing edits the same comment to say the canary was removed', async () => {
    const result = await run({ STATUS: 'removed', REASON: 'closed' });
    assert.equal(result.code, 0, result.stderr);
    assert.equal(botComments().length, 1);
    assert.match(botComments()[0].body, /removed/);
    assert.match(botComments()[0].body, /the pull request was closed/);
  });

  test('fails loudly when a required setting is missing or bad', async () => {
    for (const [env, error] of [
      [{ PR_NUMBER: '' }, /PR_NUMBER is not set/],
      [{ STATUS: 'deploying' }, /HEAD_SHA is not set/],
      [{ STATUS: 'removed', REASON: 'removed', TTL_DAYS: '0' }, /TTL_DAYS must be a whole number/],
    ]) {
      const result = await run(env);
      assert.equal(result.code, 1);
      assert.match(result.stderr, error);
    }
  });
});
