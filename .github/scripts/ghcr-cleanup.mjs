// Deletes pull-request canary images from GHCR.
//
//   node .github/scripts/ghcr-cleanup.mjs --pr <n> [--dry-run]   images of PR n (it was closed)
//   node .github/scripts/ghcr-cleanup.mjs --sweep [--dry-run]    images of every closed PR, and the
//                                                                superseded images of open PRs
//
// An open PR keeps the images of its head commit (the one CI builds) and of the commits
// the canary state records (the ones its canaries run until the new image is recorded);
// its other pr-<n>-<sha7> images belong to commits that were pushed over.
//
// In GHCR a package version is one manifest digest carrying any number of tags, and
// deleting it deletes all of them. A version is therefore deleted only when every one
// of its tags is a pr-<n>-<sha7> tag of a PR being cleaned up: an image that is also
// tagged main, a release version or an open PR's tag stays. Untagged versions stay too:
// they include the platform manifests under tagged indexes.
//
// Environment: GITHUB_TOKEN (packages: write; for --sweep also pull-requests: read and
// contents: read), GITHUB_API_URL, GITHUB_REPOSITORY, STATE_REMOTE (--sweep).

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
 * `keep` is a set of tags (the images open PRs still need).
 */
export function versionsToDelete(versions, prNumbers, keep = new Set()) {
  return versions.filter((version) => {
    const tags = version.metadata?.container?.tags ?? [];
    return tags.length > 0 && tags.every((t) => prNumbers.has(prOfTag(t)) && !keep.has(t));
  });
}

/** The tags an open PR still needs: its head commit's and those its canary state records. */
export function tagsInUse(pr, headSha, stateRecords = new Map()) {
  const tags = new Set([`pr-${pr}-${headSha.slice(0, 7)}`]);
  for (const record of stateRecords.values()) tags.add(`pr-${pr}-${record.built_sha_7}`);
  return tags;
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
async function sweepTargets(client, repository, numbers, state) {
  const targets = new Set();
  const keep = new Set();
  for (const number of numbers) {
    try {
      const pull = await client.get(`/repos/${repository}/pulls/${number}`);
      targets.add(number);
      if (pull.state !== 'closed') {
        for (const tag of tagsInUse(number, pull.head.sha, state.get(number))) keep.add(tag);
      }
    } catch (error) {
      if (error.status !== 404) throw error;
      console.warn(`#${number} is not a pull request of ${repository}; its images are kept`);
    }
  }
  return { targets, keep };
}

export async function cleanup({ client, repository, pr, state = new Map(), dryRun = false, log = console.log }) {
  const owner = repository.split('/')[0];
  const account = await client.get(`/users/${owner}`);
  const packagesPath = `/${account.type === 'Organization' ? 'orgs' : 'users'}/${owner}/packages/container`;

  const versionsByPackage = new Map();
  for (const { name } of services) {
    versionsByPackage.set(name, await listVersions(client, packagesPath, name));
  }
  const { targets, keep } = pr !== undefined
    ? { targets: new Set([pr]), keep: new Set() }
    : await sweepTargets(client, repository, canaryPrNumbers([...versionsByPackage.values()].flat()), state);

  const deleted = [];
  for (const [name, versions] of versionsByPackage) {
    for (const version of versionsToDelete(versions, targets, keep)) {
      const tags = version.metadata.container.tags;
      if (!dryRun) {
        try {
          await client.delete(`${packagesPath}/${name}/versions/${version.id}`);
        } catch (error) {
          if (error.status === 403) {
            throw new Error(`${error.message}\nThe token may not delete ${name}: grant this ` +
              "repository the Admin role in the package's 'Manage Actions access' settings.");
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
    const deleted = await cleanup({ client: createClient(), repository, pr, state, dryRun });
    console.log(`${deleted.length} canary image version(s) ${dryRun ? 'to delete' : 'deleted'}`);
  } catch (error) {
    console.error(`ghcr-cleanup.mjs: ${error.message}`);
    process.exit(1);
  }
}
