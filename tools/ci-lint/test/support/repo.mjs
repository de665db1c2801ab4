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

/** Every workflow file, parsed: file -> workflow. */
export function allWorkflows() {
  return Object.fromEntries(workflowFiles.map((file) => [file, loadWorkflow(file)]));
}

/** The events a workflow runs on, as an object whatever the `on:` shorthand. */
export function triggers(workflow) {
  const on = workflow.on;
  if (typeof on === 'string') return { [on]: null };
  if (Array.isArray(on)) return Object.fromEntries(on.map((e) => [e, null]));
  return on;
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
