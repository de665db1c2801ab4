// A real git repository standing in for GitHub's: a bare repository the state scripts
// push to (STATE_REMOTE), and a reader that shows what its canary-state branch holds.
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export function stateRepository() {
  const remote = join(mkdtempSync(join(tmpdir(), 'state-remote-')), 'repo.git');
  execFileSync('git', ['init', '--quiet', '--bare', remote]);
  const git = (...args) => execFileSync('git', ['--git-dir', remote, ...args], { encoding: 'utf8' }).trim();
  return {
    remote,
    /** path -> parsed JSON of every state file on the branch (README excluded). */
    files(branch = 'canary-state') {
      if (!git('branch', '--list', branch)) return {};
      const paths = git('ls-tree', '-r', '--name-only', branch).split('\n').filter((p) => p.endsWith('.json'));
      return Object.fromEntries(paths.map((p) => [p, JSON.parse(git('show', `${branch}:${p}`))]));
    },
    log: (branch = 'canary-state') => git('log', '--format=%s', branch).split('\n'),
    git,
  };
}
