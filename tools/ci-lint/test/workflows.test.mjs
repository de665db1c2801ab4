// Invariants of the workflows that the schema cannot see: least privilege, pinning,
// concurrency, and the canary tag being built from the PR's head commit.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, test } from 'node:test';
import { CANARY_LABEL, STATE_BRANCH } from '../../../.github/scripts/canary-policy.mjs';
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
      'release.yml:images',
    ]);
  });

  test('only the jobs that comment on PRs (canary state, close, TTL) and the release PR may write pull requests', () => {
    assert.deepEqual(jobsGranting('pull-requests', 'write'),
      ['canary-ttl.yml:expire', 'cleanup.yml:closed-pr', 'pr-canary.yml:state', 'release.yml:deploy-pr']);
  });

  test('only the canary state writers and the release PR job may write contents', () => {
    assert.deepEqual(jobsGranting('contents', 'write'),
      ['canary-ttl.yml:expire', 'cleanup.yml:closed-pr', 'pr-canary.yml:state', 'release.yml:deploy-pr']);
  });

  test('no job that builds PR code can write contents: the state writers build nothing', () => {
    for (const [file, id, job] of allJobs()) {
      if (job.permissions.contents !== 'write' || file === 'release.yml') continue;
      const text = JSON.stringify(job);
      assert.doesNotMatch(text, /docker|build-push|dotnet|npm (ci|install)/, `${file}:${id}`);
      const checkout = job.steps.find((s) => s.uses?.startsWith('actions/checkout@'));
      assert.equal(checkout.with['sparse-checkout'], '.github/scripts', `${file}:${id} checks out the scripts only`);
      assert.notEqual(checkout.with.ref, '${{ github.event.pull_request.head.sha }}', `${file}:${id} runs no PR code`);
    }
  });

  test('only code scanning uploads write security events: CodeQL and the image scan (and the image callers, which grant it)', () => {
    assert.deepEqual(jobsGranting('security-events', 'write'), [
      'ci.yml:main-images',
      'codeql.yml:analyze',
      'image.yml:scan',
      'pr-canary.yml:build',
      'release.yml:images',
    ]);
  });

  test('no other scope is ever written', () => {
    // checks: the canary check's report job (canary-check.test.mjs).
    const allowed = new Set(['packages', 'pull-requests', 'contents', 'security-events', 'checks']);
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
  test('every third-party action is pinned by full commit SHA, its release named in a comment', () => {
    const pinned = /^[\w.-]+\/[\w.-]+(\/[\w./-]+)?@[0-9a-f]{40}$/;
    for (const [file, id, step] of allSteps()) {
      if (step.uses) assert.match(step.uses, pinned, `${file}:${id} uses ${step.uses}`);
    }
    // A tag can be moved to another commit (it happened to aquasecurity/trivy-action in 2026);
    // the comment is for people and for Dependabot, which updates both together.
    for (const file of workflowFiles) {
      for (const line of readRepoFile(`.github/workflows/${file}`).split('\n').filter((l) => /^\s*(- )?uses: [^.]/.test(l))) {
        assert.match(line, /uses: [\w./-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+$/, `${file}: ${line.trim()}`);
      }
    }
  });

  test('one action is pinned to one commit across all workflows', () => {
    const shaOf = new Map();
    for (const [file, id, step] of allSteps()) {
      if (!step.uses) continue;
      const [action, sha] = step.uses.split('@');
      shaOf.set(action, [...(shaOf.get(action) ?? []), `${sha} (${file}:${id})`]);
    }
    for (const [action, pins] of shaOf) {
      assert.equal(new Set(pins.map((pin) => pin.split(' ')[0])).size, 1, `${action}: ${pins.join(', ')}`);
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
  const state = canary.jobs.state;
  const stateRun = state.steps.map((s) => s.run ?? '').join('\n');

  test('reconciles on every change of the PR\'s code, labels or draft state', () => {
    assert.deepEqual(Object.keys(triggers(canary)), ['pull_request']);
    assert.deepEqual(canary.on.pull_request.types,
      ['opened', 'synchronize', 'reopened', 'labeled', 'unlabeled', 'ready_for_review', 'converted_to_draft']);
  });

  test('the plan decides from the event through canary-plan.mjs: no label name, draft or path list in the workflow', () => {
    assert.ok(canary.jobs.plan.steps.some((s) => s.run === 'node .github/scripts/canary-plan.mjs'));
    for (const file of workflowFiles) {
      const text = readRepoFile(`.github/workflows/${file}`);
      assert.doesNotMatch(text, new RegExp(`['"\`]${CANARY_LABEL}['"\`]`), `${file} names the label`);
      assert.doesNotMatch(text, /ApiService\/|StoreService\/|Shared\.Canary/, `${file} repeats the path filters`);
    }
  });

  test('tags pr-<n>-<sha7> from the PR head commit, never from github.sha (the merge ref)', () => {
    assert.equal(canary.jobs.plan.outputs.tag, '${{ steps.plan.outputs.tag }}');
    assert.doesNotMatch(source, /github\.sha/);
  });

  test('builds and describes the head commit: every checkout of PR code and the image ref use head.sha', () => {
    const checkout = canary.jobs.plan.steps.find((s) => s.uses?.startsWith('actions/checkout@'));
    assert.equal(checkout.with.ref, '${{ github.event.pull_request.head.sha }}');
    assert.equal(checkout.with['fetch-depth'], 0, 'the three-dot diff needs the merge base');
    assert.equal(canary.jobs.build.with.ref, '${{ github.event.pull_request.head.sha }}');
    assert.equal(canary.jobs.build.with.tags, '${{ needs.plan.outputs.tag }}');
  });

  test('builds only the changed services whose image does not exist yet; nothing is copied', () => {
    assert.deepEqual(canary.jobs.build.strategy.matrix.service, '${{ fromJSON(needs.plan.outputs.build) }}');
    const missing = canary.jobs.plan.steps.find((s) => s.id === 'missing');
    assert.equal(missing.env.SERVICES, '${{ steps.plan.outputs.services }}');
    assert.match(missing.run, /docker buildx imagetools inspect "\$prefix\/\$service:\$TAG"/);
    assert.doesNotMatch(source, /imagetools create|STABLE_TAG/);
    assert.deepEqual(Object.keys(canary.jobs).sort(), ['build', 'plan', 'state']);
  });

  test('fork PRs are skipped instead of failing on a read-only token; pull_request_target is never used', () => {
    assert.equal(canary.jobs.plan.if, 'github.event.pull_request.head.repo.full_name == github.repository');
    assert.ok(!('pull_request_target' in triggers(canary)));
  });

  test('the state is written only after the images exist, never after a failed build', () => {
    assert.deepEqual(state.needs, ['plan', 'build']);
    assert.match(state.if, /!cancelled\(\)/);
    assert.match(state.if, /needs\.plan\.result == 'success'/);
    assert.match(state.if, /needs\.build\.result != 'failure'/);
    const record = state.steps.find((s) => s.id === 'record');
    assert.equal(record.if, "needs.plan.outputs.eligible == 'true' && needs.plan.outputs.services != '[]'");
    assert.equal(record.run,
      'node .github/scripts/canary-state.mjs record --pr "$PR_NUMBER" --commit "$HEAD_SHA" --services "$SERVICES" --max "$MAX_PRS"');
    assert.equal(state.env.HEAD_SHA, '${{ needs.plan.outputs.head-sha }}', 'the commit the images were built from');
    assert.equal(state.env.SERVICES, '${{ needs.plan.outputs.services }}');
    assert.equal(state.env.MAX_PRS, '${{ vars.CANARY_MAX_PRS }}');
  });

  test('everything else withdraws the PR\'s canaries', () => {
    const withdraw = state.steps.find((s) => s.id === 'withdraw');
    const record = state.steps.find((s) => s.id === 'record');
    assert.equal(withdraw.if, "needs.plan.outputs.eligible != 'true' || needs.plan.outputs.services == '[]'");
    assert.equal(withdraw.run, 'node .github/scripts/canary-state.mjs withdraw --pr "$PR_NUMBER"');
    // Exactly one of the two runs for any plan.
    for (const eligible of ['true', 'false']) {
      for (const services of ['[]', '["api-service"]']) {
        const recordRuns = eligible === 'true' && services !== '[]';
        const withdrawRuns = eligible !== 'true' || services === '[]';
        assert.notEqual(recordRuns, withdrawRuns, `${eligible} ${services} ${record.if}`);
      }
    }
  });

  test('the state goes to this repository\'s state branch, written by the default branch\'s scripts', () => {
    assert.equal(state.env.STATE_REMOTE, '${{ github.server_url }}/${{ github.repository }}.git');
    const checkout = state.steps.find((s) => s.uses?.startsWith('actions/checkout@'));
    assert.equal(checkout.with.ref, '${{ github.event.repository.default_branch }}');
    assert.equal(STATE_BRANCH, 'canary-state');
  });

  test('the comment reports what CI did (deploying, waiting, removed), never that the canary is live', () => {
    const comment = state.steps.find((s) => s.name === 'Canary comment');
    assert.match(comment.run, /STATUS=deploying node \.github\/scripts\/pr-comment\.mjs/);
    assert.match(comment.run, /STATUS=waiting node \.github\/scripts\/pr-comment\.mjs/);
    assert.equal(comment.env.MAX_PRS, '${{ steps.record.outputs.max }}', 'the cap the state writer applied');
    assert.match(comment.run, /STATUS=removed REASON="\$REASON" node \.github\/scripts\/pr-comment\.mjs/);
    assert.equal(comment.env.ADMITTED, '${{ steps.record.outputs.admitted }}');
    assert.equal(comment.env.DEPLOYED, '${{ needs.plan.outputs.services }}');
    assert.doesNotMatch(stateRun, /STATUS=(live|ready)/);
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

describe('release.yml', () => {
  const release = loadWorkflow('release.yml');

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
});

describe('cleanup.yml', () => {
  const cleanup = loadWorkflow('cleanup.yml');
  const closed = cleanup.jobs['closed-pr'].steps;

  test('closing a PR withdraws its canaries first, then deletes its images, then says so on the PR', () => {
    assert.deepEqual(cleanup.on.pull_request, { types: ['closed'] });
    const runs = closed.filter((s) => s.run).map((s) => s.run);
    assert.deepEqual(runs, [
      'node .github/scripts/canary-state.mjs withdraw --pr "$PR_NUMBER"',
      'node .github/scripts/ghcr-cleanup.mjs --pr "$PR_NUMBER"',
      'node .github/scripts/pr-comment.mjs',
    ]);
    assert.deepEqual(closed.at(-1).env, { STATUS: 'removed', REASON: 'closed' });
    assert.equal(cleanup.jobs['closed-pr'].env.STATE_REMOTE, '${{ github.server_url }}/${{ github.repository }}.git');
  });

  test('a daily sweep deletes closed PRs\' images and open PRs\' superseded ones, reading the state', () => {
    assert.equal(typeof cleanup.on.schedule[0].cron, 'string');
    const sweep = cleanup.jobs.sweep.steps.find((s) => s.run?.includes('ghcr-cleanup.mjs'));
    assert.equal(sweep.run, 'node .github/scripts/ghcr-cleanup.mjs --sweep');
    assert.equal(sweep.env.STATE_REMOTE, '${{ github.server_url }}/${{ github.repository }}.git');
    assert.equal(cleanup.jobs.sweep.permissions.contents, 'read');
  });
});

describe('canary-ttl.yml', () => {
  const ttl = loadWorkflow('canary-ttl.yml');
  const step = ttl.jobs.expire.steps.find((s) => s.run?.includes('canary-ttl.mjs'));

  test('runs daily and by hand, with the TTL from the input, else the repository variable, else the script\'s 7 days', () => {
    assert.equal(typeof ttl.on.schedule[0].cron, 'string');
    assert.ok('ttl-days' in ttl.on.workflow_dispatch.inputs);
    assert.equal(ttl.on.workflow_dispatch.inputs['dry-run'].type, 'boolean');
    assert.equal(step.env.TTL_DAYS, '${{ inputs.ttl-days || vars.CANARY_TTL_DAYS }}');
    assert.equal(step.run, 'node .github/scripts/canary-ttl.mjs ${DRY_RUN:+"$DRY_RUN"}');
    assert.match(readRepoFile('.github/scripts/canary-ttl.mjs'), /DEFAULT_TTL_DAYS/);
  });

  test('writes the state of this repository and comments, never cancelled half-way', () => {
    assert.equal(step.env.STATE_REMOTE, '${{ github.server_url }}/${{ github.repository }}.git');
    assert.deepEqual(ttl.jobs.expire.permissions, { contents: 'write', 'pull-requests': 'write' });
    assert.equal(ttl.concurrency['cancel-in-progress'], false);
  });
});

describe('cluster-smoke.yml', () => {
  const smoke = loadWorkflow('cluster-smoke.yml');
  const steps = smoke.jobs.smoke.steps;
  const runs = steps.map((s) => s.run ?? '').join('\n');
  const indexOf = (pattern) => steps.findIndex((s) => pattern.test(s.run ?? ''));

  test('pins every component it installs', () => {
    for (const key of ['KIND', 'KIND_NODE_IMAGE', 'GATEWAY_API_VERSION', 'LINKERD_CHART_VERSION', 'TRAEFIK_CHART_VERSION', 'ARGOCD_VERSION']) {
      assert.match(smoke.env[key], /\d+\.\d+/, key);
    }
    assert.match(smoke.env.KIND, /^sigs\.k8s\.io\/kind@v\d+\.\d+\.\d+$/);
    assert.match(runs, /--version "\$LINKERD_CHART_VERSION"/);
    assert.match(runs, /--version "\$TRAEFIK_CHART_VERSION"/);
    assert.match(runs, /argo-cd\/\$ARGOCD_VERSION\/manifests\/install\.yaml/);
  });

  test('in order: cluster, images of this commit loaded into kind, mesh and edge, Argo CD, stable, PR canaries, checks, pruning', () => {
    const order = [/kind create cluster/, /kind load docker-image/, /linkerd-control-plane/, /traefik\/traefik/, /argo-cd/,
      /apply --server-side -k manifests-microservices\/smoke\/stable/, /smoke\/pr-applications\.js/, /^\s*route 1 /m, /kubectl -n argocd delete application/];
    const positions = order.map(indexOf);
    assert.ok(positions.every((p) => p >= 0), positions.join(','));
    assert.deepEqual([...positions].sort((a, b) => a - b), positions);
  });

  test('builds both services from the checked-out commit under the tags the manifests render', () => {
    assert.match(runs, /docker build -f "\$project\/Dockerfile" -t "\$image:1\.0\.0" -t "\$image:pr-1-\$sha7" -t "\$image:pr-2-\$sha7" \./);
    assert.match(runs, /for service in \$\(node \.github\/scripts\/services\.mjs names/);
    assert.equal(smoke.jobs.smoke.env.REVISION, '${{ github.event.pull_request.head.sha || github.sha }}');
  });

  test('the PR canaries come from the ApplicationSet simulation and Argo CD syncs them to Healthy', () => {
    assert.match(runs, /pr-applications\.js --repo-url "\$REPO_URL" --revision "\$REVISION"\s+\\\s+--pr 1:api-service,store-service --pr 2:api-service/);
    assert.match(runs, /--for=jsonpath='\{\.status\.health\.status\}'=Healthy/);
  });

  test('proves no header -> stable, X-Canary: n -> the PR\'s api and store, api-only PR -> stable store, unknown n -> stable', () => {
    assert.match(runs, /route "" "api-service=stable, store-service=stable"/);
    assert.match(runs, /route 1 "api-service=pr-1, store-service=pr-1"/);
    assert.match(runs, /route 2 "api-service=pr-2, store-service=stable"/);
    assert.match(runs, /route 999 "api-service=stable, store-service=stable"/);
    assert.match(runs, /sed -n 's\/\^\[Xx\]-\[Cc\]anary-\[Rr\]oute: \/\/p'/);
  });

  test('deleting the Applications must leave no PR object behind', () => {
    assert.match(runs, /grep -E -- '-pr-\[12\]\$'/);
    assert.match(runs, /left behind after deleting the Applications/);
  });
});
