// Who gets a canary, and what pr-canary.yml's plan builds, run on events as GitHub sends them.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { plan } from '../../../.github/scripts/canary-plan.mjs';
import { CANARY_LABEL, eligibility, positiveSetting } from '../../../.github/scripts/canary-policy.mjs';
import { runScript } from './support/run-script.mjs';

const repository = 'acme/shop';
const pull = (overrides = {}) => ({
  number: 42,
  state: 'open',
  draft: false,
  labels: [{ name: 'bug' }, { name: CANARY_LABEL }],
  head: { sha: '0123456789abcdef0123456789abcdef01234567', repo: { full_name: repository } },
  base: { sha: 'fedcba9876543210fedcba9876543210fedcba98', repo: { full_name: repository } },
  ...overrides,
});

describe('eligibility', () => {
  test('an open, labelled, non-draft PR of this repository is eligible', () => {
    assert.deepEqual(eligibility(pull(), repository), { eligible: true, reason: 'eligible' });
  });

  test('drafts, unlabelled PRs, forks and closed PRs are not, and say why', () => {
    assert.equal(eligibility(pull({ draft: true }), repository).reason, 'draft');
    assert.equal(eligibility(pull({ labels: [{ name: 'bug' }] }), repository).reason, 'unlabelled');
    assert.equal(eligibility(pull({ labels: [{ name: 'Canary' }] }), repository).reason, 'unlabelled', 'label names are exact');
    assert.equal(eligibility(pull({ head: { sha: 'x', repo: { full_name: 'mallory/shop' } } }), repository).reason, 'fork');
    assert.equal(eligibility(pull({ head: { sha: 'x', repo: null } }), repository).reason, 'fork', 'a deleted fork');
    assert.equal(eligibility(pull({ state: 'closed' }), repository).reason, 'closed');
  });

  test('settings from repository variables are whole numbers or their default', () => {
    assert.equal(positiveSetting('', 7, 'X'), 7);
    assert.equal(positiveSetting(undefined, 7, 'X'), 7);
    assert.equal(positiveSetting('3', 7, 'X'), 3);
    for (const bad of ['0', '-1', '1.5', 'seven', '10000']) assert.throws(() => positiveSetting(bad, 7, 'X'), /X must be/, bad);
  });
});

describe('plan', () => {
  const touched = () => ['api-service'];

  test('an eligible PR builds the services it changes, tagged from its head commit', () => {
    assert.deepEqual(plan({ pull_request: pull() }, repository, touched), {
      eligible: true, services: ['api-service'], tag: 'pr-42-0123456',
    });
  });

  test('an ineligible PR builds nothing, whatever it changes (its canaries are withdrawn)', () => {
    for (const pullRequest of [pull({ draft: true }), pull({ labels: [] })]) {
      const result = plan({ pull_request: pullRequest }, repository, () => assert.fail('no diff for an ineligible PR'));
      assert.deepEqual(result.services, []);
      assert.equal(result.eligible, false);
    }
  });

  test('the CLI reads the event file and writes the step outputs, diffing base...head in the checkout', async () => {
    const repo = mkdtempSync(join(tmpdir(), 'plan-'));
    const git = (...args) => execFileSync('git', args, { cwd: repo, encoding: 'utf8' }).trim();
    git('init', '-q', '-b', 'main');
    const commit = (path) => {
      writeFileSync(join(repo, path), path);
      git('add', path);
      git('-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-qm', path);
      return git('rev-parse', 'HEAD');
    };
    const base = commit('README.md');
    execFileSync('mkdir', ['-p', join(repo, 'StoreService')]);
    const head = commit('StoreService/Program.cs');
    const event = join(repo, 'event.json');
    const output = join(repo, 'output');
    writeFileSync(event, JSON.stringify({ action: 'labeled', pull_request: pull({ head: { sha: head, repo: { full_name: repository } }, base: { sha: base } }) }));
    // canary-plan.mjs runs git in its working directory, as in the workflow's checkout.
    const result = await runScript('canary-plan.mjs', [], { GITHUB_EVENT_PATH: event, GITHUB_REPOSITORY: repository, GITHUB_OUTPUT: output }, repo);
    assert.equal(result.code, 0, result.stderr);
    const outputs = readFileSync(output, 'utf8');
    assert.match(outputs, /^eligible=true$/m);
    assert.match(outputs, /^services=\["store-service"\]$/m);
    assert.match(outputs, new RegExp(`^tag=pr-42-${head.slice(0, 7)}$`, 'm'));
  });
});
