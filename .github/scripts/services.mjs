// The deployable services and the paths each image is built from. The workflows ask
// this module (through its CLI) instead of repeating the mapping.
//
//   node .github/scripts/services.mjs names                 -> ["api-service","store-service"]
//   node .github/scripts/services.mjs project api-service   -> ApiService
//   node .github/scripts/services.mjs touched <base> <head> -> services whose image inputs changed
//   node .github/scripts/services.mjs filters               -> the path filters as a Markdown table

import { execFileSync } from 'node:child_process';
import { pathToFileURL } from 'node:url';

export const services = Object.freeze([
  Object.freeze({ name: 'api-service', project: 'ApiService' }),
  Object.freeze({ name: 'store-service', project: 'StoreService' }),
]);

// Inputs of every image (see .dockerignore): a change here rebuilds both services.
// Globs: `*` stays within one path segment, `**` spans any number of them.
export const sharedPaths = Object.freeze([
  'Shared.Canary/**',
  'ServiceDefaults/**',
  'Store.Contracts/**',
  'protos/**',
  'Directory.*',
  'global.json',
  '.editorconfig',
  '.dockerignore',
  'nuget.config',
  'NuGet.Config',
  'scripts/publish-aot.sh',
]);

/** The path filters of one service: its project folder, plus every shared input. */
export const servicePaths = (service) => [`${service.project}/**`];

function globToRegExp(glob) {
  const source = glob
    .split(/(\*\*|\*)/)
    .map((part) => (part === '**' ? '.*' : part === '*' ? '[^/]*' : part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${source}$`);
}

const matches = (globs, path) => globs.some((glob) => globToRegExp(glob).test(path));

export function projectOf(name) {
  const service = services.find((s) => s.name === name);
  if (!service) {
    throw new Error(`unknown service '${name}' (known: ${services.map((s) => s.name).join(', ')})`);
  }
  return service.project;
}

/** Services whose image is built from at least one of the changed repository paths. */
export function touchedServices(changedPaths) {
  if (changedPaths.some((path) => matches(sharedPaths, path))) {
    return services.map((s) => s.name);
  }
  return services
    .filter((s) => changedPaths.some((path) => matches(servicePaths(s), path)))
    .map((s) => s.name);
}

/** The path filters as the Markdown table docs/delivery.md shows (a test keeps the two equal). */
export function filtersTable() {
  const code = (globs) => globs.map((g) => `\`${g}\``).join(', ');
  return [
    '| service | rebuilt and deployed as a PR canary when the PR changes |',
    '| --- | --- |',
    ...services.map((s) => `| ${s.name} | ${code(servicePaths(s))}, or any shared input |`),
    `| shared inputs (both services) | ${code(sharedPaths)} |`,
  ].join('\n');
}

/** Paths changed on head since it forked from base (three-dot diff, as GitHub shows a PR). */
export function changedPaths(base, head, cwd = process.cwd()) {
  const output = execFileSync('git', ['diff', '--name-only', '--no-renames', `${base}...${head}`], {
    cwd,
    encoding: 'utf8',
  });
  return output.split('\n').filter(Boolean);
}

function main([command, ...args]) {
  switch (command) {
    case 'names':
      return services.map((s) => s.name);
    case 'project':
      return projectOf(args[0]);
    case 'filters':
      return filtersTable();
    case 'touched':
      if (args.length !== 2) throw new Error('usage: touched <base-sha> <head-sha>');
      return touchedServices(changedPaths(args[0], args[1]));
    default:
      throw new Error('usage: services.mjs names | project <service> | touched <base> <head> | filters');
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  try {
    const result = main(process.argv.slice(2));
    console.log(typeof result === 'string' ? result : JSON.stringify(result));
  } catch (error) {
    console.error(`services.mjs: ${error.message}`);
    process.exit(1);
  }
}
