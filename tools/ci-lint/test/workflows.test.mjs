// Invariants of the workflows that the schema cannot see: least privilege, pinning,
// concurrency, and the canary tag being built from the PR's head commit.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, test } from 'node:test';
import { services } from '../../../.github/scripts/services.mjs';
import { allJobs, allSteps, loadWorkflow, readRepoFile, workflowFiles } from './support/repo.mjs';

const serviceNames = services.map((s) => s.name);

/** The events a workflow runs on, as an object whatever the `on:` shorthand. */
function triggers(workflow) {
  const on = workflow.on;
  if (typeof on === 'string') return { [on]: null };
  if (Array.isArray(on)) return Object.fromEntries(on.map((e) => [e, null]));
  return on;
}

function jobsGranting(scope, level) {
  return allJobs()
    .filter(([, , job]) => job.permissions?.[scope] === level)
    .map(([file, id]) => `${file}:${id}`)
    .sort();
}

describe('permissions', () => {
  test('every workflow grants nothing by default', () => {
    for (const file of workflowFiles) {
      assert.deepEqual(loadWorkflow(file).permissions, {}, `${file} top-level permissions`);
    }
  });

  test('every job declares its own permissions', () => {
    for (const [file, id, job] of allJobs()) {
      assert.equal(typeof job.permissions, 'object', `${file}:${id} has no permissions block`);
    }
  });

  test('only jobs that push or delete images may write packages', () => {
    assert.deepEqual(jobsGranting('packages', 'write'), [
      'ci.yml:main-images',
      'cleanup.yml:closed-pr',
      'cleanup.yml:sweep',
      'image.yml:build',
      'pr-canary.yml:build',
      'pr-canary.yml:retag',
      'release.yml:images',
    ]);
  });

  test('only the canary comment and the release PR may write pull requests', () => {
    assert.deepEqual(jobsGranting('pull-requests', 'write'), ['pr-canary.yml:comment', 'release.yml:deploy-pr']);
  });

  test('only the release PR job may write contents', () => {
    assert.deepEqual(jobsGranting('contents', 'write'), ['release.yml:deploy-pr']);
  });

  test('no other scope is ever written', () => {
    const allowed = new Set(['packages', 'pull-requests', 'contents']);
    for (const [file, id, job] of allJobs()) {
      for (const [scope, level] of Object.entries(job.permissions)) {
        if (level === 'write') assert.ok(allowed.has(scope), `${file}:${id} writes ${scope}`);
      }
    }
  });

  test('checkouts keep no credentials unless the job pushes commits', () => {
    for (const [file, id, step] of allSteps()) {
      if (!step.uses?.startsWith('actions/checkout@')) continue;
      const job = loadWorkflow(file).jobs[id];
      if (job.permissions.contents === 'write') continue;
      assert.equal(step.with?.['persist-credentials'], false, `${file}:${id} checkout persists the token`);
    }
  });

  test('the only token is GITHUB_TOKEN: no repository secrets are referenced', () => {
    for (const file of workflowFiles) {
      const source = readRepoFile(`.github/workflows/${file}`);
      assert.doesNotMatch(source, /secrets\./, `${file} references a secret`);
    }
  });

  test('no workflow runs on pull_request_target (fork code with a write token)', () => {
    for (const file of workflowFiles) {
      assert.ok(!('pull_request_target' in triggers(loadWorkflow(file))), file);
    }
  });
});

