// ShellCheck (Debian's shellcheck; scripts/test installs it) on every shell script of the
// repository and on every `run:` script of the workflows.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { allSteps, repoRoot } from './support/repo.mjs';

/** Tracked files that are shell: *.sh, or a bash/sh shebang on the first line. */
function shellScripts() {
  return execFileSync('git', ['ls-files', '-z'], { cwd: repoRoot, encoding: 'utf8' })
    .split('\0')
    .filter((file) => file && !file.includes('node_modules/'))
    .filter((file) => file.endsWith('.sh') || /^#!.*\b(ba)?sh\b/.test(readFileSync(join(repoRoot, file), 'utf8').split('\n', 1)[0]));
}

function shellcheck(args, cwd = repoRoot) {
  const result = spawnSync('shellcheck', ['-f', 'gcc', ...args], { cwd, encoding: 'utf8' });
  if (result.error) throw new Error(`shellcheck is not installed (Debian: apt-get install shellcheck; scripts/test installs it): ${result.error.message}`);
  return { status: result.status, output: result.stdout + result.stderr };
}

describe('shellcheck', () => {
  const scripts = shellScripts();

  test('finds the shell scripts, the run and test commands among them', () => {
    for (const file of ['scripts/run', 'scripts/test', 'scripts/lib.sh', '.ci/run']) assert.ok(scripts.includes(file), file);
  });

  test('every shell script passes', () => {
    // -x -P SCRIPTDIR: follow `source "$(dirname "$0")/lib.sh"` the way the scripts do.
    const { status, output } = shellcheck(['-x', '-P', 'SCRIPTDIR', ...scripts]);
    assert.equal(status, 0, output);
  });

  test('every workflow run script passes (as the bash -e the runner uses)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'run-scripts-'));
    const files = allSteps().filter(([, , step]) => step.run).map(([file, id, step], index) => {
      const path = join(dir, `${file.replace('.yml', '')}-${id}-${index}.sh`);
      // ${{ }} is expanded by the runner before bash sees the script.
      writeFileSync(path, `#!/usr/bin/env bash\nset -eo pipefail\n${step.run.replace(/\$\{\{[^}]*\}\}/g, 'EXPRESSION')}\n`);
      return path;
    });
    assert.ok(files.length > 10, `only ${files.length} run scripts`);
    const { status, output } = shellcheck(files, dir);
    assert.equal(status, 0, output);
  });

  test('reports a real mistake', () => {
    const dir = mkdtempSync(join(tmpdir(), 'shellcheck-'));
    writeFileSync(join(dir, 'broken.sh'), '#!/usr/bin/env bash\nrm -rf $1/*\n');
    const { status, output } = shellcheck(['broken.sh'], dir);
    assert.notEqual(status, 0);
    assert.match(output, /SC2086/);
  });
});
