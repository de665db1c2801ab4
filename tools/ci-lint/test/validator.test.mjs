// Every workflow passes the GitHub workflow schema (@action-validator/cli), and the
// check is able to fail.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { workflowFiles, workflowsDir } from './support/repo.mjs';

const cli = fileURLToPath(new URL('../node_modules/@action-validator/cli/cli.mjs', import.meta.url));

function validate(path) {
  const result = spawnSync(process.execPath, [cli, path], { encoding: 'utf8' });
  return { status: result.status, output: result.stdout + result.stderr };
}

test('the repository has its nine workflows and the three reusable image ones', () => {
  assert.deepEqual(workflowFiles, ['canary-check.yml', 'canary-recorder.yml', 'ci.yml', 'cleanup.yml', 'cluster-smoke.yml', 'codeql.yml',
    'dependencies.yml', 'image-scan.yml', 'image.yml', 'pr-canary.yml', 'published-image.yml', 'release.yml']);
});

for (const file of workflowFiles) {
  test(`${file} is a valid workflow`, () => {
    const { status, output } = validate(join(workflowsDir, file));
    assert.equal(status, 0, output);
  });
}

function brokenCopy(file, search, replacement) {
  const source = readFileSync(join(workflowsDir, file), 'utf8');
  assert.ok(source.includes(search), `${file} contains '${search}'`);
  const path = join(mkdtempSync(join(tmpdir(), 'ci-lint-')), file);
  writeFileSync(path, source.replace(search, replacement));
  return path;
}

test('the validator rejects a misspelled job key', () => {
  const { status, output } = validate(brokenCopy('ci.yml', '    steps:', '    stpes:'));
  assert.equal(status, 1);
  assert.match(output, /Additional property 'stpes' is not allowed/);
});

test('the validator rejects an unknown permission level', () => {
  const { status, output } = validate(brokenCopy('pr-canary.yml', 'packages: write', 'packages: wirte'));
  assert.equal(status, 1);
  assert.match(output, /permissions/);
});
