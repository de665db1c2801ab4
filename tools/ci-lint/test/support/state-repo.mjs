// A real git repository standing in for GitHub's: a bare repository the state scripts
// push to (STATE_REMOTE), a reader that shows what its canary-state branch holds, and a
// writer that puts any files there (what a writer other than the recorder could leave).
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
    /** path -> text of every file on the branch. */
    texts(branch = 'canary-state') {
      const paths = git('ls-tree', '-r', '--name-only', branch).split('\n').filter(Boolean);
      return Object.fromEntries(paths.map((p) => [p, execFileSync('git', ['--git-dir', remote, 'cat-file', 'blob', `${branch}:${p}`], { encoding: 'utf8' })]));
    },
    /** Commits exactly `files` (path -> text) as the branch's tree on top of its tip. */
    write(files, message = 'written by hand', branch = 'canary-state') {
      const index = join(mkdtempSync(join(tmpdir(), 'state-index-')), 'index');
      const withIndex = (args, input) => execFileSync('git', ['--git-dir', remote, ...args], {
        encoding: 'utf8', input, env: { ...process.env, GIT_INDEX_FILE: index },
      }).trim();
      for (const [path, text] of Object.entries(files)) {
        const blob = withIndex(['hash-object', '-w', '--stdin'], text);
        withIndex(['update-index', '--add', '--cacheinfo', `100644,${blob},${path}`]);
      }
      const tree = withIndex(['write-tree']);
      const parent = git('branch', '--list', branch) ? ['-p', git('rev-parse', branch)] : [];
      const commit = execFileSync('git', ['--git-dir', remote, 'commit-tree', tree, ...parent, '-m', message], {
        encoding: 'utf8', env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.com', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.com' },
      }).trim();
      git('update-ref', `refs/heads/${branch}`, commit);
    },
    log: (branch = 'canary-state') => git('log', '--format=%s', branch).split('\n'),
    /** The whole message of the branch's newest commit. */
    lastMessage: (branch = 'canary-state') => git('log', '-1', '--format=%B', branch),
    git,
  };
}
