// The canary state: which verified PR canary images the dev cluster runs, kept on the
// branch canary-state of this repository, one file per PR and service, and one per PR for
// its preview host:
//
//   pr-<n>/<service>.json   {"commit": "<40 hex>", "digest": "sha256:<64 hex>", "recorded_at": "<RFC 3339>"}
//   pr-<n>/preview.json     {"api": "pr-<n>"} or {"api": "stable"}
//
// commit is the PR head the image was built from, digest the image's manifest (or index)
// digest in the registry. The Argo CD ApplicationSet canary-demo-pr reads the service
// records (a git files generator over this branch, in a matrix with the pullRequest
// generator) and takes the service from the file's path. The preview record says which api
// track PR n's preview host (pr-<n>.<api host>) serves: the PR's own when the folder records
// an api-service image, stable otherwise; it is never recorded on its own but derived from
// the folder's records, so it exists exactly as long as the PR has a canary, and the
// ApplicationSet canary-demo-pr-preview makes the host's route from it. Removing a PR's
// folder ends its canaries and its preview host.
//
// Only the recorder writes this branch (canary-recorder.mjs and canary-ttl.mjs, run by
// .github/workflows/canary-recorder.yml with its GitHub App's token; a ruleset keeps
// everyone else out). Every tree it pushes holds nothing but records in exactly the form
// serializeRecord writes (stateFileProblems): Argo CD cannot isolate every malformed file
// (docs/delivery.md), so none may reach the branch. A file found on the branch that fails
// the check is dropped in the next commit.
//
// Writes are optimistic: fetch the branch, build the new commit with git plumbing (no work
// tree), push it as a fast-forward; when someone else pushed first, start again from their
// commit. So two PRs recording at once never lose each other's files, and the cap is
// counted on the state that is actually pushed.

import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { STATE_BRANCH } from './canary-policy.mjs';
import { services } from './services.mjs';

const serviceNames = services.map((s) => s.name);
const statePath = /^pr-([1-9][0-9]{0,8})\/([a-z][a-z0-9-]*)\.json$/;
const previewFilePath = /^pr-([1-9][0-9]{0,8})\/preview\.json$/;
const README_PATH = 'README.md';
/** The service whose track a preview host chooses; every later hop follows X-Canary as usual. */
const PREVIEW_SERVICE = 'api-service';

/** The record schema: its keys, in this order, and what each value must be. */
export const recordSchema = Object.freeze({
  commit: /^[0-9a-f]{40}$/,
  digest: /^sha256:[0-9a-f]{64}$/,
  recorded_at: /^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{3})?Z$/,
});

export const stateFilePath = (pr, service) => `pr-${pr}/${service}.json`;

export const previewPath = (pr) => `pr-${pr}/preview.json`;

export const serializeRecord = (record) => `${JSON.stringify(record, null, 2)}\n`;

/**
 * The preview record of PR `pr` whose folder records images of `recordedServices`: the api
 * track its preview host serves, exactly one of two values.
 */
export function previewRecord(pr, recordedServices) {
  return { api: recordedServices.includes(PREVIEW_SERVICE) ? `pr-${pr}` : 'stable' };
}

/** A record, checked against the schema: throws on any value that does not fit. */
export function stateRecord({ commit, digest, recordedAt }) {
  const record = { commit, digest, recorded_at: recordedAt };
  for (const [key, pattern] of Object.entries(recordSchema)) {
    if (typeof record[key] !== 'string' || !pattern.test(record[key])) {
      throw new Error(`record ${key} '${record[key]}' does not match ${pattern}`);
    }
  }
  return record;
}

/**
 * Why a file may not be on the state branch ([] when it may): its path must be
 * pr-<n>/<service>.json of a known service, and its text exactly what serializeRecord
 * writes for a valid record (so no other type, key, duplicate key or layout); or
 * pr-<n>/preview.json with one of that PR's two preview records, in the same form.
 * Whether a preview record agrees with its folder is stateProblems' business.
 */
