// A throwaway git worktree of this commit with faults seeded into its api (seeded/SeededFaults.cs,
// registered in front of the items endpoints). `scripts/run --pr ...` started from it runs that
// build for stable and every PR track; each fault acts only on its own track. Nothing seeded ever
// reaches the repository's own tree.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = fileURLToPath(new URL('../..', import.meta.url));
const SEEDED = fileURLToPath(new URL('seeded/SeededFaults.cs', import.meta.url));
// The line the middleware goes in front of: after routing, the caller check and the canary
// middleware (so a seeded 500 still carries X-Canary-Route), before the endpoints.
const ANCHOR = 'app.MapItemsApi();';

const git = (/** @type {string[]} */ ...args) => execFileSync('git', args, { cwd: REPO, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

/** @returns {{ path: string, remove: () => void }} */
export function seededWorktree() {
  const path = join(mkdtempSync(join(tmpdir(), 'canary-check-')), 'worktree');
  git('worktree', 'add', '--detach', '--quiet', path, 'HEAD');
  const remove = () => {
    try {
      git('worktree', 'remove', '--force', path);
    } finally {
      rmSync(join(path, '..'), { recursive: true, force: true });
      git('worktree', 'prune');
    }
  };
  try {
    const application = join(path, 'ApiService', 'ApiApplication.cs');
    const source = readFileSync(application, 'utf8');
    if (!source.includes(ANCHOR)) throw new Error(`ApiService/ApiApplication.cs no longer has '${ANCHOR}': move the seeded faults' anchor (${fileURLToPath(import.meta.url)})`);
    writeFileSync(application, source.replace(ANCHOR, `app.UseMiddleware<SeededFaults>();\n        ${ANCHOR}`));
    copyFileSync(SEEDED, join(path, 'ApiService', 'SeededFaults.cs'));
  } catch (error) {
    remove();
    throw error;
  }
  return { path, remove };
}
