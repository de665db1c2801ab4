// Which PR's canary canary-check.yml checks, decided from the GitHub API alone. The workflow runs
// on a commit status (the canary-live/<service> status Argo CD Notifications posts with the
// deployment), and anyone who may post a status could post that one, on any commit: so the event
// gives only a commit to look at, and the API says whether it is the head of an open, labelled PR
// of this repository and whether every canary deployment of that commit is live.
//
//   node .github/scripts/canary-check-target.mjs
//
// Environment: GITHUB_TOKEN (contents, deployments and pull-requests read), GITHUB_API_URL,
// GITHUB_REPOSITORY, COMMIT (the status event's sha), DEPLOYER (optional: the login that creates
// the canary deployments, e.g. canary-demo-argocd[bot]; deployments by anyone else do not count),
// GITHUB_OUTPUT. Outputs, only when there is a canary to check:
//   pr        the PR number
//   sha       its head commit (= COMMIT)
//   services  the services whose canaries are live, comma-separated

import { appendFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { eligibility } from './canary-policy.mjs';
import { createClient } from './github-api.mjs';

/** The GitHub deployment environment of a service's canary, as the notifications name it. */
export const CANARY_ENVIRONMENT_PREFIX = 'canary/';

/**
 * @returns {Promise<{ pr: number, sha: string, services: string[] } | { skip: string }>}
 */
export async function findTarget(client, { repository, commit, deployer }) {
  if (!/^[0-9a-f]{40}$/.test(commit ?? '')) throw new Error(`COMMIT must be a full commit SHA, not '${commit}'`);
  const short = commit.slice(0, 7);

  // The PRs GitHub associates with the commit; the canary's is the open, eligible one whose head it is.
  const associated = await client.get(`/repos/${repository}/commits/${commit}/pulls`);
  const heads = associated.filter((pull) => pull.head?.sha === commit && pull.state === 'open');
  if (heads.length !== 1) return { skip: `${short} is the head of ${heads.length} open PRs of ${repository}, not one` };
  // Read again on its own: the list may lag behind a push or a label change.
  const pull = await client.get(`/repos/${repository}/pulls/${heads[0].number}`);
  if (pull.head?.sha !== commit) return { skip: `PR ${pull.number} has moved on from ${short} to ${pull.head?.sha?.slice(0, 7)}` };
  const { eligible, reason } = eligibility(pull, repository);
  if (!eligible) return { skip: `PR ${pull.number} has no canaries (${reason})` };

  // Newest first: the first deployment of each environment is the current one.
  const deployments = (await client.paginate(`/repos/${repository}/deployments?sha=${commit}`))
    .filter((deployment) => deployment.environment?.startsWith(CANARY_ENVIRONMENT_PREFIX))
    .filter((deployment) => !deployer || deployment.creator?.login === deployer);
  const current = new Map();
  for (const deployment of deployments) {
    if (!current.has(deployment.environment)) current.set(deployment.environment, deployment);
  }
  if (current.size === 0) return { skip: `no canary deployment of ${short}${deployer ? ` by ${deployer}` : ''}` };

  const services = [];
  for (const [environment, deployment] of [...current].sort(([a], [b]) => a.localeCompare(b))) {
    const [latest] = await client.get(`/repos/${repository}/deployments/${deployment.id}/statuses?per_page=1`);
    if (latest?.state !== 'success') return { skip: `${environment} of ${short} is ${latest?.state ?? 'not reported yet'}, not live` };
    services.push(environment.slice(CANARY_ENVIRONMENT_PREFIX.length));
  }
  return { pr: pull.number, sha: commit, services };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  try {
    const target = await findTarget(createClient(), {
      repository: process.env.GITHUB_REPOSITORY,
      commit: process.env.COMMIT,
      deployer: process.env.DEPLOYER || undefined,
    });
    if ('skip' in target) {
      console.log(`nothing to check: ${target.skip}`);
    } else {
      console.log(`checking PR ${target.pr} at ${target.sha}: live canaries of ${target.services.join(', ')}`);
      if (process.env.GITHUB_OUTPUT) {
        appendFileSync(process.env.GITHUB_OUTPUT, `pr=${target.pr}\nsha=${target.sha}\nservices=${target.services.join(',')}\n`);
      }
    }
  } catch (error) {
    console.error(`canary-check-target.mjs: ${error.message}`);
    process.exit(1);
  }
}
