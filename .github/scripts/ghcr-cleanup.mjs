// Deletes pull-request canary images from GHCR.
//
//   node .github/scripts/ghcr-cleanup.mjs --pr <n> [--dry-run]   images of PR n (it was closed)
//   node .github/scripts/ghcr-cleanup.mjs --sweep [--dry-run]    images of every closed PR, and the
//                                                                superseded images of open PRs
//
// An open PR keeps the images of its head commit (the one CI builds) and the ones the
// canary state records (by tag and by digest: what its canaries run until the new image is
// recorded); its other pr-<n>-<sha7> images belong to commits that were pushed over.
//
// In GHCR a package version is one manifest digest carrying any number of tags, and
// deleting it deletes all of them. A version is therefore deleted only when every one
// of its tags is a pr-<n>-<sha7> tag of a PR being cleaned up: an image that is also
// tagged main, a release version or an open PR's tag stays. Untagged versions stay too:
// they include the platform manifests under tagged indexes.
//
// Deleting a version takes the Admin role on the package, which no workflow token may
// have: a PR's build job holds packages: write, and with Admin it could delete what the
// stable environments run (docs/security.md). Deletions use PACKAGES_DELETE_TOKEN
// instead, a package admin's token kept in the canary-recorder environment (default branch
// only). The recorder deletes a closed PR's images through cleanup() (canary-recorder.mjs);
// the daily sweep (cleanup.yml) and an operator use the command line. Environment:
// GITHUB_TOKEN (reads pull requests and, for --sweep, the state), PACKAGES_DELETE_TOKEN,
// GITHUB_API_URL, GITHUB_REPOSITORY, STATE_REMOTE (--sweep).

import { pathToFileURL } from 'node:url';
import { StateStore, parseState } from './canary-state.mjs';
import { createClient } from './github-api.mjs';
import { services } from './services.mjs';

const prTag = /^pr-([1-9][0-9]{0,8})-[0-9a-f]{7}$/;

/** PR number of a canary tag, or undefined for any other tag. */
export function prOfTag(tag) {
  const match = prTag.exec(tag);
  return match ? Number(match[1]) : undefined;
}

/** PR numbers of the versions that carry only canary tags. */
export function canaryPrNumbers(versions) {
  const numbers = new Set();
  for (const version of versions) {
    const tags = version.metadata?.container?.tags ?? [];
    if (tags.length > 0 && tags.every((t) => prOfTag(t) !== undefined)) {
      for (const tag of tags) numbers.add(prOfTag(tag));
    }
  }
  return numbers;
}

/**
 * Versions whose every tag is a canary tag of one of the given PRs and none is kept.
 * `keep` is a set of tags and digests (the images open PRs still need); a version's name
 * is its digest.
 */
export function versionsToDelete(versions, prNumbers, keep = new Set()) {
  return versions.filter((version) => {
    const tags = version.metadata?.container?.tags ?? [];
    return tags.length > 0 && !keep.has(version.name) && tags.every((t) => prNumbers.has(prOfTag(t)) && !keep.has(t));
  });
}

/** The tags and digests an open PR still needs: its head commit's tag and what its canary state records. */
export function imagesInUse(pr, headSha, stateRecords = new Map()) {
  const keep = new Set([`pr-${pr}-${headSha.slice(0, 7)}`]);
  for (const record of stateRecords.values()) {
    keep.add(`pr-${pr}-${record.commit.slice(0, 7)}`);
    keep.add(record.digest);
  }
  return keep;
}

async function listVersions(client, packagesPath, name) {
  try {
    return await client.paginate(`${packagesPath}/${name}/versions`);
  } catch (error) {
    if (error.status === 404) return []; // never pushed (or not visible to this token)
    throw error;
  }
}

