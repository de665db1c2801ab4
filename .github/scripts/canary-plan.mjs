// Decides what pr-canary.yml builds for the pull request of the triggering event: the
// images of the services it changes, tagged from its head commit, when it may have a
// canary at all. This runs the PR's own copy (pull_request), so it only saves builds: the
// recorder (canary-recorder.mjs, the default branch's code) decides again, from GitHub's
// API, what becomes the canary.
//
//   node .github/scripts/canary-plan.mjs      (in the PR's checkout, with its full history)
//
// Environment: GITHUB_EVENT_PATH, GITHUB_REPOSITORY, GITHUB_OUTPUT. Outputs:
//   eligible   true when the PR may have canaries (same repository, open, not a draft, labelled)
//   services   JSON list: the services the PR changes (empty when not eligible)
//   tag        pr-<n>-<sha7> of the head commit

import { appendFileSync, readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { eligibility } from './canary-policy.mjs';
import { changedPaths, touchedServices } from './services.mjs';

export function plan(event, repository, touched = () => []) {
  const pullRequest = event.pull_request;
  if (!pullRequest) throw new Error('not a pull_request event');
  const { eligible } = eligibility(pullRequest, repository);
  const headSha = pullRequest.head.sha;
  return {
    eligible,
    services: eligible ? touched(pullRequest.base.sha, headSha) : [],
    tag: `pr-${pullRequest.number}-${headSha.slice(0, 7)}`,
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  try {
    const event = JSON.parse(readFileSync(process.env.GITHUB_EVENT_PATH, 'utf8'));
    const result = plan(event, process.env.GITHUB_REPOSITORY, (base, head) => touchedServices(changedPaths(base, head)));
    const lines = Object.entries(result).map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}\n`);
    if (process.env.GITHUB_OUTPUT) appendFileSync(process.env.GITHUB_OUTPUT, lines.join(''));
    console.log(JSON.stringify(result));
  } catch (error) {
    console.error(`canary-plan.mjs: ${error.message}`);
    process.exit(1);
  }
}
