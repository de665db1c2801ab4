// The trust boundary of the PR pipeline (docs/delivery.md, "Untrusted build, trusted
// record"): pull_request runs the PR's own copy of every workflow file, so no job it
// triggers may hold a write scope but packages (the image push) and security-events (SARIF);
// canary-state is written by the recorder alone, with a token only default-branch jobs of
// the canary-recorder environment can get; and the workflows that hold write tokens on PR
// events never check out or run the PR's code. Each check is a function over the parsed
// workflows, so it is also run on a copy with a planted breach to prove it can fail.
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { allWorkflows, scriptsDir, triggers } from './support/repo.mjs';

const RECORDER = 'canary-recorder.yml';
const RECORDER_ENVIRONMENT = 'canary-recorder';
const prWritable = new Set(['packages', 'security-events']);
const localWorkflow = (uses) => /^\.\/\.github\/workflows\/([\w-]+\.yml)$/.exec(uses ?? '')?.[1];

/** [where, job] of every job an event starts, including the jobs of the reusable workflows they call. */
function jobsStartedBy(event, workflows) {
  const jobs = [];
  const visit = (file, path) => {
    for (const [id, job] of Object.entries(workflows[file].jobs)) {
      const where = `${path}${file}:${id}`;
      jobs.push([where, job]);
      const called = localWorkflow(job.uses);
      if (called) visit(called, `${where} -> `);
    }
  };
  for (const [file, workflow] of Object.entries(workflows)) {
    if (event in (triggers(workflow) ?? {})) visit(file, '');
  }
  return jobs;
}

const writeScopes = (job) => (typeof job.permissions === 'string'
  ? [job.permissions]
  : Object.entries(job.permissions ?? {}).filter(([, level]) => level === 'write').map(([scope]) => scope));

/** Write scopes held by jobs that pull_request starts, other than packages and security-events. */
export function pullRequestWrites(workflows) {
  return jobsStartedBy('pull_request', workflows).flatMap(([where, job]) =>
    writeScopes(job).filter((scope) => !prWritable.has(scope)).map((scope) => `${where} writes ${scope}`));
}

const text = (value) => JSON.stringify(value ?? '');

/**
 * Ways the jobs started by workflow_run or pull_request_target (which hold write tokens)
 * could get at the PR's code or at what its run produced.
 */
export function privilegedPrCode(workflows) {
  const problems = [];
  for (const event of ['workflow_run', 'pull_request_target']) {
    for (const [where, job] of jobsStartedBy(event, workflows)) {
      for (const step of job.steps ?? []) {
        if (step.uses?.startsWith('actions/checkout@')) {
          if (step.with?.ref !== undefined || step.with?.repository !== undefined) problems.push(`${where} checks out another ref`);
          if (step.with?.['persist-credentials'] !== false) problems.push(`${where} keeps the checkout's credentials`);
          if (step.with?.['sparse-checkout'] !== '.github/scripts') problems.push(`${where} checks out more than .github/scripts`);
        }
        if (/download-artifact|\/artifacts/.test(text(step))) problems.push(`${where} reads artifacts of another run`);
        if (/github\.event\.(pull_request\.head|workflow_run\.head_(sha|branch|commit))|github\.head_ref/.test(text(step))) {
          problems.push(`${where} uses the PR's head in a step`);
        }
      }
      if (/github\.event\.(pull_request\.head|workflow_run\.head_(sha|branch|commit))|github\.head_ref/.test(text(job.with))) {
        problems.push(`${where} passes the PR's head on`);
      }
    }
  }
  return problems;
}