/** PR numbers to clean up and the tags to keep: closed PRs entirely, open PRs but for the tags in use. */
async function sweepTargets(github, repository, numbers, state) {
  const targets = new Set();
  const keep = new Set();
  for (const number of numbers) {
    try {
      const pull = await github.get(`/repos/${repository}/pulls/${number}`);
      targets.add(number);
      if (pull.state !== 'closed') {
        for (const item of imagesInUse(number, pull.head.sha, state.get(number))) keep.add(item);
      }
    } catch (error) {
      if (error.status !== 404) throw error;
      console.warn(`#${number} is not a pull request of ${repository}; its images are kept`);
    }
  }
  return { targets, keep };
}

/**
 * Deletes the canary versions of PR `pr`, or (without `pr`) those the sweep finds. `github`
 * reads the repository (GITHUB_TOKEN); `packages` lists and deletes package versions: a
 * token of a package admin that no PR's workflow can reach (docs/security.md).
 */
export async function cleanup({ github, packages, repository, pr, state = new Map(), dryRun = false, log = console.log }) {
  const owner = repository.split('/')[0];
  const account = await github.get(`/users/${owner}`);
  const packagesPath = `/${account.type === 'Organization' ? 'orgs' : 'users'}/${owner}/packages/container`;

  const versionsByPackage = new Map();
  for (const { name } of services) {
    versionsByPackage.set(name, await listVersions(packages, packagesPath, name));
  }
  const { targets, keep } = pr !== undefined
    ? { targets: new Set([pr]), keep: new Set() }
    : await sweepTargets(github, repository, canaryPrNumbers([...versionsByPackage.values()].flat()), state);

  const deleted = [];
  for (const [name, versions] of versionsByPackage) {
    for (const version of versionsToDelete(versions, targets, keep)) {
      const tags = version.metadata.container.tags;
      if (!dryRun) {
        try {
          await packages.delete(`${packagesPath}/${name}/versions/${version.id}`);
        } catch (error) {
          if (error.status === 403) {
            throw new Error(`${error.message}\nPACKAGES_DELETE_TOKEN may not delete ${name}: its account needs ` +
              "the Admin role on the package and the token the read:packages and delete:packages scopes (docs/security.md).");
          }
          throw error;
        }
      }
      log(`${dryRun ? 'would delete' : 'deleted'} ${name}:${tags.join(',')} (version ${version.id})`);
      deleted.push({ name, id: version.id, tags });
    }
  }
  return deleted;
}

function parseArgs(args) {
  const dryRun = args.includes('--dry-run');
  const rest = args.filter((a) => a !== '--dry-run');
  if (rest.length === 1 && rest[0] === '--sweep') return { dryRun, sweep: true };
  if (rest.length === 2 && rest[0] === '--pr' && prOfTag(`pr-${rest[1]}-0000000`) !== undefined) {
    return { pr: Number(rest[1]), dryRun };
  }
  throw new Error('usage: ghcr-cleanup.mjs --pr <number> | --sweep [--dry-run]');
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  try {
    const { pr, dryRun, sweep } = parseArgs(process.argv.slice(2));
    const repository = process.env.GITHUB_REPOSITORY;
    if (!repository) throw new Error('GITHUB_REPOSITORY is not set');
    let state = new Map();
    if (sweep) {
      const store = new StateStore({ remote: process.env.STATE_REMOTE, token: process.env.GITHUB_TOKEN });
      try {
        state = parseState(store.fetch().files);
      } finally {
        store.close();
      }
    }
    // Never GITHUB_TOKEN: without the admin's token nothing is deleted.
    if (!process.env.PACKAGES_DELETE_TOKEN) throw new Error('PACKAGES_DELETE_TOKEN is not set (docs/security.md)');
    const packages = createClient({ token: process.env.PACKAGES_DELETE_TOKEN });
    const deleted = await cleanup({ github: createClient(), packages, repository, pr, state, dryRun });
    console.log(`${deleted.length} canary image version(s) ${dryRun ? 'to delete' : 'deleted'}`);
  } catch (error) {
    console.error(`ghcr-cleanup.mjs: ${error.message}`);
    process.exit(1);
  }
}
