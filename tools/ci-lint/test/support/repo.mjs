// Paths and parsed files of the repository under test.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');
export const workflowsDir = join(repoRoot, '.github/workflows');
export const scriptsDir = join(repoRoot, '.github/scripts');

export const workflowFiles = readdirSync(workflowsDir)
  .filter((name) => /\.ya?ml$/.test(name))
  .sort();

export function readRepoFile(path) {
  return readFileSync(join(repoRoot, path), 'utf8');
}

export function loadWorkflow(file) {
  return parse(readFileSync(join(workflowsDir, file), 'utf8'));
}

/** [file, jobId, job] for every job of every workflow. */
export function allJobs() {
  return workflowFiles.flatMap((file) =>
    Object.entries(loadWorkflow(file).jobs).map(([id, job]) => [file, id, job]));
}

/** [file, jobId, step] for every step of every workflow. */
export function allSteps() {
  return allJobs().flatMap(([file, id, job]) => (job.steps ?? []).map((step) => [file, id, step]));
}
