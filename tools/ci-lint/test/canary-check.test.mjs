// canary-check.yml and its scripts: the check of a live PR canary against stable, posted as a
// check run. The workflow must run only the default branch's code, the write token only in a job
// that builds and runs nothing but this repository's scripts, and its scripts must trust nothing
// of the status event but a commit to look at.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { parse } from 'yaml';
import { CHECK_NAME, checkRun } from '../../../.github/scripts/canary-check-report.mjs';
import { CANARY_LABEL } from '../../../.github/scripts/canary-policy.mjs';
import { TOKEN, startFakeGitHub } from './support/fake-github.mjs';
import { allJobs, loadWorkflow, readRepoFile } from './support/repo.mjs';
import { runScript } from './support/run-script.mjs';

const workflow = loadWorkflow('canary-check.yml');
const { target, check, report } = workflow.jobs;
const DEFAULT_BRANCH = '${{ github.event.repository.default_branch }}';
const sha = (c) => c.repeat(40);

describe('canary-check.yml', () => {
  test('runs on a commit status, whose workflow file is the default branch\'s, and on nothing a PR controls', () => {
    assert.deepEqual(Object.keys(workflow.on), ['status']);
    assert.deepEqual(Object.keys(workflow.jobs), ['target', 'check', 'report']);
  });

  test('reacts to the live status the notifications post for each canary, and to nothing else', () => {
    assert.equal(target.if, "startsWith(github.event.context, 'canary-live/') && github.event.state == 'success'");
    const notifications = parse(readRepoFile('manifests-microservices/applications/notifications/argocd-notifications-cm.yaml'));
    const live = parse(notifications.data['template.canary-live']).github.status;
    assert.equal(live.state, 'success');
    assert.match(live.label, /^canary-live\/\{\{/, 'the status the workflow waits for');
  });

  test('every job checks out the default branch only, never a commit or ref from the event', () => {
    for (const [id, job] of Object.entries(workflow.jobs)) {
      const checkouts = job.steps.filter((s) => s.uses?.startsWith('actions/checkout@'));
      assert.equal(checkouts.length, 1, id);
      assert.equal(checkouts[0].with.ref, DEFAULT_BRANCH, id);
      assert.equal(checkouts[0].with['persist-credentials'], false, id);
    }
    assert.doesNotMatch(JSON.stringify(workflow.jobs), /ref: \$\{\{ (github\.event\.sha|github\.sha|needs\.)/);
  });

  test('the only write token is checks: write, in the report job, which builds and runs nothing but this repository\'s scripts', () => {
    const writers = allJobs().filter(([file, , job]) => file === 'canary-check.yml' && Object.values(job.permissions).includes('write'));
    assert.deepEqual(writers.map(([, id, job]) => [id, job.permissions]), [['report', { contents: 'read', checks: 'write' }]]);
    for (const [, id, job] of writers) {
      assert.equal(job.steps[0].with['sparse-checkout'], '.github/scripts', `${id} checks out the scripts only`);
      assert.deepEqual(job.steps.filter((s) => s.uses).map((s) => s.uses.split('@')[0]), ['actions/checkout', 'actions/setup-node']);
      assert.deepEqual(job.steps.filter((s) => s.run).map((s) => s.run), ['node .github/scripts/canary-check-report.mjs']);
      assert.doesNotMatch(JSON.stringify(job), /dotnet|npm |scripts\/canary-check |\.\/scripts\//, id);
    }
  });

  test('the job that talks to the dev host has no write scope, runs in the canary-check runner group and reports through base64 outputs', () => {
    assert.deepEqual(check.permissions, { contents: 'read' });
    assert.deepEqual(check['runs-on'], { group: 'canary-check' });
    const run = check.steps.find((s) => s.id === 'check');
    assert.match(run.run, /\.\/scripts\/canary-check --pr "\$PR" --url "\$API_URL" --out report \|\| status=\$\?/);
    assert.equal(run.env.PR, '${{ needs.target.outputs.pr }}');
    assert.match(run.run, /echo "report=\$\(head -c 60000 report\/report\.md \| base64 -w0\)"/);
    assert.deepEqual(target.permissions, { contents: 'read', deployments: 'read', 'pull-requests': 'read' });
  });

  test('the report is posted for the commit the target job found, whatever the check job\'s outcome, unless the run was cancelled', () => {
    assert.deepEqual(report.needs, ['target', 'check']);
    assert.equal(report.if, "${{ !cancelled() && needs.target.outputs.pr != '' }}");
    const post = report.steps.find((s) => s.run);
    assert.equal(post.env.SHA, '${{ needs.target.outputs.sha }}');
    assert.equal(post.env.CHECK_RESULT, '${{ needs.check.result }}');
    assert.equal(workflow.concurrency.group, 'canary-check-${{ github.event.sha }}');
  });
});

/** A repository acme/shop whose commit aaaa… is the head of PR 42, with canary deployments of it. */
async function fakeGitHub({ pull = {}, deployments, statuses }) {
  const pr = {
    number: 42, state: 'open', draft: false, labels: [{ name: CANARY_LABEL }],
    head: { sha: sha('a'), repo: { full_name: 'acme/shop' } }, ...pull,
  };
  return startFakeGitHub({
    'GET /repos/acme/shop/commits/:sha/pulls': ({ params }) => ({ data: params.sha === sha('a') ? [{ ...pr, head: { ...pr.head, sha: sha('a') } }] : [] }),
    'GET /repos/acme/shop/pulls/:n': () => ({ data: pr }),
    'GET /repos/acme/shop/deployments': ({ query }) => ({ list: query.get('sha') === sha('a') ? deployments : [] }),
    'GET /repos/acme/shop/deployments/:id/statuses': ({ params }) => ({ data: [{ state: statuses[params.id] }] }),
  });
}

const deployment = (id, environment, login = 'canary-demo-argocd[bot]') => ({ id, environment, creator: { login } });

async function findTarget(api, env = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'canary-check-target-'));
  try {
    const outputFile = join(dir, 'output');
    writeFileSync(outputFile, '');
    const { code, stdout, stderr } = await runScript('canary-check-target.mjs', [], {
      GITHUB_TOKEN: TOKEN, GITHUB_API_URL: api.url, GITHUB_REPOSITORY: 'acme/shop', COMMIT: sha('a'), GITHUB_OUTPUT: outputFile, ...env,
    });
    return { code, stdout, stderr, outputs: readFileSync(outputFile, 'utf8') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('canary-check-target.mjs', () => {
  const both = [deployment(2, 'canary/store-service'), deployment(1, 'canary/api-service'), deployment(0, 'production')];

  test('the head of an open, labelled PR whose every canary deployment is live: that PR, that commit, those services', async () => {
    const api = await fakeGitHub({ deployments: both, statuses: { 1: 'success', 2: 'success' } });
    try {
      const { code, stdout, stderr, outputs } = await findTarget(api);
      assert.equal(code, 0, stderr);
      assert.match(stdout, new RegExp(`checking PR 42 at ${sha('a')}: live canaries of api-service, store-service`));
      assert.equal(outputs, `pr=42\nsha=${sha('a')}\nservices=api-service,store-service\n`);
    } finally {
      await api.close();
    }
  });

  for (const [what, setup, reason] of [
    ['a canary still deploying', { deployments: both, statuses: { 1: 'success', 2: 'in_progress' } }, /canary\/store-service of aaaaaaa is in_progress, not live/],
    ['no canary deployment at all', { deployments: [deployment(0, 'production')], statuses: {} }, /no canary deployment of aaaaaaa/],
    ['a PR without the label', { pull: { labels: [] }, deployments: both, statuses: { 1: 'success', 2: 'success' } }, /PR 42 has no canaries \(unlabelled\)/],
    ['a fork PR', { pull: { head: { sha: sha('a'), repo: { full_name: 'someone/shop' } } }, deployments: both, statuses: { 1: 'success', 2: 'success' } }, /PR 42 has no canaries \(fork\)/],
    ['a PR that moved on to another commit', { pull: { head: { sha: sha('b'), repo: { full_name: 'acme/shop' } } }, deployments: both, statuses: { 1: 'success', 2: 'success' } }, /PR 42 has moved on from aaaaaaa to bbbbbbb/],
  ]) {
    test(`nothing to check for ${what}`, async () => {
      const api = await fakeGitHub(setup);
      try {
        const { code, stdout, stderr, outputs } = await findTarget(api);
        assert.equal(code, 0, stderr);
        assert.match(stdout, reason);
        assert.equal(outputs, '', 'no PR: the check and report jobs are skipped');
      } finally {
        await api.close();
      }
    });
  }

  test('with DEPLOYER set, deployments created by anyone else do not count', async () => {
    const api = await fakeGitHub({ deployments: [deployment(1, 'canary/api-service', 'someone')], statuses: { 1: 'success' } });
    try {
      const { stdout } = await findTarget(api, { DEPLOYER: 'canary-demo-argocd[bot]' });
      assert.match(stdout, /no canary deployment of aaaaaaa by canary-demo-argocd\[bot\]/);
    } finally {
      await api.close();
    }
  });

  test('a commit that is not the head of exactly one open PR, and a malformed commit, check nothing', async () => {
    const api = await fakeGitHub({ deployments: both, statuses: { 1: 'success', 2: 'success' } });
    try {
      assert.match((await findTarget(api, { COMMIT: sha('c') })).stdout, /ccccccc is the head of 0 open PRs of acme\/shop, not one/);
      const malformed = await findTarget(api, { COMMIT: 'main' });
      assert.equal(malformed.code, 1);
      assert.match(malformed.stderr, /COMMIT must be a full commit SHA, not 'main'/);
    } finally {
      await api.close();
    }
  });
});

describe('canary-check-report.mjs', () => {
  const base64 = (text) => Buffer.from(text, 'utf8').toString('base64');
  const runUrl = 'https://github.com/acme/shop/actions/runs/7';
  const markdown = '## Canary check: PR 42, same as stable\n';

  test('each exit code becomes a conclusion: same passes, differences are for review (neutral), regressions and no verdict fail', () => {
    const outcomes = ['0', '3', '1', '2'].map((exitCode) => {
      const run = checkRun({ sha: sha('a'), checkResult: 'success', exitCode, report: base64(markdown), reportBytes: String(markdown.length), runUrl });
      return [run.conclusion, run.output.title];
    });
    assert.deepEqual(outcomes, [
      ['success', 'same as stable'],
      ['neutral', 'differs from stable: review the differences'],
      ['failure', 'regression'],
      ['failure', 'could not run'],
    ]);
  });

  test('a check job that did not finish is a failure that links the run, never a pass', () => {
    for (const [checkResult, exitCode] of [['failure', ''], ['cancelled', ''], ['skipped', ''], ['success', '7'], ['success', '']]) {
      const run = checkRun({ sha: sha('a'), checkResult, exitCode, report: '', reportBytes: '', runUrl });
      assert.equal(run.conclusion, 'failure', `${checkResult} ${exitCode}`);
      assert.equal(run.output.title, 'could not run');
      assert.match(run.output.summary, new RegExp(`see the \\[workflow run\\]\\(${runUrl}\\)`));
    }
  });

  test('a report longer than the check job could pass on says it was cut', () => {
    const run = checkRun({ sha: sha('a'), checkResult: 'success', exitCode: '3', report: base64(markdown), reportBytes: '90000', runUrl });
    assert.match(run.output.summary, /^## Canary check: PR 42, same as stable\n\n\n… cut; the whole report is in the \[workflow run\]/);
  });

  test('posts the check run canary-check on the commit, with the report as its summary', async () => {
    const posted = [];
    const api = await startFakeGitHub({
      'POST /repos/acme/shop/check-runs': ({ body }) => {
        posted.push(body);
        return { status: 201, data: { id: 99 } };
      },
    });
    try {
      const { code, stdout, stderr } = await runScript('canary-check-report.mjs', [], {
        GITHUB_TOKEN: TOKEN, GITHUB_API_URL: api.url, GITHUB_REPOSITORY: 'acme/shop', SHA: sha('a'), CHECK_RESULT: 'success',
        EXIT_CODE: '0', REPORT: base64(markdown), REPORT_BYTES: String(markdown.length), RUN_URL: runUrl,
      });
      assert.equal(code, 0, stderr);
      assert.match(stdout, /check run 99: success, same as stable/);
      assert.deepEqual(posted, [{
        name: CHECK_NAME, head_sha: sha('a'), status: 'completed', conclusion: 'success', details_url: runUrl,
        output: { title: 'same as stable', summary: markdown },
      }]);
    } finally {
      await api.close();
    }
  });
});
