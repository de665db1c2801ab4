// The canary state: which PR canary images exist, kept on the branch canary-state of
// this repository, one file per PR and service:
//
//   pr-<n>/<service>.json   {"service", "built_sha", "built_sha_7", "recorded_at"}
//
// CI writes a file only after it has pushed that service's image for the PR's head
// commit, so the ApplicationSet (a git files generator over this branch, in a matrix
// with the pullRequest generator) creates or moves an Application only once its image
// exists. Removing the folder ends the PR's canaries.
//
//   node canary-state.mjs record --pr <n> --commit <sha> --services '["api-service"]' [--max <m>]
//   node canary-state.mjs withdraw --pr <n>
//   node canary-state.mjs list
//
// Environment: STATE_REMOTE (URL or path of the repository), GITHUB_TOKEN (contents:
// write; omitted for a local path), GITHUB_OUTPUT (optional, receives the outcome:
// admitted, holders and max for record, withdrawn for withdraw). An empty --max means
// the default cap.
//
// Writes are optimistic: fetch the branch, build the new commit with git plumbing (no
// work tree), push it as a fast-forward; when someone else pushed first, start again
// from their commit. So two PRs recording at once never lose each other's files, and
// the cap is counted on the state that is actually pushed.

import { execFileSync } from 'node:child_process';
import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DEFAULT_MAX_PRS, STATE_BRANCH, positiveSetting } from './canary-policy.mjs';
import { services } from './services.mjs';

const prFolder = /^pr-([1-9][0-9]{0,8})\/([a-z][a-z0-9-]*)\.json$/;
const sha = /^[0-9a-f]{40}$/;
const serviceNames = services.map((s) => s.name);

export const stateFilePath = (pr, service) => `pr-${pr}/${service}.json`;

/** The record the ApplicationSet reads: its keys must not collide with the pullRequest generator's. */
export function stateRecord({ service, commit, recordedAt }) {
  if (!serviceNames.includes(service)) throw new Error(`unknown service '${service}'`);
  if (!sha.test(commit)) throw new Error(`'${commit}' is not a full commit SHA`);
  return { service, built_sha: commit, built_sha_7: commit.slice(0, 7), recorded_at: recordedAt };
}

export const serializeRecord = (record) => `${JSON.stringify(record, null, 2)}\n`;

const README = `# Canary state

Written by the pr-canary, cleanup and canary-ttl workflows; read by the Argo CD
ApplicationSet canary-demo-pr. One file per pull request and service,
pr-<n>/<service>.json, recorded after CI pushed that service's image for the PR's
head commit. Do not edit by hand: the history is the audit log of every canary.
`;

/** Parses the state files (path -> text) into Map<pr number, Map<service, record>>. */
export function parseState(files) {
  const prs = new Map();
  for (const [path, text] of Object.entries(files)) {
    const match = prFolder.exec(path);
    if (!match) continue;
    const record = JSON.parse(text);
    const pr = Number(match[1]);
    if (!prs.has(pr)) prs.set(pr, new Map());
    prs.get(pr).set(match[2], record);
  }
  return prs;
}

/**
 * The files after recording PR `pr`'s images of `commit` for exactly `touched`
 * services (files of services it no longer changes go). A record for the same commit
 * keeps its time, so the idle clock only restarts with a new image. A PR that holds
 * no canary yet is admitted only while fewer than `max` PRs do.
 */
export function recordChange(files, { pr, commit, touched, now, max }) {
  const state = parseState(files);
  const holders = [...state.keys()].filter((n) => n !== pr).sort((a, b) => a - b);
  if (touched.length > 0 && !state.has(pr) && holders.length >= max) {
    return { files, admitted: false, holders };
  }
  const next = { ...files };
  for (const path of Object.keys(next)) {
    if (path.startsWith(`pr-${pr}/`)) delete next[path];
  }
  for (const service of touched) {
    const previous = state.get(pr)?.get(service);
    const recordedAt = previous?.built_sha === commit ? previous.recorded_at : now;
    next[stateFilePath(pr, service)] = serializeRecord(stateRecord({ service, commit, recordedAt }));
  }
  return { files: next, admitted: true, holders };
}

