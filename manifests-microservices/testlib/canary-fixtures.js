// Sample pull requests and canary state for the ApplicationSet tests. The state files
// are made by the same functions the recorder uses to write them
// (.github/scripts/canary-state.mjs), so the tests read what the recorder really records.
import { createHash } from "node:crypto";
import { CANARY_LABEL, STATE_BRANCH } from "../../.github/scripts/canary-policy.mjs";
import { serializeRecord, stateFilePath, stateRecord, withPreviews } from "../../.github/scripts/canary-state.mjs";
import { placeholders, repoRoot } from "./layout.js";

export { CANARY_LABEL, STATE_BRANCH };

/** The revision every PR Application must render: the protected default branch, fully qualified. */
export const trustedRevision = "refs/heads/main";

/** The revision the ApplicationSet reads the records from. */
export const stateRevision = `refs/heads/${STATE_BRANCH}`;

/** A digest standing in for the image of `service` built from `commit` (distinct per pair). */
export const imageDigest = (service, commit) => `sha256:${createHash("sha256").update(`${service}@${commit}`).digest("hex")}`;

const base = { branch: "feature/x", targetBranch: "main", title: "t", author: "octocat", state: "open", draft: false };

export const pr42 = { ...base, number: 42, headSha: "3f2a9c1d8e7b6a5f4c3d2e1f0a9b8c7d6e5f4a3b", labels: [CANARY_LABEL] };
export const pr7 = { ...base, number: 7, headSha: "9b8c7d6e5f4a3b3f2a9c1d8e7b6a5f4c3d2e1f0a", labels: ["bug", CANARY_LABEL] };
/** Labelled and open, its image still building: CI has recorded nothing yet. */
export const pr9 = { ...base, number: 9, headSha: "aaaa9999bbbb0000cccc1111dddd2222eeee3333", labels: [CANARY_LABEL] };
/** Closed; its state is still there (the close event not processed yet). */
export const pr5 = { ...base, number: 5, headSha: "5555555555555555555555555555555555555555", labels: [CANARY_LABEL], state: "closed" };
/** No label; state left over from when it had one. */
export const pr11 = { ...base, number: 11, headSha: "1111111111111111111111111111111111111111", labels: ["enhancement"] };
/** A draft with the label: CI records nothing for drafts (the generator itself lists drafts). */
export const pr13 = { ...base, number: 13, headSha: "1313131313131313131313131313131313131313", labels: [CANARY_LABEL], draft: true };
/** From a fork, without the label; a (forged) state file must not be enough. */
export const pr15 = { ...base, number: 15, headSha: "1515151515151515151515151515151515151515", labels: [], fork: true };

export const recordedAt = "2026-05-04T10:00:00.000Z";

/** The state branch's files for records [{ pr, service, commit, digest? }], with the preview record each PR's records make. */
export function stateFiles(records) {
  const files = {};
  for (const { pr, service, commit, digest = imageDigest(service, commit) } of records) {
    files[stateFilePath(pr, service)] = serializeRecord(stateRecord({ commit, digest, recordedAt }));
  }
  return withPreviews(files);
}

/** What the recorder recorded for the sample PRs: only changed services, only once their images were verified. */
export const sampleState = stateFiles([
  { pr: 42, service: "api-service", commit: pr42.headSha },
  { pr: 7, service: "api-service", commit: pr7.headSha },
  { pr: 7, service: "store-service", commit: pr7.headSha },
  { pr: 5, service: "api-service", commit: pr5.headSha },
  { pr: 11, service: "api-service", commit: pr11.headSha },
  { pr: 15, service: "store-service", commit: pr15.headSha },
]);

export const samplePullRequests = [pr42, pr7, pr9, pr5, pr11, pr13, pr15];

/** The SCM as the generators see it: the GitHub API's pull requests and the state branch. */
export const scm = (pullRequests = samplePullRequests, files = sampleState) => ({
  pullRequests,
  gitFiles: { [placeholders.repoURL]: { [stateRevision]: files } },
});

/** The repository checkouts Argo CD may render: the working tree stands in for the default branch. */
export const trustedCheckouts = (root = repoRoot) => ({ [placeholders.repoURL]: { [trustedRevision]: root } });
