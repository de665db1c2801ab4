// Every npm project of the repository (a directory with a package-lock.json) is kept up to date
// by Dependabot and audited by the dependencies workflow: a new project is not forgotten in either.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { dirname } from 'node:path';
import { describe, test } from 'node:test';
import { parse } from 'yaml';
import { loadWorkflow, readRepoFile, repoRoot } from './support/repo.mjs';

/** Directories of the committed (or new, not ignored) lockfiles, e.g. tools/ci-lint. */
const lockfileDirs = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard', '--', '*package-lock.json'], { cwd: repoRoot, encoding: 'utf8' })
  .split('\0')
  .filter((file) => file && !file.includes('node_modules/'))
  .map((file) => dirname(file))
  .sort();

describe('npm projects', () => {
  test('finds the lockfiles', () => {
    for (const dir of ['tools/ci-lint', 'extension-canary', 'tests/openapi']) assert.ok(lockfileDirs.includes(dir), dir);
  });

  test('Dependabot watches every npm project', () => {
    const npm = parse(readRepoFile('.github/dependabot.yml')).updates.filter((/** @type {any} */ u) => u['package-ecosystem'] === 'npm');
    const watched = npm.flatMap((/** @type {any} */ u) => u.directories ?? [u.directory]).map((/** @type {string} */ d) => d.replace(/^\//, ''));
    assert.deepEqual([...watched].sort(), lockfileDirs);
  });

  test('the dependencies workflow audits every npm project', () => {
    assert.deepEqual([...loadWorkflow('dependencies.yml').jobs.npm.strategy.matrix.dir].sort(), lockfileDirs);
  });
});
