// Who gets a PR canary, and the limits that apply. The one definition of the opt-in
// label, the state branch and the defaults: the workflows ask this module, and the
// tests check that the ApplicationSet (which cannot import it) names the same label
// and branch.

/** A PR gets canaries only while it carries this label (and the ApplicationSet filters on it too). */
export const CANARY_LABEL = 'canary';

/** The branch where the recorder records the verified canary images; the ApplicationSet's git generator reads it (as refs/heads/canary-state). */
export const STATE_BRANCH = 'canary-state';

/** Days without a new canary image after which the recorder's TTL job ends a PR's canaries (repository variable CANARY_TTL_DAYS). */
export const DEFAULT_TTL_DAYS = 7;

/** PRs that may hold canaries at once (repository variable CANARY_MAX_PRS). */
export const DEFAULT_MAX_PRS = 10;

/**
 * Whether a pull request (the `pull_request` object of a GitHub event or of the REST API)
 * may have canaries in `repository` ("owner/name"), and if not, why.
 */
export function eligibility(pullRequest, repository) {
  if (pullRequest.state !== 'open') return { eligible: false, reason: 'closed' };
  if (pullRequest.head?.repo?.full_name !== repository) return { eligible: false, reason: 'fork' };
  if (pullRequest.draft) return { eligible: false, reason: 'draft' };
  if (!(pullRequest.labels ?? []).some((label) => label.name === CANARY_LABEL)) {
    return { eligible: false, reason: 'unlabelled' };
  }
  return { eligible: true, reason: 'eligible' };
}

/** A positive integer setting from a repository variable, or its default. */
export function positiveSetting(value, fallback, name) {
  if (value === undefined || value === '') return fallback;
  if (!/^[1-9][0-9]{0,3}$/.test(String(value))) throw new Error(`${name} must be a whole number from 1 to 9999, not '${value}'`);
  return Number(value);
}
