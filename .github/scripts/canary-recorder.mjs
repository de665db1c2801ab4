// The PR canary recorder: the one writer of the canary state (run by
// .github/workflows/canary-recorder.yml, always the default branch's code). For a pull
// request it decides everything itself, from GitHub's API and the registry, and nothing
// from what the PR's own workflow run did or produced (that run is the PR author's code):
//
//   1. the PR as the API reports it now: open, from this repository, not a draft,
//      carrying the opt-in label (canary-policy.mjs);
//   2. the services it changes: the API's file list of the PR, through the default
//      branch's path filters (services.mjs);
//   3. for each, ghcr.io/<owner>/<service>:pr-<n>-<sha7> of the PR's current head,
//      resolved to its digest in the registry, and accepted only when every platform
//      image behind it says it was built from that head by this repository (labels
//      org.opencontainers.image.revision and .source, which image.yml sets); once a
//      head's image is recorded, its digest stays (a tag pushed over later changes nothing);
//   4. then it records {commit, digest} for exactly those services (within the cap), or
//      withdraws the PR's records, and says so in the PR's canary comment. A closed PR's
//      images are deleted too.
//
// An image that is not there yet changes nothing: the previous canary keeps running, and
// the pr-canary run that pushes the image triggers the recorder again when it completes.
//
//   node .github/scripts/canary-recorder.mjs       (the event in GITHUB_EVENT_PATH)
//
// Environment: GITHUB_EVENT_PATH, GITHUB_REPOSITORY, GITHUB_SERVER_URL, GITHUB_TOKEN
// (pull-requests: write, packages: read), GITHUB_API_URL, PACKAGES_DELETE_TOKEN (optional:
// deletes a closed PR's images, ghcr-cleanup.mjs), STATE_REMOTE, STATE_TOKEN (the
// recorder App's token, the only one that may push canary-state),
// REGISTRY_URL (default https://ghcr.io), REGISTRY_USER, MAX_PRS, TTL_DAYS, CANARY_API_URL,
// NOW (tests), GITHUB_OUTPUT (receives scan: the images this run recorded, for the
// vulnerability scan that reports on the PR).

