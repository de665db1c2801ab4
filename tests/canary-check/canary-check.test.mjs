// ./scripts/canary-check end to end, real processes through the local proxies: scripts/run started
// from a throwaway worktree of this commit whose api has faults seeded per track
// (seeded-worktree.mjs). Stable and every PR track run that one build; each fault acts only on its
// own track:
//   pr-42  api and store, nothing: the very build stable runs
//   pr-43  api only, a sale answers previous_count one too high
//   pr-44  api only, listing active items takes 150 ms longer
//   pr-45  api only, listing electronics answers 500
// and PR 99 has no track at all. One build and one stack start serve every test.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { startStack } from '../../scripts/lib/local-stack.mjs';
import { REPO, seededWorktree } from './seeded-worktree.mjs';

/** @type {{ path: string, remove: () => void }} */ let worktree;
/** @type {import('../../scripts/lib/local-stack.mjs').Stack} */ let stack;
const reports = mkdtempSync(join(tmpdir(), 'canary-check-reports-'));

before(async () => {
  worktree = seededWorktree();
  stack = await startStack({
    run: join(worktree.path, 'scripts', 'run'),
    // A first build of both services and the proxy in the new worktree, on a busy 2-core machine.
    startTimeoutMs: 15 * 60_000,
    args: ['--engine', 'dynalite'],
    prs: ['42', '43:api-service', '44:api-service', '45:api-service'],
  });
}, { timeout: 16 * 60_000 });

after(async () => {
  await stack?.stop();
  worktree?.remove();
  rmSync(reports, { recursive: true, force: true });
});

/**
 * Runs the documented entry, ./scripts/canary-check of this repository, against the stack.
 * @param {string} pr
 * @returns {Promise<{ code: number | null, report: any, markdown: string, output: string }>}
 */
async function canaryCheck(pr) {
  const out = mkdtempSync(join(reports, `pr-${pr}-`));
  const check = spawn(join(REPO, 'scripts', 'canary-check'), ['--pr', pr, '--url', stack.origin('127.0.0.1'), '--out', out], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  check.stdout.on('data', (chunk) => { output += chunk; });
  check.stderr.on('data', (chunk) => { output += chunk; });
  const code = await new Promise((resolve) => check.once('exit', resolve));
  const markdown = readFileSync(join(out, 'report.md'), 'utf8');
  assert.ok(output.includes(markdown), 'the report is printed too');
  const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
  console.log(`PR ${pr}: exit ${code}, ${report.requests} requests in ${(report.duration_ms / 1000).toFixed(1)} s`);
  return { code, report, markdown, output };
}

test('an identical build is the same as stable, three checks in a row: no noise leaks through', async () => {
  for (let run = 1; run <= 3; run++) {
    const { code, report, output } = await canaryCheck('42');
    assert.equal(code, 0, `check ${run}:\n${output}`);
    assert.equal(report.verdict, 'same');
    assert.deepEqual(report.served_by_pr, ['api-service', 'store-service']);
    assert.deepEqual([report.differences, report.regressions, report.route_problems], [[], [], []]);
    assert.ok(report.noise.length > 0, 'ids, tenants, times and trace ids differ between the stable runs');
    assert.ok(report.latency.length >= 10 && report.latency.every((/** @type {any} */ step) => step.pairs >= 20), 'every read step timed');
  }
});

test('a changed response field differs: exit 3, naming the step and the JSON path', async () => {
  const { code, report, markdown, output } = await canaryCheck('43');
  assert.equal(code, 3, output);
  assert.deepEqual(report.differences, [{ step: 'sell from the inventory', field: '$.previous_count', stable: '150', canary: '151' }]);
  assert.deepEqual(report.regressions, []);
  assert.deepEqual(report.served_by_pr, ['api-service']);
  assert.match(markdown, /\| sell from the inventory \| `\$\.previous_count` \| `150` \| `151` \|/);
});

test('150 ms added to one read is a latency regression: exit 1, naming the step', async () => {
  const { code, report, output } = await canaryCheck('44');
  assert.equal(code, 1, output);
  assert.deepEqual(report.regressions.map((/** @type {any} */ r) => [r.kind, r.step]), [['latency', 'list active items']]);
  const slow = report.latency.find((/** @type {any} */ step) => step.step === 'list active items');
  assert.ok(slow.canary_p50_ms - slow.stable_p50_ms >= 140, JSON.stringify(slow));
  assert.deepEqual(report.differences, []);
});

test('a 500 on one request is a regression: exit 1', async () => {
  const { code, report, output } = await canaryCheck('45');
  assert.equal(code, 1, output);
  const failures = report.regressions.filter((/** @type {any} */ r) => r.kind === 'server-error');
  assert.deepEqual([...new Set(failures.map((/** @type {any} */ r) => r.step))], ['list electronics']);
  assert.match(failures[0].detail, /^stable answered 200, the canary 500$/);
  assert.ok(report.differences.some((/** @type {any} */ d) => d.step === 'list electronics' && d.field === 'status'));
});

test('a PR number with no track was not routed: exit 2', async () => {
  const { code, report, output } = await canaryCheck('99');
  assert.equal(code, 2, output);
  assert.equal(report.verdict, 'could-not-run');
  assert.match(report.reason, /^not routed: /);
  assert.deepEqual(report.served_by_pr, []);
  assert.deepEqual(report.latency, []);
});
