// Creates or updates the single canary comment on a pull request. It says what CI did
// (images pushed and recorded, waiting for a slot, or the canary removed and why) and how
// to reach the canary; it never says the canary is live: Argo CD reports that itself, as a
// GitHub deployment of the PR's commit, once the pods are ready (applications/notifications).
// The comment is found again by a hidden marker, so every run edits it instead of adding one.
//
// Environment: GITHUB_TOKEN, GITHUB_API_URL, GITHUB_REPOSITORY, PR_NUMBER, STATUS
// (deploying | waiting | removed) and, by status:
//   deploying: HEAD_SHA, TAG, IMAGE_PREFIX, CANARY_API_URL, DEPLOYED (JSON list of services), TTL_DAYS
//   waiting:   HEAD_SHA, MAX_PRS, HOLDERS (JSON list of PR numbers), TTL_DAYS
//   removed:   REASON (closed | ttl | unlabelled | draft | no-change), TTL_DAYS
// A removal only edits an existing comment: a PR that never had a canary gets none.

import { pathToFileURL } from 'node:url';
import { CANARY_LABEL, DEFAULT_TTL_DAYS, positiveSetting } from './canary-policy.mjs';
import { createClient } from './github-api.mjs';
import { services } from './services.mjs';

export const MARKER = '<!-- canary-demo:pr-canary -->';

const endsWhen = (ttlDays) =>
  `The canary ends when the PR is closed, loses the \`${CANARY_LABEL}\` label or becomes a draft, ` +
  `or after ${ttlDays} days without a new canary image (then the label is removed; add it again to rebuild).`;

function howToReach(pr, apiUrl) {
  const healthUrl = `${apiUrl.replace(/\/+$/, '')}/health`;
  return [
    '**From a terminal**',
    '',
    '```sh',
    `curl -i -H 'X-Canary: ${pr}' ${healthUrl}`,
    '```',
    '',
    `A response with \`X-Canary-Echo: ${pr}\` passed through the canary route. ` +
      'Requests without the header keep reaching the stable services.',
    '',
    `**From a browser**: in the CanaryDemo extension set the PR number to \`${pr}\` and switch it on; ` +
      `it adds \`X-Canary: ${pr}\` to requests to the API.`,
  ];
}

const removalReasons = {
  closed: 'the pull request was closed.',
  ttl: (ttlDays) => `it had no new canary image for ${ttlDays} days, and the \`${CANARY_LABEL}\` label was removed. ` +
    'Add the label again to rebuild it.',
  unlabelled: `the \`${CANARY_LABEL}\` label was removed. Add it again to rebuild the canary.`,
  draft: 'the pull request is a draft. Mark it ready for review to rebuild the canary.',
  'no-change': 'the pull request no longer changes a service image (only tests, docs or manifests): ' +
    'stable serves every request.',
};

export function renderComment({ status, pr, headSha, tag, imagePrefix, apiUrl, deployed = [], holders = [], maxPrs, reason, ttlDays = DEFAULT_TTL_DAYS }) {
  const footer = headSha ? [`<sub>Head ${headSha}. This comment is updated on every push.</sub>`, ''] : [''];
  switch (status) {
    case 'deploying': {
      const rows = services.map(({ name }) => (deployed.includes(name)
        ? `| ${name} | \`${name}-pr-${pr}\` | \`${imagePrefix}/${name}:${tag}\` |`
        : `| ${name} | none: unchanged by this PR, stable serves it | |`));
      return [
        MARKER,
        `### Canary for #${pr}: deploying ${headSha.slice(0, 7)}`,
        '',
        '| service | canary | image |',
        '| --- | --- | --- |',
        ...rows,
        '',
        'The images are pushed and recorded; Argo CD now creates or updates the canary. It is **live** ' +
          `when this PR shows a deployment to ${deployed.map((s) => `\`canary/${s}\``).join(' and ')} ` +
          'as active: Argo CD reports it once the new pods are ready. Until then the previous commit, ' +
          'or for a new canary the stable services, answer.',
        '',
        ...howToReach(pr, apiUrl),
        '',
        endsWhen(ttlDays),
        '',
        ...footer,
      ].join('\n');
    }
    case 'waiting':
      return [
        MARKER,
        `### Canary for #${pr}: waiting for a slot`,
        '',
        `All ${maxPrs} canary slots of the dev cluster are in use (${holders.map((n) => `#${n}`).join(', ')}). ` +
          `A slot frees when one of them is closed, loses the \`${CANARY_LABEL}\` label or idles for ${ttlDays} days; ` +
          'then push again or re-run the pr-canary workflow.',
        '',
        ...footer,
      ].join('\n');
    case 'removed': {
      const text = removalReasons[reason];
      if (!text) throw new Error(`unknown removal reason '${reason}'`);
      return [
        MARKER,
        `### Canary for #${pr}: removed`,
        '',
        `Argo CD is deleting this PR's canary Applications and everything they deployed, because ` +
          `${typeof text === 'function' ? text(ttlDays) : text} ` +
          `Requests with \`X-Canary: ${pr}\` are served by the stable services.`,
        '',
      ].join('\n');
    }
    default:
      throw new Error(`unknown status '${status}'`);
  }
}

/** Updates the bot's marked comment, or creates it (unless create is false). */
export async function upsertComment(client, repository, pr, body, { create = true } = {}) {
  const comments = await client.paginate(`/repos/${repository}/issues/${pr}/comments`);
  const existing = comments.find((c) => c.user?.type === 'Bot' && c.body?.includes(MARKER));
  if (existing) {
    await client.patch(`/repos/${repository}/issues/comments/${existing.id}`, { body });
    return 'updated';
  }
  if (!create) return 'none';
  await client.post(`/repos/${repository}/issues/${pr}/comments`, { body });
  return 'created';
}

function required(name) {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
}

const jsonList = (name) => JSON.parse(process.env[name] || '[]');

async function main() {
  const pr = required('PR_NUMBER');
  const status = required('STATUS');
  const ttlDays = positiveSetting(process.env.TTL_DAYS, DEFAULT_TTL_DAYS, 'TTL_DAYS');
  const input = { status, pr, ttlDays };
  if (status === 'deploying') {
    Object.assign(input, {
      headSha: required('HEAD_SHA'),
      tag: required('TAG'),
      imagePrefix: required('IMAGE_PREFIX'),
      apiUrl: required('CANARY_API_URL'),
      deployed: jsonList('DEPLOYED'),
    });
  } else if (status === 'waiting') {
    Object.assign(input, { headSha: required('HEAD_SHA'), maxPrs: required('MAX_PRS'), holders: jsonList('HOLDERS') });
  } else {
    input.reason = required('REASON');
  }
  const body = renderComment(input);
  const outcome = await upsertComment(createClient(), required('GITHUB_REPOSITORY'), pr, body, { create: status !== 'removed' });
  console.log(`canary comment on #${pr}: ${outcome} (${status})`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error) => {
    console.error(`pr-comment.mjs: ${error.message}`);
    process.exit(1);
  });
}