export function stateFileProblems(path, text) {
  if (path === README_PATH) return [];
  const preview = previewFilePath.exec(path);
  if (preview) {
    const allowed = [[], [PREVIEW_SERVICE]].map((recorded) => serializeRecord(previewRecord(preview[1], recorded)));
    return allowed.includes(text) ? [] : [`${path}: not {"api": "pr-${preview[1]}"} or {"api": "stable"} in the recorder's form`];
  }
  const match = statePath.exec(path);
  if (!match) return [`${path}: not pr-<n>/<service>.json`];
  if (!serviceNames.includes(match[2])) return [`${path}: unknown service '${match[2]}'`];
  let parsed;
  try {
    parsed = JSON.parse(text);
  } catch {
    return [`${path}: not JSON`];
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return [`${path}: not a JSON object`];
  try {
    const record = stateRecord({ commit: parsed.commit, digest: parsed.digest, recordedAt: parsed.recorded_at });
    if (serializeRecord(record) !== text) return [`${path}: not in the recorder's form (other keys or layout)`];
  } catch (error) {
    return [`${path}: ${error.message}`];
  }
  return [];
}

/** The service record paths of the files, by PR number: Map<pr, [{ path, service }]>. */
function serviceRecordPaths(files) {
  const prs = new Map();
  for (const path of Object.keys(files)) {
    const match = statePath.exec(path);
    if (!match || previewFilePath.test(path)) continue;
    const pr = Number(match[1]);
    if (!prs.has(pr)) prs.set(pr, []);
    prs.get(pr).push({ path, service: match[2] });
  }
  return prs;
}

/** The files with each PR folder's preview record derived from its service records; a folder without records has none. */
export function withPreviews(files) {
  const next = Object.fromEntries(Object.entries(files).filter(([path]) => !previewFilePath.test(path)));
  for (const [pr, records] of serviceRecordPaths(next)) {
    next[previewPath(pr)] = serializeRecord(previewRecord(pr, records.map((r) => r.service)));
  }
  return next;
}

/**
 * Why a whole tree may not be pushed ([] when it may): any file's problems, and every preview
 * record that is missing, left over or does not say what its folder's records say.
 */
export function stateProblems(files) {
  const problems = Object.entries(files).flatMap(([path, text]) => stateFileProblems(path, text));
  const expected = withPreviews(files);
  const previews = new Set([...Object.keys(files), ...Object.keys(expected)].filter((path) => previewFilePath.test(path)));
  for (const path of [...previews].sort()) {
    if (files[path] === expected[path]) continue;
    problems.push(expected[path] === undefined ? `${path}: its folder records no image` : `${path}: must be ${expected[path].replace(/\s+/g, '')}`);
  }
  return problems;
}

/**
 * The files that may stay (README, valid records, and each folder's preview record as its
 * records make it) and the paths that may not (invalid files, and preview records that say
 * anything else).
 */
export function validState(files) {
  const kept = {};
  const dropped = [];
  for (const [path, text] of Object.entries(files)) {
    if (stateFileProblems(path, text).length === 0) kept[path] = text;
    else dropped.push(path);
  }
  const derived = withPreviews(kept);
  for (const path of Object.keys(kept)) {
    if (previewFilePath.test(path) && derived[path] !== kept[path]) dropped.push(path);
  }
  return { files: derived, dropped: dropped.sort() };
}

/** Parses the valid service records of the state files (path -> text) into Map<pr number, Map<service, record>>. */
export function parseState(files) {
  const valid = validState(files).files;
  const prs = new Map();
  for (const [pr, records] of serviceRecordPaths(valid)) {
    prs.set(pr, new Map(records.map(({ path, service }) => [service, JSON.parse(valid[path])])));
  }
  return prs;
}

/**
 * The files after recording PR `pr`'s verified `images` ([{ service, digest }]) of
 * `commit`: exactly these services (the files of services it no longer changes go) and
 * the preview record they make. A record of the same image keeps its time, so the idle
 * clock only restarts with a new image. A PR that holds no canary yet is admitted only
 * while fewer than `max` PRs do.
 */
export function recordChange(files, { pr, commit, images, now, max }) {
  const state = parseState(files);
  const holders = [...state.keys()].filter((n) => n !== pr).sort((a, b) => a - b);
  if (images.length > 0 && !state.has(pr) && holders.length >= max) {
    return { files, admitted: false, holders };
  }
  const next = withdrawChange(files, { pr });
  for (const { service, digest } of images) {
    if (!serviceNames.includes(service)) throw new Error(`unknown service '${service}'`);
    const previous = state.get(pr)?.get(service);
    const same = previous?.commit === commit && previous?.digest === digest;
    next[stateFilePath(pr, service)] = serializeRecord(stateRecord({ commit, digest, recordedAt: same ? previous.recorded_at : now }));
  }
  if (images.length > 0) next[previewPath(pr)] = serializeRecord(previewRecord(pr, images.map((image) => image.service)));
  return { files: next, admitted: true, holders };
}

/** The files without any canary of PR `pr`, its preview record included. */
export function withdrawChange(files, { pr }) {
  return Object.fromEntries(Object.entries(files).filter(([path]) => !path.startsWith(`pr-${pr}/`)));
}

const README = `# Canary state

Written only by the canary-recorder workflow (its GitHub App; a ruleset keeps everyone
else out); read by the Argo CD ApplicationSets canary-demo-pr and canary-demo-pr-preview.
One file per pull request and service, pr-<n>/<service>.json = {commit, digest,
recorded_at}: the image the recorder found in the registry for the PR's head commit and
verified was built from it. And one per pull request that has any, pr-<n>/preview.json =
{api}: the api track its preview host serves (pr-<n> when it records an api-service
image, else stable). Do not edit by hand: the history is the audit log of every canary.
`;

function gitRunner(dir, token) {
  // The token travels in git's environment configuration, never on a command line.
  const auth = token
    ? {
      GIT_CONFIG_COUNT: '1',
      GIT_CONFIG_KEY_0: 'http.extraheader',
      GIT_CONFIG_VALUE_0: `AUTHORIZATION: basic ${Buffer.from(`x-access-token:${token}`).toString('base64')}`,
    }
    : {};
  const env = {
    ...process.env,
    ...auth,
    GIT_DIR: dir,
    GIT_AUTHOR_NAME: 'canary-recorder',
    GIT_AUTHOR_EMAIL: 'canary-recorder@users.noreply.github.com',
    GIT_COMMITTER_NAME: 'canary-recorder',
    GIT_COMMITTER_EMAIL: 'canary-recorder@users.noreply.github.com',
    GIT_TERMINAL_PROMPT: '0',
  };
  const run = (args, input) => execFileSync('git', args, { env, input, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] });
  const git = (args, input) => run(args, input).trim();
  /** Output as is: file contents are checked byte for byte. */
  git.raw = run;
  return git;
}

