// The canary state the ApplicationSet reads: what CI records, what it withdraws, the cap,
// and that concurrent writers never lose each other's records. Runs the script as the
// workflows do, against a real git repository.
import assert from 'node:assert/strict';
import { readFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { STATE_BRANCH } from '../../../.github/scripts/canary-policy.mjs';
import { StateStore, recordChange, stateRecord } from '../../../.github/scripts/canary-state.mjs';
import { runScript } from './support/run-script.mjs';
import { stateRepository } from './support/state-repo.mjs';

const shaA = 'aaaaaaa000000000000000000000000000000000';
const shaB = 'bbbbbbb111111111111111111111111111111111';

function cli(repo, extraEnv = {}) {
  return async (...args) => {
    const output = join(mkdtempSync(join(tmpdir(), 'gh-output-')), 'out');
    const result = await runScript('canary-state.mjs', args, { STATE_REMOTE: repo.remote, GITHUB_OUTPUT: output, ...extraEnv });
    let outputs = {};
    try {
      outputs = Object.fromEntries(readFileSync(output, 'utf8').trim().split('\n').map((l) => l.split(/=(.*)/s).slice(0, 2)));
    } catch {
      // no outputs written
    }
    return { ...result, outputs };
  };
}

describe('records', () => {
  test('carry no key the pullRequest generator or the git generator sets (the first child would shadow it)', () => {
    const record = stateRecord({ service: 'api-service', commit: shaA, recordedAt: '2026-01-01T00:00:00Z' });
    const generatorKeys = ['number', 'title', 'branch', 'branch_slug', 'target_branch', 'target_branch_slug', 'head_sha',
      'head_short_sha', 'head_short_sha_7', 'author', 'labels', 'path'];
    assert.deepEqual(Object.keys(record).filter((k) => generatorKeys.includes(k)), []);
    assert.deepEqual(record, { service: 'api-service', built_sha: shaA, built_sha_7: 'aaaaaaa', recorded_at: '2026-01-01T00:00:00Z' });
  });

  test('reject unknown services and short commits', () => {
    assert.throws(() => stateRecord({ service: 'web', commit: shaA }), /unknown service 'web'/);
    assert.throws(() => stateRecord({ service: 'api-service', commit: 'aaaaaaa' }), /not a full commit SHA/);
  });
});

describe('canary-state.mjs on a git repository', () => {
  test('record creates the branch with one file per changed service; withdraw removes the PR', async () => {
    const repo = stateRepository();
    const run = cli(repo, { NOW: '2026-05-01T00:00:00.000Z' });
    const recorded = await run('record', '--pr', '42', '--commit', shaA, '--services', '["api-service"]');
    assert.equal(recorded.code, 0, recorded.stderr);
    assert.equal(recorded.outputs.admitted, 'true');
    assert.deepEqual(repo.files(STATE_BRANCH), {
      'pr-42/api-service.json': { service: 'api-service', built_sha: shaA, built_sha_7: 'aaaaaaa', recorded_at: '2026-05-01T00:00:00.000Z' },
    });
    const withdrawn = await run('withdraw', '--pr', '42');
    assert.equal(withdrawn.code, 0, withdrawn.stderr);
    assert.equal(withdrawn.outputs.withdrawn, 'true');
    assert.deepEqual(repo.files(), {});
    assert.deepEqual(repo.log(), ['PR #42: canaries removed', 'PR #42: api-service at aaaaaaa']);
  });

  test('a new push replaces the PR\'s records; a service it no longer changes goes; the same commit keeps its time', async () => {
    const repo = stateRepository();
    await cli(repo, { NOW: '2026-05-01T00:00:00.000Z' })('record', '--pr', '7', '--commit', shaA, '--services', '["api-service","store-service"]');
    await cli(repo, { NOW: '2026-05-02T00:00:00.000Z' })('record', '--pr', '7', '--commit', shaB, '--services', '["api-service"]');
    assert.deepEqual(Object.keys(repo.files()), ['pr-7/api-service.json']);
    assert.equal(repo.files()['pr-7/api-service.json'].built_sha, shaB);
    const again = await cli(repo, { NOW: '2026-05-03T00:00:00.000Z' })('record', '--pr', '7', '--commit', shaB, '--services', '["api-service"]');
    assert.match(again.stdout, /"changed":false/, 'a label event for a recorded head writes nothing');
    assert.equal(repo.files()['pr-7/api-service.json'].recorded_at, '2026-05-02T00:00:00.000Z');
  });

  test('the cap admits no further PR; PRs that hold a slot keep updating', async () => {
    const repo = stateRepository();
    const run = cli(repo);
    for (const pr of ['1', '2']) assert.equal((await run('record', '--pr', pr, '--commit', shaA, '--services', '["api-service"]', '--max', '2')).outputs.admitted, 'true');
    const refused = await run('record', '--pr', '3', '--commit', shaA, '--services', '["api-service"]', '--max', '2');
    assert.equal(refused.code, 0, refused.stderr);
    assert.equal(refused.outputs.admitted, 'false');
    assert.equal(refused.outputs.holders, '[1,2]');
    assert.equal(refused.outputs.max, '2');
    const defaults = await run('record', '--pr', '1', '--commit', shaB, '--services', '["api-service"]', '--max', '');
    assert.equal(defaults.outputs.max, '10', 'an unset repository variable means the default cap');
    assert.equal((await run('record', '--pr', '2', '--commit', shaB, '--services', '["api-service"]', '--max', '2')).outputs.admitted, 'true');
    assert.deepEqual(Object.keys(repo.files()).sort(), ['pr-1/api-service.json', 'pr-2/api-service.json']);
  });

  test('writers that race are rebased on each other: nothing is lost, and the cap counts the pushed state', () => {
    const repo = stateRepository();
    const mine = new StateStore({ remote: repo.remote });
    const theirs = new StateStore({ remote: repo.remote });
    try {
      let interleaved = false;
      const outcome = mine.update((files) => {
        if (!interleaved) {
          // Another PR's run pushes between this run's fetch and its push.
          interleaved = true;
          theirs.update((f) => recordChange(f, { pr: 8, commit: shaB, touched: ['store-service'], now: 'x', max: 2 }), 'theirs');
        }
        return recordChange(files, { pr: 9, commit: shaA, touched: ['api-service'], now: 'y', max: 2 });
      }, 'mine');
      assert.equal(outcome.admitted, true);
      assert.deepEqual(Object.keys(repo.files()).sort(), ['pr-8/store-service.json', 'pr-9/api-service.json']);
      const full = mine.update((files) => recordChange(files, { pr: 10, commit: shaA, touched: ['api-service'], now: 'z', max: 2 }), 'full');
      assert.deepEqual({ admitted: full.admitted, holders: full.holders }, { admitted: false, holders: [8, 9] });
    } finally {
      mine.close();
      theirs.close();
    }
  });

  test('list shows the records; bad arguments fail with usage', async () => {
    const repo = stateRepository();
    const run = cli(repo);
    await run('record', '--pr', '5', '--commit', shaA, '--services', '["store-service"]');
    const listed = await run('list');
    assert.deepEqual(Object.keys(JSON.parse(listed.stdout)), ['5']);
    for (const args of [[], ['record', '--pr', '05', '--commit', shaA], ['record', '--pr', '5', '--commit', 'abc', '--services', '["api-service"]'],
      ['record', '--pr', '5', '--commit', shaA, '--services', '["web"]'], ['withdraw']]) {
      const result = await run(...args);
      assert.equal(result.code, 1, args.join(' '));
      assert.match(result.stderr, /canary-state\.mjs: /);
    }
    const missing = await runScript('canary-state.mjs', ['list'], {});
    assert.match(missing.stderr, /STATE_REMOTE is not set/);
  });
});