import { appendFileSync, readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { DEFAULT_MAX_PRS, DEFAULT_TTL_DAYS, eligibility, positiveSetting } from './canary-policy.mjs';
import { StateStore, parseState, recordChange, withdrawChange } from './canary-state.mjs';
import { cleanup } from './ghcr-cleanup.mjs';
import { createClient } from './github-api.mjs';
import { renderComment, upsertComment } from './pr-comment.mjs';
import { createRegistry } from './registry.mjs';
import { services, touchedServices } from './services.mjs';

const REGISTRY_HOST = 'ghcr.io';
const REVISION_LABEL = 'org.opencontainers.image.revision';
const SOURCE_LABEL = 'org.opencontainers.image.source';
const fullSha = /^[0-9a-f]{40}$/;

const canaryTag = (pr, headSha) => `pr-${pr}-${headSha.slice(0, 7)}`;
const imageName = (repository, service) => `${REGISTRY_HOST}/${repository.split('/')[0].toLowerCase()}/${service}`;

/** The PR as the API has it now; a PR that no longer exists counts as closed. */
async function currentPullRequest(github, repository, pr) {
  try {
    return await github.get(`/repos/${repository}/pulls/${pr}`);
  } catch (error) {
    if (error.status === 404) return { number: pr, state: 'closed' };
    throw error;
  }
}

/**
 * The paths the PR changes, from the API (renames count with both paths, as
 * `git diff --no-renames` lists them). The API lists at most 3000 files; a PR with more
 * counts as changing everything.
 */
export async function pullRequestPaths(github, repository, pull) {
  const files = await github.paginate(`/repos/${repository}/pulls/${pull.number}/files`);
  const paths = files.flatMap((file) => [file.filename, file.previous_filename].filter(Boolean));
  return { paths, complete: files.length >= (pull.changed_files ?? 0) };
}

/**
 * The image of `service` for the PR head, checked: { service, digest } when it exists and
 * says it was built from `headSha` by the repository at `source`, { service, missing }
 * when the tag does not exist, { service, refused } when it exists but says otherwise.
 */
export async function verifiedImage(registry, { repository, source, pr, headSha, service }) {
  const owner = repository.split('/')[0].toLowerCase();
  const tag = canaryTag(pr, headSha);
  const image = imageName(repository, service);
  const described = await registry.describe(`${owner}/${service}`, tag);
  if (!described) return { service, image, tag, missing: true };
  for (const { labels } of described.images) {
    if (labels[REVISION_LABEL] !== headSha) return { service, image, tag, refused: 'revision' };
    if (labels[SOURCE_LABEL]?.toLowerCase() !== source.toLowerCase()) return { service, image, tag, refused: 'source' };
  }
  return { service, image, tag, digest: described.digest };
}

/**
 * Reconciles PR `pr`'s canary with what GitHub and the registry say now. Returns the
 * outcome: { action: recorded | waiting | withdrawn | pending | refused, ... }.
 */
export async function reconcile({ github, registry, store, repository, serverUrl = 'https://github.com', pr, max, now }) {
  const pull = await currentPullRequest(github, repository, pr);
  const { eligible, reason } = eligibility(pull, repository);
  if (!eligible) return withdraw(store, pr, reason);
  const headSha = pull.head.sha;
  if (!fullSha.test(headSha)) throw new Error(`#${pr}: head '${headSha}' is not a commit SHA`);

  const { paths, complete } = await pullRequestPaths(github, repository, pull);
  const touched = complete ? touchedServices(paths) : services.map((s) => s.name);
  if (touched.length === 0) return withdraw(store, pr, 'no-change');

  // A head's image is resolved once: what is recorded for it stays, whatever its tag points at later.
  const recorded = parseState(store.fetch().files).get(pr) ?? new Map();
  const images = [];
  for (const service of touched) {
    const previous = recorded.get(service);
    if (previous?.commit === headSha) {
      images.push({ service, image: imageName(repository, service), tag: canaryTag(pr, headSha), digest: previous.digest });
      continue;
    }
    const image = await verifiedImage(registry, { repository, source: `${serverUrl}/${repository}`, pr, headSha, service });
    if (image.missing) return { action: 'pending', pr, headSha, missing: image };
    if (image.refused) return { action: 'refused', pr, headSha, image };
    images.push(image);
  }
  const outcome = store.update(
    (files) => recordChange(files, { pr, commit: headSha, images, now, max }),
    `PR #${pr}: ${images.map((i) => `${i.service}@${i.digest.slice(7, 19)}`).join(', ')} of ${headSha.slice(0, 7)}`,
  );
  return { action: outcome.admitted ? 'recorded' : 'waiting', pr, headSha, images, ...outcome };
}

function withdraw(store, pr, reason) {
  const outcome = store.update((files) => ({ files: withdrawChange(files, { pr }) }), `PR #${pr}: canaries removed (${reason})`);
  return { action: 'withdrawn', pr, reason, ...outcome };
}

/** The canary comment for an outcome, or undefined when the comment stays as it is. */
export function commentFor(outcome, { imagePrefix, apiUrl, maxPrs, ttlDays }) {
  const { action, pr, headSha } = outcome;
  switch (action) {
    case 'recorded':
      return { create: true, body: renderComment({ status: 'deploying', pr, headSha, images: outcome.images, imagePrefix, apiUrl, ttlDays }) };
    case 'waiting':
      return { create: true, body: renderComment({ status: 'waiting', pr, headSha, holders: outcome.holders, maxPrs, ttlDays }) };
    case 'refused':
      return { create: true, body: renderComment({ status: 'refused', pr, headSha, image: outcome.image, ttlDays }) };
    case 'withdrawn':
      // Only edits an existing comment: a PR that never had a canary gets none.
      return { create: false, body: renderComment({ status: 'removed', pr, reason: outcome.reason, ttlDays }) };
    default:
      return undefined;
  }
}

/**
 * The pull requests an event is about: numbers GitHub itself put in the event (or, for a
 * run that lists none, the API's pull requests of the run's commit), never data of the
 * PR's run.
 */
export async function pullRequestsOf(event, repository, github) {
  if (event.workflow_run) {
    const run = event.workflow_run;
    // A fork's run never gets a canary (and GitHub lists no pull requests for it).
    if (run.event !== 'pull_request' || run.head_repository?.full_name !== repository) return [];
    const listed = (run.pull_requests ?? []).filter((pull) => pull.base?.repo?.id === event.repository?.id);
    if (listed.length > 0 || (run.pull_requests ?? []).length > 0) return listed.map((pull) => pull.number);
    if (!fullSha.test(run.head_sha ?? '')) return [];
    const pulls = await github.get(`/repos/${repository}/commits/${run.head_sha}/pulls`);
    return pulls.filter((pull) => pull.state === 'open' && pull.base?.repo?.full_name === repository).map((pull) => pull.number);
  }
  if (event.pull_request) return [event.pull_request.number];
  throw new Error('not a workflow_run or pull_request_target event');
}

function writeOutput(name, value) {
  if (process.env.GITHUB_OUTPUT) appendFileSync(process.env.GITHUB_OUTPUT, `${name}=${value}\n`);
}

async function main() {
  const repository = process.env.GITHUB_REPOSITORY;
  if (!repository) throw new Error('GITHUB_REPOSITORY is not set');
  const event = JSON.parse(readFileSync(process.env.GITHUB_EVENT_PATH, 'utf8'));
  const max = positiveSetting(process.env.MAX_PRS, DEFAULT_MAX_PRS, 'MAX_PRS');
  const ttlDays = positiveSetting(process.env.TTL_DAYS, DEFAULT_TTL_DAYS, 'TTL_DAYS');
  const apiUrl = process.env.CANARY_API_URL || 'https://api.dev.example.com';
  const github = createClient();
  // Deleting package versions takes a package admin's token, never GITHUB_TOKEN (ghcr-cleanup.mjs).
  const packages = process.env.PACKAGES_DELETE_TOKEN ? createClient({ token: process.env.PACKAGES_DELETE_TOKEN }) : undefined;
  const registry = createRegistry({
    url: process.env.REGISTRY_URL || `https://${REGISTRY_HOST}`,
    username: process.env.REGISTRY_USER,
    password: process.env.GITHUB_TOKEN,
  });
  const imagePrefix = `${REGISTRY_HOST}/${repository.split('/')[0].toLowerCase()}`;
  const serverUrl = process.env.GITHUB_SERVER_URL || 'https://github.com';
  const scan = [];
  const store = new StateStore({ remote: process.env.STATE_REMOTE, token: process.env.STATE_TOKEN });
  try {
    const prs = await pullRequestsOf(event, repository, github);
    if (prs.length === 0) console.log('no pull request of this repository in the event: nothing to record');
    for (const pr of prs) {
      const now = process.env.NOW ?? new Date().toISOString();
      const outcome = await reconcile({ github, registry, store, repository, serverUrl, pr, max, now });
      const { images, ...summary } = outcome;
      console.log(JSON.stringify({ ...summary, images: images?.map(({ service, digest }) => ({ service, digest })) }));
      for (const path of outcome.dropped ?? []) console.warn(`dropped ${path} from the state: it did not pass the record schema`);
      const comment = commentFor(outcome, { imagePrefix, apiUrl, maxPrs: max, ttlDays });
      if (comment) await upsertComment(github, repository, pr, comment.body, { create: comment.create });
      if (outcome.action === 'withdrawn' && outcome.reason === 'closed') {
        if (packages) {
          const deleted = await cleanup({ github, packages, repository, pr });
          console.log(`${deleted.length} canary image version(s) of #${pr} deleted`);
        } else {
          console.warn(`#${pr}'s images are kept: PACKAGES_DELETE_TOKEN is not set (docs/security.md)`);
        }
      }
      if (outcome.action === 'recorded' && outcome.changed) {
        for (const { service, image, digest } of images) scan.push({ pr, sha: outcome.headSha, service, image, digest });
      }
    }
  } finally {
    store.close();
    writeOutput('scan', JSON.stringify(scan));
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error) => {
    console.error(`canary-recorder.mjs: ${error.message}`);
    process.exit(1);
  });
}