/** Everything that could write canary-state or get the key to it, outside the recorder's jobs. */
export function stateWriters(workflows, scripts) {
  const problems = [];
  // The scripts that update the state: they must take the recorder's token, and only the recorder may run them.
  const writers = Object.entries(scripts).filter(([name, source]) => name !== 'canary-state.mjs' && /\bstore\.update\(/.test(source)).map(([name]) => name);
  for (const name of writers) {
    if (!/token: process\.env\.STATE_TOKEN/.test(scripts[name])) problems.push(`${name} writes the state with another token`);
  }
  for (const [file, workflow] of Object.entries(workflows)) {
    for (const [id, job] of Object.entries(workflow.jobs)) {
      const where = `${file}:${id}`;
      const inRecorder = file === RECORDER && job.environment === RECORDER_ENVIRONMENT;
      const jobText = text(job);
      if (!inRecorder && writers.some((name) => jobText.includes(`.github/scripts/${name}`))) problems.push(`${where} runs a state writer`);
      if (!inRecorder && /STATE_TOKEN|create-github-app-token/.test(jobText)) problems.push(`${where} gets the recorder's token`);
      if (/secrets\./.test(jobText) && job.environment !== RECORDER_ENVIRONMENT) problems.push(`${where} reads a secret outside the ${RECORDER_ENVIRONMENT} environment`);
      if (writeScopes(job).includes('contents') && !(file === 'release.yml' && id === 'deploy-pr')) problems.push(`${where} writes contents`);
    }
  }
  const recorderEvents = Object.keys(triggers(workflows[RECORDER]));
  for (const event of recorderEvents) {
    if (!['workflow_run', 'pull_request_target', 'schedule', 'workflow_dispatch'].includes(event)) {
      problems.push(`${RECORDER} runs on ${event}, which need not run the default branch's copy`);
    }
  }
  return { writers, problems };
}

const workflows = allWorkflows();
const scripts = Object.fromEntries(readdirSync(scriptsDir).filter((f) => f.endsWith('.mjs')).map((f) => [f, readFileSync(join(scriptsDir, f), 'utf8')]));

describe('jobs started by pull_request', () => {
  test('hold no write scope but packages and security-events, in every workflow and every workflow they call', () => {
    assert.deepEqual(pullRequestWrites(workflows), []);
    const started = jobsStartedBy('pull_request', workflows).map(([where]) => where);
    for (const where of ['pr-canary.yml:build -> image.yml:build', 'ci.yml:main-images -> published-image.yml:scan -> image-scan.yml:scan', 'codeql.yml:analyze']) {
      assert.ok(started.includes(where), `${where} is among them`);
    }
  });

  test('the check finds a write scope planted in a PR job, directly or in a called workflow', () => {
    const planted = structuredClone(workflows);
    planted['pr-canary.yml'].jobs.plan.permissions['pull-requests'] = 'write';
    planted['image.yml'].jobs.build.permissions.contents = 'write';
    planted['ci.yml'].jobs.test.permissions = 'write-all';
    assert.deepEqual(pullRequestWrites(planted).sort(), [
      'ci.yml:main-images -> published-image.yml:build -> image.yml:build writes contents',
      'ci.yml:test writes write-all',
      'pr-canary.yml:build -> image.yml:build writes contents',
      'pr-canary.yml:plan writes pull-requests',
    ]);
  });
});

describe('canary-state', () => {
  test('only the recorder\'s jobs run the scripts that write it, and only they get its token', () => {
    const { writers, problems } = stateWriters(workflows, scripts);
    assert.deepEqual(writers.sort(), ['canary-recorder.mjs', 'canary-ttl.mjs']);
    assert.deepEqual(problems, []);
  });

  test('the check finds a state writer, the recorder\'s token or a secret anywhere else', () => {
    const planted = structuredClone(workflows);
    planted['cleanup.yml'].jobs.sweep.steps.push({ run: 'node .github/scripts/canary-ttl.mjs' });
    planted['ci.yml'].jobs.test.steps.push({ env: { STATE_TOKEN: 'x' }, run: 'true' });
    planted['ci.yml'].jobs.test.steps.push({ env: { T: '${{ secrets.CANARY_RECORDER_PRIVATE_KEY }}' }, run: 'true' });
    planted['ci.yml'].jobs.test.permissions.contents = 'write';
    planted[RECORDER].on.push = { branches: ['main'] };
    const sneaky = { ...scripts, 'sneaky.mjs': 'store.update(f, m); new StateStore({ token: process.env.GITHUB_TOKEN })' };
    const { problems } = stateWriters(planted, sneaky);
    for (const expected of [
      'sneaky.mjs writes the state with another token',
      'cleanup.yml:sweep runs a state writer',
      'ci.yml:test gets the recorder\'s token',
      'ci.yml:test reads a secret outside the canary-recorder environment',
      'ci.yml:test writes contents',
      'canary-recorder.yml runs on push, which need not run the default branch\'s copy',
    ]) {
      assert.ok(problems.includes(expected), `${expected}\n${problems.join('\n')}`);
    }
  });

  test('the recorder\'s token comes from its GitHub App, in the canary-recorder environment, with contents: write only', () => {
    for (const id of ['record', 'expire']) {
      const job = workflows[RECORDER].jobs[id];
      assert.equal(job.environment, RECORDER_ENVIRONMENT);
      const app = job.steps.find((s) => s.uses?.startsWith('actions/create-github-app-token@'));
      assert.deepEqual(app.with, {
        'client-id': '${{ vars.CANARY_RECORDER_CLIENT_ID }}',
        'private-key': '${{ secrets.CANARY_RECORDER_PRIVATE_KEY }}',
        'permission-contents': 'write',
      });
      const step = job.steps.find((s) => s.env?.STATE_TOKEN);
      assert.equal(step.env.STATE_TOKEN, '${{ steps.app.outputs.token }}');
      assert.equal(step.env.STATE_REMOTE, '${{ github.server_url }}/${{ github.repository }}.git');
    }
  });

  test('the release job, the only other contents writer, pushes deploy/ branches only', () => {
    const pushes = workflows['release.yml'].jobs['deploy-pr'].steps.map((s) => s.run ?? '').join('\n').match(/git push[^\n]*/g);
    assert.deepEqual(pushes, ['git push --force origin "$branch"']);
    assert.match(workflows['release.yml'].jobs['deploy-pr'].steps.map((s) => s.run ?? '').join('\n'), /branch="deploy\/\$ENVIRONMENT-\$VERSION"/);
  });
});

describe('jobs started by workflow_run and pull_request_target', () => {
  test('never check out, download or name the PR\'s code or what its run produced', () => {
    assert.deepEqual(privilegedPrCode(workflows), []);
    assert.deepEqual(Object.keys(triggers(workflows[RECORDER])).sort(), ['pull_request_target', 'schedule', 'workflow_dispatch', 'workflow_run']);
    for (const [file, workflow] of Object.entries(workflows)) {
      const events = Object.keys(triggers(workflow));
      if (events.includes('pull_request_target') || events.includes('workflow_run')) assert.equal(file, RECORDER);
    }
  });

  test('the check finds a checkout of the PR head, a downloaded artifact and the head in a step', () => {
    const planted = structuredClone(workflows);
    const steps = planted[RECORDER].jobs.record.steps;
    steps[0].with.ref = '${{ github.event.workflow_run.head_sha }}';
    steps.push({ uses: 'actions/download-artifact@x', with: { 'run-id': '${{ github.event.workflow_run.id }}' } });
    steps.push({ env: { HEAD: '${{ github.event.pull_request.head.sha }}' }, run: 'true' });
    const problems = privilegedPrCode(planted);
    for (const expected of [
      'canary-recorder.yml:record checks out another ref',
      'canary-recorder.yml:record reads artifacts of another run',
      'canary-recorder.yml:record uses the PR\'s head in a step',
    ]) {
      assert.ok(problems.includes(expected), `${expected}\n${problems.join('\n')}`);
    }
  });

  test('the recorder runs after pr-canary (by its name) and takes the PR number from the event', () => {
    assert.deepEqual(workflows[RECORDER].on.workflow_run, { workflows: [workflows['pr-canary.yml'].name], types: ['completed'] });
    assert.match(scripts['canary-recorder.mjs'], /run\.pull_requests/);
    assert.doesNotMatch(scripts['canary-recorder.mjs'], /artifact/i);
  });
});
