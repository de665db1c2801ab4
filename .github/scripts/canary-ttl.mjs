// Ends idle PR canaries: a PR whose newest canary image was recorded more than N days
// ago loses its canaries (its state folder is removed, so the ApplicationSet deletes the
// Applications) and its canary label, and its canary comment says why. State left by
// closed PRs (a missed close event) is removed too.
//
//   node .github/scripts/canary-ttl.mjs [--dry-run]
//
// Run by the recorder's workflow (.github/workflows/canary-recorder.yml), which alone may
// write the state. Environment: GITHUB_TOKEN (pull-requests: write, for label and comment),
// GITHUB_API_URL, GITHUB_REPOSITORY, STATE_REMOTE, STATE_TOKEN (the recorder App's token),
// TTL_DAYS (default 7), NOW (tests).

import { pathToFileURL } from 'node:url';
import { CANARY_LABEL, DEFAULT_TTL_DAYS, positiveSetting } from './canary-policy.mjs';
import { StateStore, parseState, withdrawChange } from './canary-state.mjs';
import { createClient } from './github-api.mjs';
import { renderComment, upsertComment } from './pr-comment.mjs';

const dayMs = 24 * 60 * 60 * 1000;

/** The newest recorded_at of a PR's records, in ms. */
export const lastImageAt = (records) => Math.max(...[...records.values()].map((r) => Date.parse(r.recorded_at)));

async function pullRequest(client, repository, pr) {
  try {
    return await client.get(`/repos/${repository}/pulls/${pr}`);
  } catch (error) {
    if (error.status === 404) return { state: 'closed' };
    throw error;
  }
}

export async function expire({ client, store, repository, days, now, dryRun = false, log = console.log }) {
  const state = parseState(store.fetch().files);
  const ended = [];
  for (const [pr, records] of [...state].sort(([a], [b]) => a - b)) {
    const pull = await pullRequest(client, repository, pr);
    const idleDays = (now - lastImageAt(records)) / dayMs;
    const reason = pull.state === 'closed' ? 'closed' : idleDays > days ? 'ttl' : undefined;
    if (!reason) continue;
    log(`${dryRun ? 'would end' : 'ending'} the canaries of #${pr} (${reason === 'ttl' ? `idle ${Math.floor(idleDays)} days` : 'closed'})`);
    ended.push({ pr, reason });
    if (dryRun) continue;
    store.update((files) => ({ files: withdrawChange(files, { pr }) }), `PR #${pr}: canaries removed (${reason})`);
    if (reason !== 'ttl') continue;
    try {
      await client.delete(`/repos/${repository}/issues/${pr}/labels/${encodeURIComponent(CANARY_LABEL)}`);
    } catch (error) {
      if (error.status !== 404) throw error; // already removed
    }
    await upsertComment(client, repository, pr, renderComment({ status: 'removed', pr, reason, ttlDays: days }), { create: true });
  }
  return ended;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const store = new StateStore({ remote: process.env.STATE_REMOTE, token: process.env.STATE_TOKEN });
  try {
    const repository = process.env.GITHUB_REPOSITORY;
    if (!repository) throw new Error('GITHUB_REPOSITORY is not set');
    const days = positiveSetting(process.env.TTL_DAYS, DEFAULT_TTL_DAYS, 'TTL_DAYS');
    const now = process.env.NOW ? Date.parse(process.env.NOW) : Date.now();
    const dryRun = process.argv.includes('--dry-run');
    const ended = await expire({ client: createClient(), store, repository, days, now, dryRun });
    console.log(`${ended.length} PR canary set(s) ${dryRun ? 'to end' : 'ended'} (TTL ${days} days)`);
  } catch (error) {
    console.error(`canary-ttl.mjs: ${error.message}`);
    process.exitCode = 1;
  } finally {
    store.close();
  }
}
