// The pinned tools of this suite, run as processes the way a developer runs them: Redocly CLI
// (lint), openapi-typescript (types from the document) and the TypeScript compiler (tsc --noEmit).
import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = fileURLToPath(new URL('.', import.meta.url));
const bin = (path) => join(HERE, 'node_modules', path);
export const RULESET = join(HERE, 'ruleset.yaml');
export const GENERATED = join(HERE, 'generated');

// No telemetry, no update check: the suite runs offline and reports nothing anywhere.
const QUIET = { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_NOTIFICATIONS: 'true' };

/** @param {string} script @param {string[]} args */
function node(script, args) {
  const run = spawnSync(process.execPath, [script, ...args], { cwd: HERE, env: QUIET, encoding: 'utf8', timeout: 120_000 });
  if (run.error) throw run.error;
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

/**
 * @typedef {object} LintProblem
 * @property {string} ruleId
 * @property {'error' | 'warn'} severity
 * @property {string} message
 * @property {string} pointer where in the document, e.g. #/paths/~1health/get
 */

/**
 * Lints a document with the repository's ruleset; every problem, errors and warnings alike.
 * @param {object} document
 * @returns {Promise<LintProblem[]>}
 */
export async function lint(document) {
  const dir = await mkdtemp(join(tmpdir(), 'openapi-lint-'));
  try {
    const file = join(dir, 'openapi.json');
    await writeFile(file, JSON.stringify(document, null, 2));
    // --lint-config error: a mistake in the ruleset itself fails instead of quietly checking less.
    const run = node(bin('@redocly/cli/bin/cli.js'), [
      'lint', file, '--config', RULESET, '--lint-config', 'error', '--format', 'json', '--max-problems', '1000',
    ]);
    const start = run.stdout.indexOf('{');
    if (start < 0) throw new Error(`redocly lint printed no report (exit ${run.status}):\n${run.stdout}\n${run.stderr}`);
    const report = JSON.parse(run.stdout.slice(start));
    const problems = report.problems.map((/** @type {any} */ p) => ({
      ruleId: p.ruleId, severity: p.severity, message: p.message, pointer: p.location[0]?.pointer ?? '',
    }));
    if ((run.status === 0) !== (problems.length === 0)) {
      throw new Error(`redocly lint exited ${run.status} with ${problems.length} problems:\n${run.stderr}`);
    }
    return problems;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** @param {LintProblem[]} problems one line per problem, for a failure message */
export function describeProblems(problems) {
  return problems.map((p) => `  ${p.severity} ${p.ruleId} at ${p.pointer}: ${p.message}`).join('\n');
}

/**
 * Writes the document and the TypeScript types openapi-typescript generates from it to generated/.
 * @param {object} document
 */
export async function generateTypes(document) {
  await rm(GENERATED, { recursive: true, force: true });
  await mkdir(GENERATED, { recursive: true });
  const source = join(GENERATED, 'openapi.json');
  await writeFile(source, JSON.stringify(document, null, 2));
  const run = node(bin('openapi-typescript/bin/cli.js'), [source, '--output', join(GENERATED, 'api.d.ts')]);
  if (run.status !== 0) throw new Error(`openapi-typescript failed (exit ${run.status}):\n${run.stdout}\n${run.stderr}`);
}

/**
 * tsc --noEmit over the typed client (tsconfig.json), or over other files with the same options.
 * @param {string[]} [files] paths relative to generated/
 * @returns {Promise<{ status: number | null, output: string }>}
 */
export async function typeCheck(files) {
  let project = join(HERE, 'tsconfig.json');
  if (files) {
    project = join(GENERATED, 'tsconfig.check.json');
    await writeFile(project, JSON.stringify({ extends: '../tsconfig.json', files }));
  }
  const run = node(bin('typescript/bin/tsc'), ['--noEmit', '--pretty', 'false', '-p', project]);
  return { status: run.status, output: run.stdout + run.stderr };
}
