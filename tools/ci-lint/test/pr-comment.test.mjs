// The PR canary comment: what it tells the reader, and that pushes edit one comment
// instead of adding more. The script runs as in pr-canary.yml, against a fake API.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { MARKER, renderComment } from '../../../.github/scripts/pr-comment.mjs';
import { TOKEN, startFakeGitHub } from './support/fake-github.mjs';
import { runScript } from './support/run-script.mjs';

const sample = {
  pr: '42',
  headSha: '0123456789abcdef0123456789abcdef01234567',
  tag: 'pr-42-0123456',
  imagePrefix: 'ghcr.io/acme',
  stableTag: 'main',
  apiUrl: 'https://api.dev.example.com/',
  built: ['api-service'],
  retagged: ['store-service'],
};

describe('renderComment', () => {
  const body = renderComment(sample);

  test('starts with the hidden marker the update looks for', () => {
    assert.ok(body.startsWith(`${MARKER}\n`));
  });

  test('gives the curl command with the PR number as X-Canary', () => {
    assert.ok(body.includes("\ncurl -i -H 'X-Canary: 42' https://api.dev.example.com/health\n"), body);
    assert.ok(body.includes('`X-Canary-Echo: 42`'));
  });

  test('gives the extension setting', () => {
    assert.match(body, /CanaryDemo extension set the PR number to `42`/);
  });

  test('lists both image tags and where each came from', () => {
    assert.match(body, /\| api-service \| `ghcr\.io\/acme\/api-service:pr-42-0123456` \| built from 0123456 \|/);
    assert.match(body, /\| store-service \| `ghcr\.io\/acme\/store-service:pr-42-0123456` \| unchanged by this PR: copy of `:main` \|/);
  });
});

describe('pr-comment.mjs against the issues API', () => {
  const comments = [];
  let nextId = 1000;
  let api;

  before(async () => {
    // 120 older comments: the canary comment, once written, sits on the second page.
    for (let i = 0; i < 120; i++) comments.push({ id: nextId++, body: `comment ${i}`, user: { type: 'User' } });
    // A person quoting the marker must not have their comment overwritten.
    comments.push({ id: nextId++, body: `quoting ${MARKER}`, user: { type: 'User' } });
    api = await startFakeGitHub({
      'GET /repos/acme/shop/issues/42/comments': () => ({ list: comments }),
      'POST /repos/acme/shop/issues/42/comments': ({ body }) => {
        const comment = { id: nextId++, body: body.body, user: { type: 'Bot' } };
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

  const push = (headSha) => runScript('pr-comment.mjs', [], {
    GITHUB_TOKEN: TOKEN,
    GITHUB_API_URL: api.url,
    GITHUB_REPOSITORY: 'acme/shop',
    PR_NUMBER: '42',
    HEAD_SHA: headSha,
    TAG: `pr-42-${headSha.slice(0, 7)}`,
    IMAGE_PREFIX: 'ghcr.io/acme',
    STABLE_TAG: 'main',
    CANARY_API_URL: 'https://api.dev.example.com',
    BUILT: '["api-service","store-service"]',
    RETAGGED: '[]',
  });
  const botComments = () => comments.filter((c) => c.user.type === 'Bot');

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

  test('fails loudly when a required setting is missing', async () => {
    const result = await runScript('pr-comment.mjs', [], { GITHUB_TOKEN: TOKEN, GITHUB_API_URL: api.url });
    assert.equal(result.code, 1);
    assert.match(result.stderr, /PR_NUMBER is not set/);
  });
});