/** The state branch of `remote`, fetched into a scratch repository. */
export class StateStore {
  constructor({ remote, token, branch = STATE_BRANCH }) {
    if (!remote) throw new Error('STATE_REMOTE is not set');
    this.remote = remote;
    this.branch = branch;
    this.dir = mkdtempSync(join(tmpdir(), 'canary-state-'));
    this.git = gitRunner(this.dir, token);
    this.git(['init', '--quiet', '--bare']);
  }

  close() {
    rmSync(this.dir, { recursive: true, force: true });
  }

  /** Fetches the branch: { tip, files } with tip null when the branch does not exist yet. */
  fetch() {
    const ref = `refs/heads/${this.branch}`;
    if (!this.git(['ls-remote', '--heads', this.remote, ref])) return { tip: null, files: {} };
    this.git(['fetch', '--quiet', '--no-tags', this.remote, `+${ref}:refs/state`]);
    const tip = this.git(['rev-parse', 'refs/state']);
    const files = {};
    for (const path of this.git(['ls-tree', '-r', '--name-only', tip]).split('\n').filter(Boolean)) {
      files[path] = this.git.raw(['cat-file', 'blob', `${tip}:${path}`]);
    }
    return { tip, files };
  }

  /** Commits `files` as the whole tree on top of `tip` and pushes; false when the remote moved. */
  push(tip, files, message) {
    const problems = stateProblems(files);
    if (problems.length > 0) throw new Error(`refusing to push an invalid state: ${problems.join('; ')}`);
    const entries = Object.entries({ ...files, [README_PATH]: README }).sort(([a], [b]) => a.localeCompare(b));
    const index = join(this.dir, 'next-index');
    rmSync(index, { force: true });
    const withIndex = (args, input) => execFileSync('git', args, {
      env: { ...process.env, GIT_DIR: this.dir, GIT_INDEX_FILE: index }, input, encoding: 'utf8',
    }).trim();
    for (const [path, text] of entries) {
      const blob = withIndex(['hash-object', '-w', '--stdin'], text);
      withIndex(['update-index', '--add', '--cacheinfo', `100644,${blob},${path}`]);
    }
    const tree = withIndex(['write-tree']);
    const commit = this.git(['commit-tree', tree, ...(tip ? ['-p', tip] : []), '-m', message]);
    try {
      this.git(['push', '--quiet', this.remote, `${commit}:refs/heads/${this.branch}`]);
      return true;
    } catch (error) {
      if (/\[rejected\]|non-fast-forward|fetch first|already exists|stale info/.test(String(error.stderr))) return false;
      throw new Error(`git push to ${this.branch} failed: ${error.stderr || error.message}`);
    }
  }

  /**
   * Applies `change(files) -> { files, ...outcome }` to the newest valid state and pushes
   * the result, starting again when another writer got there first. Files on the branch
   * that fail the schema are dropped in the same commit. Returns the outcome with
   * `changed` (whether a commit was pushed) and `dropped` (the paths removed as invalid).
   */
  update(change, message, attempts = 8) {
    for (let attempt = 1; attempt <= attempts; attempt++) {
      const { tip, files: fetched } = this.fetch();
      const { files: current, dropped } = validState(fetched);
      const { files: next, ...outcome } = change(current);
      if (dropped.length === 0 && sameFiles(fetched, next)) return { ...outcome, changed: false, dropped };
      const note = dropped.length > 0 ? `\n\nDropped as invalid: ${dropped.join(', ')}` : '';
      if (this.push(tip, next, `${message}${note}`)) return { ...outcome, changed: true, dropped };
    }
    throw new Error(`${this.branch} kept moving: gave up after ${attempts} attempts`);
  }
}

function sameFiles(before, after) {
  const strip = (files) => Object.entries(files).filter(([path]) => path !== README_PATH).sort(([a], [b]) => a.localeCompare(b));
  return JSON.stringify(strip(before)) === JSON.stringify(strip(after));
}