/** The files without any canary of PR `pr`. */
export function withdrawChange(files, { pr }) {
  return Object.fromEntries(Object.entries(files).filter(([path]) => !path.startsWith(`pr-${pr}/`)));
}

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
    GIT_AUTHOR_NAME: 'github-actions[bot]',
    GIT_AUTHOR_EMAIL: '41898282+github-actions[bot]@users.noreply.github.com',
    GIT_COMMITTER_NAME: 'github-actions[bot]',
    GIT_COMMITTER_EMAIL: '41898282+github-actions[bot]@users.noreply.github.com',
    GIT_TERMINAL_PROMPT: '0',
  };
  return (args, input) => execFileSync('git', args, { env, input, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] }).trim();
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
      files[path] = this.git(['cat-file', 'blob', `${tip}:${path}`]) + '\n';
    }
    return { tip, files };
  }

  /** Commits `files` as the whole tree on top of `tip` and pushes; false when the remote moved. */
  push(tip, files, message) {
    const entries = Object.entries({ 'README.md': README, ...files }).sort(([a], [b]) => a.localeCompare(b));
    const index = join(this.dir, 'next-index');
    rmSync(index, { force: true });
    const git = (args, input) => gitRunner(this.dir)(args, input);
    const withIndex = (args) => execFileSync('git', args, {
      env: { ...process.env, GIT_DIR: this.dir, GIT_INDEX_FILE: index }, encoding: 'utf8',
    }).trim();
    for (const [path, text] of entries) {
      const blob = git(['hash-object', '-w', '--stdin'], text);
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
   * Applies `change(files) -> { files, ...outcome }` to the newest state and pushes the
   * result, starting again when another writer got there first. Returns the outcome.
   */
  update(change, message, attempts = 8) {
    for (let attempt = 1; attempt <= attempts; attempt++) {
      const { tip, files } = this.fetch();
      const { files: next, ...outcome } = change(files);
      if (sameFiles(files, next)) return { ...outcome, changed: false };
      if (this.push(tip, next, message)) return { ...outcome, changed: true };
    }
    throw new Error(`${this.branch} kept moving: gave up after ${attempts} attempts`);
  }
}

function sameFiles(before, after) {
  const strip = (files) => Object.entries(files).filter(([path]) => path !== 'README.md').sort(([a], [b]) => a.localeCompare(b));
  return JSON.stringify(strip(before)) === JSON.stringify(strip(after));
}

function option(args, name) {
  const index = args.indexOf(`--${name}`);
  return index >= 0 ? args[index + 1] : undefined;
}

function prArgument(args) {
  const pr = option(args, 'pr');
  if (!/^[1-9][0-9]{0,8}$/.test(pr ?? '')) throw new Error(`--pr must be a pull request number, not '${pr}'`);
  return Number(pr);
}

function writeOutputs(outputs) {
  if (!process.env.GITHUB_OUTPUT) return;
  appendFileSync(process.env.GITHUB_OUTPUT, Object.entries(outputs).map(([k, v]) => `${k}=${v}\n`).join(''));
}

export function main(args, env = process.env) {
  const [command] = args;
  const store = new StateStore({ remote: env.STATE_REMOTE, token: env.GITHUB_TOKEN });
  try {
    switch (command) {
      case 'record': {
        const pr = prArgument(args);
        const commit = option(args, 'commit');
        const touched = JSON.parse(option(args, 'services') ?? '[]');
        const max = positiveSetting(option(args, 'max'), DEFAULT_MAX_PRS, '--max');
        const now = env.NOW ?? new Date().toISOString();
        const shortSha = String(commit).slice(0, 7);
        const outcome = store.update(
          (files) => recordChange(files, { pr, commit, touched, now, max }),
          `PR #${pr}: ${touched.length ? `${touched.join(', ')} at ${shortSha}` : 'no service changed'}`,
        );
        writeOutputs({ admitted: outcome.admitted, holders: JSON.stringify(outcome.holders), max });
        return { ...outcome, pr, touched, max };
      }
      case 'withdraw': {
        const pr = prArgument(args);
        const outcome = store.update((files) => ({ files: withdrawChange(files, { pr }) }), `PR #${pr}: canaries removed`);
        writeOutputs({ withdrawn: outcome.changed });
        return { ...outcome, pr };
      }
      case 'list': {
        const state = parseState(store.fetch().files);
        return Object.fromEntries([...state].map(([pr, records]) => [pr, Object.fromEntries(records)]));
      }
      default:
        throw new Error('usage: canary-state.mjs record --pr <n> --commit <sha> --services <json> [--max <m>] | withdraw --pr <n> | list');
    }
  } finally {
    store.close();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  try {
    console.log(JSON.stringify(main(process.argv.slice(2))));
  } catch (error) {
    console.error(`canary-state.mjs: ${error.message}`);
    process.exit(1);
  }
}
