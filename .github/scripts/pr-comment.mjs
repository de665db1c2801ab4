// The single canary comment on a pull request, written by the recorder (canary-recorder.mjs,
// canary-ttl.mjs). It says what the recorder did (images verified and recorded, waiting
// for a slot, an image refused, or the canary removed and why) and how to reach the
// canary; it never says the canary is live: Argo CD reports that itself, as a GitHub
// deployment of the PR's commit, once the pods are ready (applications/notifications).
// The comment is found again by a hidden marker, so every run edits it instead of adding one.
//
// Statuses and what they need:
//   deploying: headSha, images ([{ service, digest, tag }]), imagePrefix, apiUrl, ttlDays
//              (the PR's preview host is pr-<n>. in front of apiUrl's host)
//   waiting:   headSha, maxPrs, holders (PR numbers), ttlDays
//   refused:   headSha, image ({ service, image, tag, refused: revision | source })
//   removed:   reason (closed | ttl | unlabelled | draft | no-change | fork), ttlDays

import { CANARY_LABEL, DEFAULT_TTL_DAYS } from './canary-policy.mjs';
import { services } from './services.mjs';

export const MARKER = '<!-- canary-demo:pr-canary -->';

const endsWhen = (ttlDays) =>
  `The canary ends when the PR is closed, loses the \`${CANARY_LABEL}\` label or becomes a draft, ` +
  `or after ${ttlDays} days without a new canary image (then the label is removed; add it again to rebuild).`;

/**
 * The PR's preview host: pr-<n>. in front of the API's host (https://api.dev.example.com gives
 * https://pr-42.api.dev.example.com), which serves the PR as if every request carried X-Canary: <n>.
 */
export function previewUrl(apiUrl, pr) {
  const url = new URL(apiUrl);
  url.hostname = `pr-${pr}.${url.hostname}`;
  return url.href.replace(/\/+$/, '');
}

function howToReach(pr, apiUrl) {
  const base = apiUrl.replace(/\/+$/, '');
  const preview = previewUrl(apiUrl, pr);
  return [
    `**Preview host**: ${preview} serves this PR to any client, no header needed (a phone, Postman, ` +
      `any browser): the edge sets \`X-Canary: ${pr}\` on every request to it, replacing what the client sent.`,
    '',
    '```sh',
    `curl -i ${preview}/health`,
    '```',
    '',
    `**On the API host**, with the header:`,
    '',
    '```sh',
    `curl -i -H 'X-Canary: ${pr}' ${base}/health`,
    '```',
    '',
    `A response with \`X-Canary-Echo: ${pr}\` passed through the canary route, and \`X-Canary-Route\` says which ` +
      'track served each hop. Requests to the API host without the header keep reaching the stable services.',
    '',
    `**From a browser on the API host**: in the CanaryDemo extension set the PR number to \`${pr}\` and switch it on; ` +
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
  fork: 'the pull request comes from a fork, and forks get no canary.',
};

// What a refused image said, in the reader's terms; never the label's own text (the PR's author wrote it).
const refusals = {
  revision: 'its `org.opencontainers.image.revision` label does not name the head commit',
  source: 'its `org.opencontainers.image.source` label does not name this repository',
};

export function renderComment({ status, pr, headSha, images = [], imagePrefix, apiUrl, holders = [], maxPrs, reason, image, ttlDays = DEFAULT_TTL_DAYS }) {
  const footer = headSha ? [`<sub>Head ${headSha}. This comment is updated on every push.</sub>`, ''] : [''];
  switch (status) {
    case 'deploying': {
      const deployed = images.map((i) => i.service);
      const rows = services.map(({ name }) => {
        const recorded = images.find((i) => i.service === name);
        return recorded
          ? `| ${name} | \`${name}-pr-${pr}\` | \`${imagePrefix}/${name}@${recorded.digest}\` (tag \`${recorded.tag}\`) |`
          : `| ${name} | none: unchanged by this PR, stable serves it | |`;
      });
      return [
        MARKER,
        `### Canary for #${pr}: deploying ${headSha.slice(0, 7)}`,
        '',
        '| service | canary | image |',
        '| --- | --- | --- |',
        ...rows,
        '',
        'The images were built from the head commit and are recorded by digest; Argo CD now creates or updates the canary. It is **live** ' +
          `when this PR shows a deployment to ${deployed.map((s) => `\`canary/${s}\``).join(' and ')} ` +
          'as active: Argo CD reports it once the new pods are ready. Until then the previous commit, ' +
          'or for a new canary the stable services, answer (on the preview host a new api canary answers 404 until its first pod is ready).',
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
    case 'refused': {
      const why = refusals[image?.refused];
      if (!why) throw new Error(`unknown refusal '${image?.refused}'`);
      return [
        MARKER,
        `### Canary for #${pr}: image not accepted`,
        '',
        `\`${image.image}:${image.tag}\` was not recorded: ${why} (${headSha}). ` +
          'Only an image that pr-canary built from this head commit becomes its canary; the previous canary, if any, ' +
          'keeps running. Push again or re-run the pr-canary workflow.',
        '',
        ...footer,
      ].join('\n');
    }
    case 'removed': {
      const text = removalReasons[reason];
      if (!text) throw new Error(`unknown removal reason '${reason}'`);
      return [
        MARKER,
        `### Canary for #${pr}: removed`,
        '',
        `Argo CD is deleting this PR's canary Applications and everything they deployed, because ` +
          `${typeof text === 'function' ? text(ttlDays) : text} ` +
          `Requests with \`X-Canary: ${pr}\` are served by the stable services, and its preview host answers 404.`,
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
