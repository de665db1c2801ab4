// Deletes pull-request canary images from GHCR.
//
//   node .github/scripts/ghcr-cleanup.mjs --pr <n> [--dry-run]   images of PR n (it was closed)
//   node .github/scripts/ghcr-cleanup.mjs --closed [--dry-run]   images of every closed PR (sweep)
//
// In GHCR a package version is one manifest digest carrying any number of tags, and
// deleting it deletes all of them. A version is therefore deleted only when every one
// of its tags is a pr-<n>-<sha7> tag of a PR being cleaned up: an image that is also
// tagged main, a release version or an open PR's tag stays. Untagged versions stay too:
// they include the platform manifests under tagged indexes.
//
// Environment: GITHUB_TOKEN (packages: write; pull-requests: read for --closed),
// GITHUB_API_URL, GITHUB_REPOSITORY.

import { pathToFileURL } from 'node:url';
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

/** Versions whose every tag is a canary tag of one of the given PRs. */
export function versionsToDelete(versions, prNumbers) {
  return versions.filter((version) => {
    const tags = version.metadata?.container?.tags ?? [];
    return tags.length > 0 && tags.every((t) => prNumbers.has(prOfTag(t)));
  });
}

async function listVersions(client, packagesPath, name) {
  try {
    return await client.paginate(`${packagesPath}/${name}/versions`);
  } catch (error) {
    if (error.status === 404) return []; // never pushed (or not visible to this token)
    throw error;
  }
}

async function closedPrs(client, repository, numbers) {
  const closed = new Set();
  for (const number of numbers) {
    try {
      const pull = await client.get(`/repos/${repository}/pulls/${number}`);
      if (pull.state === 'closed') closed.add(number);
    } catch (error) {
      if (error.status !== 404) throw error;
      console.warn(`#${number} is not a pull request of ${repository}; its images are kept`);
    }
  }
  return closed;
}

export async function cleanup({ client, repository, pr, dryRun = false, log = console.log }) {
  const owner = repository.split('/')[0];
  const account = await client.get(`/users/${owner}`);
  const packagesPath = `/${account.type === 'Organization' ? 'orgs' : 'users'}/${owner}/packages/container`;

  const versionsByPackage = new Map();
  for (const { name } of services) {
    versionsByPackage.set(name, await listVersions(client, packagesPath, name));
  }
  const targets = pr !== undefined
    ? new Set([pr])
    : await closedPrs(client, repository, canaryPrNumbers([...versionsByPackage.values()].flat()));

  const deleted = [];
  for (const [name, versions] of versionsByPackage) {
    for (const version of versionsToDelete(versions, targets)) {
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
  if (rest.length === 1 && rest[0] === '--closed') return { dryRun };
  if (rest.length === 2 && rest[0] === '--pr' && prOfTag(`pr-${rest[1]}-0000000`) !== undefined) {
    return { pr: Number(rest[1]), dryRun };
  }
  throw new Error('usage: ghcr-cleanup.mjs --pr <number> | --closed [--dry-run]');
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  try {
    const { pr, dryRun } = parseArgs(process.argv.slice(2));
    const repository = process.env.GITHUB_REPOSITORY;
    if (!repository) throw new Error('GITHUB_REPOSITORY is not set');
    const deleted = await cleanup({ client: createClient(), repository, pr, dryRun });
    console.log(`${deleted.length} canary image version(s) ${dryRun ? 'to delete' : 'deleted'}`);
  } catch (error) {
    console.error(`ghcr-cleanup.mjs: ${error.message}`);
    process.exit(1);
  }
}