describe('pinning and scripts', () => {
  test('every action is pinned to a release tag or a commit', () => {
    const pinned = /^[\w.-]+\/[\w.-]+(\/[\w./-]+)?@(v\d+(\.\d+){0,2}|[0-9a-f]{40})$/;
    for (const [file, id, step] of allSteps()) {
      if (step.uses) assert.match(step.uses, pinned, `${file}:${id} uses ${step.uses}`);
    }
  });

  test('reusable workflows are called from this repository only', () => {
    for (const [file, id, job] of allJobs()) {
      if (job.uses) assert.match(job.uses, /^\.\/\.github\/workflows\/[\w-]+\.yml$/, `${file}:${id}`);
    }
  });

  test('run scripts take event data through env, never by ${{ }} interpolation', () => {
    for (const [file, id, step] of allSteps()) {
      if (step.run) assert.doesNotMatch(step.run, /\$\{\{/, `${file}:${id} step '${step.name ?? step.run}'`);
    }
  });

  test('every run script is valid bash', () => {
    for (const [file, id, step] of allSteps()) {
      if (!step.run) continue;
      const result = spawnSync('bash', ['-n'], { input: step.run, encoding: 'utf8' });
      assert.equal(result.status, 0, `${file}:${id}: ${result.stderr}`);
    }
  });

  test('every needs.<job>.outputs and steps.<id>.outputs reference exists', () => {
    for (const file of workflowFiles) {
      const { jobs } = loadWorkflow(file);
      for (const [id, job] of Object.entries(jobs)) {
        const needs = [job.needs ?? []].flat();
        const text = JSON.stringify(job);
        for (const [, other, output] of text.matchAll(/needs\.([\w-]+)\.outputs\.([\w-]+)/g)) {
          assert.ok(needs.includes(other), `${file}:${id} reads ${other} without needing it`);
          assert.ok(output in (jobs[other].outputs ?? {}), `${file}:${id} reads undeclared ${other}.outputs.${output}`);
        }
        for (const [, other] of text.matchAll(/needs\.([\w-]+)\.result/g)) {
          assert.ok(needs.includes(other), `${file}:${id} reads ${other}.result without needing it`);
        }
        const stepIds = new Set((job.steps ?? []).map((s) => s.id).filter(Boolean));
        const outputs = JSON.stringify(job.outputs ?? {});
        for (const [, step] of `${text}${outputs}`.matchAll(/steps\.([\w-]+)\.outputs/g)) {
          assert.ok(stepIds.has(step), `${file}:${id} reads outputs of missing step '${step}'`);
        }
      }
    }
  });

  test('every job that runs commands has a timeout', () => {
    for (const [file, id, job] of allJobs()) {
      if (job.steps) assert.equal(typeof job['timeout-minutes'], 'number', `${file}:${id}`);
    }
  });
});

describe('concurrency', () => {
  test('every triggered workflow has a concurrency group (the reusable one inherits its caller\'s)', () => {
    for (const file of workflowFiles.filter((f) => f !== 'image.yml')) {
      assert.equal(typeof loadWorkflow(file).concurrency?.group, 'string', file);
    }
  });

  test('a new push to a PR cancels the PR\'s running canary and CI runs', () => {
    const canary = loadWorkflow('pr-canary.yml').concurrency;
    assert.equal(canary.group, 'pr-canary-${{ github.event.pull_request.number }}');
    assert.equal(canary['cancel-in-progress'], true);
    const ci = loadWorkflow('ci.yml').concurrency;
    assert.match(ci.group, /github\.event\.pull_request\.number/);
    assert.equal(ci['cancel-in-progress'], "${{ github.event_name == 'pull_request' }}");
  });

  test('closing a PR joins its canary group, so a running canary build is cancelled', () => {
    const cleanup = loadWorkflow('cleanup.yml').concurrency;
    assert.match(cleanup.group, /format\('pr-canary-\{0\}', github\.event\.pull_request\.number\)/);
    assert.equal(cleanup['cancel-in-progress'], "${{ github.event_name == 'pull_request' }}");
  });

  test('releases never cancel each other half-way', () => {
    assert.equal(loadWorkflow('release.yml').concurrency['cancel-in-progress'], false);
  });
});

describe('ci.yml', () => {
  const ci = loadWorkflow('ci.yml');

  test('runs on pushes to main and on pull requests', () => {
    assert.deepEqual(triggers(ci).push, { branches: ['main'] });
    assert.ok('pull_request' in triggers(ci));
  });

  test('sets up .NET 10 and Node 20 and runs the README test command', () => {
    const steps = ci.jobs.test.steps;
    assert.equal(steps.find((s) => s.uses?.startsWith('actions/setup-dotnet@')).with['dotnet-version'], '10.0.x');
    assert.equal(steps.find((s) => s.uses?.startsWith('actions/setup-node@')).with['node-version'], 20);
    assert.ok(steps.some((s) => s.run === './scripts/test'));
  });

  test('publishes :main for every service, only from main and only after the tests', () => {
    const job = ci.jobs['main-images'];
    assert.equal(job.needs, 'test');
    assert.equal(job.if, "github.event_name == 'push' && github.ref == 'refs/heads/main'");
    assert.deepEqual(job.strategy.matrix.service, serviceNames);
    assert.equal(job.with.tags, 'main');
  });
});

describe('pr-canary.yml', () => {
  const canary = loadWorkflow('pr-canary.yml');
  const source = readRepoFile('.github/workflows/pr-canary.yml');

  test('runs when a PR is opened, pushed to or reopened', () => {
    assert.deepEqual(Object.keys(triggers(canary)), ['pull_request']);
    assert.deepEqual(canary.on.pull_request.types, ['opened', 'synchronize', 'reopened']);
  });

  test('tags pr-<n>-<sha7> from the PR head commit, never from github.sha (the merge ref)', () => {
    const step = canary.jobs.plan.steps.find((s) => s.id === 'tag');
    assert.equal(step.env.HEAD_SHA, '${{ github.event.pull_request.head.sha }}');
    assert.equal(step.env.PR_NUMBER, '${{ github.event.pull_request.number }}');
    assert.match(step.run, /tag=pr-\$\{PR_NUMBER\}-\$\{HEAD_SHA:0:7\}/);
    assert.doesNotMatch(source, /github\.sha/);
  });

  test('builds and describes the head commit: every checkout and the image ref use head.sha', () => {
    for (const [id, job] of Object.entries(canary.jobs)) {
      for (const step of job.steps ?? []) {
        if (step.uses?.startsWith('actions/checkout@')) {
          assert.equal(step.with.ref, '${{ github.event.pull_request.head.sha }}', `${id} checkout`);
        }
      }
    }
    assert.equal(canary.jobs.build.with.ref, '${{ github.event.pull_request.head.sha }}');
    assert.equal(canary.jobs.build.with.tags, '${{ needs.plan.outputs.tag }}');
  });

  test('the change detection sees the whole history (three-dot diff needs the merge base)', () => {
    const checkout = canary.jobs.plan.steps.find((s) => s.uses?.startsWith('actions/checkout@'));
    assert.equal(checkout.with['fetch-depth'], 0);
  });

  test('untouched services are copied from the stable tag, not rebuilt', () => {
    assert.equal(canary.env.STABLE_TAG, 'main');
    const retag = canary.jobs.retag;
    assert.ok(!retag.uses, 'retag does not call the build');
    const run = retag.steps.map((s) => s.run ?? '').join('\n');
    assert.match(run, /docker buildx imagetools create/);
    assert.match(run, /--annotation/);
    assert.match(run, /--tag "\$IMAGE:\$TAG"/);
    assert.match(run, /"\$IMAGE:\$STABLE_TAG"/);
  });

  test('fork PRs are skipped instead of failing on a read-only token', () => {
    assert.equal(canary.jobs.plan.if, 'github.event.pull_request.head.repo.full_name == github.repository');
  });

  test('comments once both images exist, through the marker-based upsert script', () => {
    const job = canary.jobs.comment;
    assert.deepEqual(job.needs, ['plan', 'build', 'retag']);
    assert.match(job.if, /needs\.build\.result != 'failure'/);
    assert.match(job.if, /needs\.retag\.result != 'failure'/);
    assert.ok(job.steps.some((s) => s.run === 'node .github/scripts/pr-comment.mjs'));
  });
});

describe('image.yml', () => {
  const image = loadWorkflow('image.yml');
  const push = image.jobs.build.steps.find((s) => s.uses?.startsWith('docker/build-push-action@'));

  test('builds the checked-out commit from the repository root with the service Dockerfile', () => {
    const checkout = image.jobs.build.steps.find((s) => s.uses?.startsWith('actions/checkout@'));
    assert.equal(checkout.with.ref, '${{ inputs.ref }}');
    assert.equal(push.with.context, '.');
    assert.equal(push.with.file, '${{ steps.image.outputs.project }}/Dockerfile');
    assert.equal(push.with.push, true);
  });

  test('labels link the package to this repository and record the commit', () => {
    assert.match(push.with.labels, /^org\.opencontainers\.image\.source=\$\{\{ github\.server_url \}\}\/\$\{\{ github\.repository \}\}$/m);
    assert.match(push.with.labels, /^org\.opencontainers\.image\.revision=\$\{\{ inputs\.ref \}\}$/m);
  });

  test('lower-cases the owner: GHCR rejects upper-case repository paths', () => {
    const step = image.jobs.build.steps.find((s) => s.id === 'image');
    assert.match(step.run, /ghcr\.io\/\$\{OWNER,,\}\/\$\{SERVICE\}/);
  });

  test('PR canaries are pushed without attestations (one package version each)', () => {
    assert.equal(image.on.workflow_call.inputs.attest.default, false);
    assert.equal(push.with.provenance, '${{ inputs.attest }}');
    assert.equal(loadWorkflow('pr-canary.yml').jobs.build.with.attest, undefined);
  });
});

describe('release.yml and cleanup.yml', () => {
  const release = loadWorkflow('release.yml');
  const cleanup = loadWorkflow('cleanup.yml');

  test('a v* tag publishes every service under its version, built from the tagged commit', () => {
    assert.deepEqual(release.on.push, { tags: ['v*'] });
    assert.deepEqual(release.jobs.images.strategy.matrix.service, serviceNames);
    assert.equal(release.jobs.images.with.tags, '${{ needs.version.outputs.version }}');
    assert.equal(release.jobs.images.with.ref, '${{ github.sha }}');
  });

  test('the tag bumps staging; production only by a manual run, as its own PR', () => {
    assert.match(release.jobs.version.steps[0].run, /environment=staging/);
    assert.deepEqual(release.on.workflow_dispatch.inputs.environment.options,
      ['production', 'staging', 'integration-001']);
    const bump = release.jobs['deploy-pr'].steps.find((s) => s.run?.includes('bump-overlay.sh'));
    assert.ok(bump, 'deploy-pr runs bump-overlay.sh');
    assert.match(readRepoFile('.github/scripts/bump-overlay.sh'), /kustomize edit set image "\$image"/);
  });

  test('closing a PR deletes its images; a daily sweep deletes those of every closed PR', () => {
    assert.deepEqual(cleanup.on.pull_request, { types: ['closed'] });
    assert.equal(typeof cleanup.on.schedule[0].cron, 'string');
    const closed = cleanup.jobs['closed-pr'].steps.map((s) => s.run ?? '').join('\n');
    assert.match(closed, /ghcr-cleanup\.mjs --pr "\$PR_NUMBER"/);
    const sweep = cleanup.jobs.sweep.steps.map((s) => s.run ?? '').join('\n');
    assert.match(sweep, /ghcr-cleanup\.mjs --closed/);
  });
});
