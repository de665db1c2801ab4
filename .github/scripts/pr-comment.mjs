// Creates or updates the single canary comment on a pull request: how to reach the
// PR's canary (curl and the browser extension) and the image tags it runs. The comment
// is found again by a hidden marker, so every push edits it instead of adding one.
//
// Environment (set by pr-canary.yml): GITHUB_TOKEN, GITHUB_API_URL, GITHUB_REPOSITORY,
// PR_NUMBER, HEAD_SHA, TAG, IMAGE_PREFIX (ghcr.io/<owner>), STABLE_TAG, CANARY_API_URL,
// BUILT and RETAGGED (JSON arrays of service names).

import { pathToFileURL } from 'node:url';
import { createClient } from './github-api.mjs';
import { services } from './services.mjs';

export const MARKER = '<!-- canary-demo:pr-canary -->';

export function renderComment({ pr, headSha, tag, imagePrefix, stableTag, apiUrl, built, retagged }) {
  const rows = services.map(({ name }) => {
    const source = built.includes(name)
      ? `built from ${headSha.slice(0, 7)}`
      : retagged.includes(name)
        ? `unchanged by this PR: copy of \`:${stableTag}\``
        : 'not published';
    return `| ${name} | \`${imagePrefix}/${name}:${tag}\` | ${source} |`;
  });
  const healthUrl = `${apiUrl.replace(/\/+$/, '')}/health`;
  return [
    MARKER,
    `### Canary for #${pr}`,
    '',
    `Argo CD deploys \`api-service-pr-${pr}\` and \`store-service-pr-${pr}\` (namespace \`apps\`) ` +
      'on its next pull-request poll; every push to this PR rolls out a new tag.',
    '',
    '| service | image | source |',
    '| --- | --- | --- |',
    ...rows,
    '',
    '**From a terminal**',
    '',
    '```sh',
    `curl -i -H 'X-Canary: ${pr}' ${healthUrl}`,
    '```',
    '',
    `The canary answered when the response carries \`X-Canary-Echo: ${pr}\`. ` +
      'Requests without the header keep reaching the stable services.',
    '',
    `**From a browser**: in the CanaryDemo extension set the PR number to \`${pr}\` and switch it on; ` +
      `it adds \`X-Canary: ${pr}\` to requests to the API.`,
    '',
    `<sub>Head ${headSha}. This comment is updated on every push.</sub>`,
    '',
  ].join('\n');
}

/** Updates the bot's marked comment, or creates it. Returns 'created' or 'updated'. */
export async function upsertComment(client, repository, pr, body) {
  const comments = await client.paginate(`/repos/${repository}/issues/${pr}/comments`);
  const existing = comments.find((c) => c.user?.type === 'Bot' && c.body?.includes(MARKER));
  if (existing) {
    await client.patch(`/repos/${repository}/issues/comments/${existing.id}`, { body });
    return 'updated';
  }
  await client.post(`/repos/${repository}/issues/${pr}/comments`, { body });
  return 'created';
}

function required(name) {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
}

async function main() {
  const pr = required('PR_NUMBER');
  const body = renderComment({
    pr,
    headSha: required('HEAD_SHA'),
    tag: required('TAG'),
    imagePrefix: required('IMAGE_PREFIX'),
    stableTag: required('STABLE_TAG'),
    apiUrl: required('CANARY_API_URL'),
    built: JSON.parse(process.env.BUILT || '[]'),
    retagged: JSON.parse(process.env.RETAGGED || '[]'),
  });
  const outcome = await upsertComment(createClient(), required('GITHUB_REPOSITORY'), pr, body);
  console.log(`canary comment ${outcome} on #${pr}`);
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error) => {
    console.error(`pr-comment.mjs: ${error.message}`);
    process.exit(1);
  });
}
