// Invariants of the workflows that the schema cannot see: least privilege, pinning,
// concurrency, the canary tag being built from the PR's head commit, and what each
// workflow does. The trust boundary of the PR pipeline has its own file
// (trust-boundary.test.mjs).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, test } from 'node:test';
import { CANARY_LABEL } from '../../../.github/scripts/canary-policy.mjs';
import { services } from '../../../.github/scripts/services.mjs';
import { allJobs, allSteps, loadWorkflow, readRepoFile, triggers, workflowFiles } from './support/repo.mjs';

const serviceNames = services.map((s) => s.name);
const reusable = (file) => Object.keys(triggers(loadWorkflow(file))).join() === 'workflow_call';

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

  test('only jobs that push images may write packages; none deletes with a workflow token', () => {
    assert.deepEqual(jobsGranting('packages', 'write'), [
      'ci.yml:main-images',
      'image.yml:build',
      'pr-canary.yml:build',
      'published-image.yml:build',
      'release.yml:images',
    ]);
    // Deleting package versions takes a package admin's token, never GITHUB_TOKEN (docs/security.md).
    for (const [file, id, step] of allSteps()) {
      if (step.run?.includes('ghcr-cleanup.mjs') || step.run?.includes('canary-recorder.mjs')) {
        assert.equal(step.env.PACKAGES_DELETE_TOKEN, '${{ secrets.PACKAGES_DELETE_TOKEN }}', `${file}:${id}`);
      }
    }
  });

  test('only the recorder (comments, labels) and the release PR job may write pull requests', () => {
    assert.deepEqual(jobsGranting('pull-requests', 'write'),
      ['canary-recorder.yml:expire', 'canary-recorder.yml:record', 'release.yml:deploy-pr']);
  });

  test('only the release PR job may write contents: the recorder writes canary-state with its App\'s token', () => {
    assert.deepEqual(jobsGranting('contents', 'write'), ['release.yml:deploy-pr']);
  });

  test('only code scanning uploads write security events: CodeQL and the image scan (and the jobs that call it, which grant it)', () => {
    assert.deepEqual(jobsGranting('security-events', 'write'), [
      'canary-recorder.yml:scan',
      'ci.yml:main-images',
      'codeql.yml:analyze',
      'image-scan.yml:scan',
      'published-image.yml:scan',
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

  test('the only secrets are the recorder App\'s key and the package admin\'s token, both in the canary-recorder environment', () => {
    const secrets = new Set();
    for (const file of workflowFiles) {
      for (const [, name] of readRepoFile(`.github/workflows/${file}`).matchAll(/secrets\.([A-Z_]+)/g)) secrets.add(name);
    }
    assert.deepEqual([...secrets].sort(), ['CANARY_RECORDER_PRIVATE_KEY', 'PACKAGES_DELETE_TOKEN']);
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
          // A job that calls a reusable workflow has that workflow's outputs.
          const called = /^\.\/\.github\/workflows\/(.+)$/.exec(jobs[other].uses ?? '')?.[1];
          const declared = called ? loadWorkflow(called).on.workflow_call.outputs : jobs[other].outputs;
          assert.ok(output in (declared ?? {}), `${file}:${id} reads undeclared ${other}.outputs.${output}`);
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
  test('every triggered workflow has a concurrency group (the reusable ones inherit their caller\'s)', () => {
    for (const file of workflowFiles.filter((f) => !reusable(f))) {
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

  test('the recorder reconciles one PR at a time and is never cancelled half-way', () => {
    const recorder = loadWorkflow('canary-recorder.yml').concurrency;
    assert.equal(recorder.group,
      'canary-recorder-${{ github.event.pull_request.number || github.event.workflow_run.pull_requests[0].number || github.run_id }}');
    assert.equal(recorder['cancel-in-progress'], false);
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
    assert.equal(job.uses, './.github/workflows/published-image.yml', 'scanned, blocking');
  });
});

describe('pr-canary.yml', () => {
  const canary = loadWorkflow('pr-canary.yml');
  const source = readRepoFile('.github/workflows/pr-canary.yml');

  test('builds on every change of the PR\'s code, label or draft state that could need an image', () => {
    assert.deepEqual(Object.keys(triggers(canary)), ['pull_request']);
    assert.deepEqual(canary.on.pull_request.types, ['opened', 'synchronize', 'reopened', 'labeled', 'ready_for_review']);
  });

  test('only plans and builds: no state, no comment, nothing the recorder reads', () => {
    assert.deepEqual(Object.keys(canary.jobs).sort(), ['build', 'plan']);
    assert.doesNotMatch(source, /canary-state|pr-comment|STATE_|upload-artifact/);
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

  test('builds and describes the head commit: the checkout and the image ref use head.sha', () => {
    const checkout = canary.jobs.plan.steps.find((s) => s.uses?.startsWith('actions/checkout@'));
    assert.equal(checkout.with.ref, '${{ github.event.pull_request.head.sha }}');
    assert.equal(checkout.with['fetch-depth'], 0, 'the three-dot diff needs the merge base');
    assert.equal(canary.jobs.build.uses, './.github/workflows/image.yml');
    assert.equal(canary.jobs.build.with.ref, '${{ github.event.pull_request.head.sha }}');
    assert.equal(canary.jobs.build.with.tags, '${{ needs.plan.outputs.tag }}');
  });

  test('builds only the changed services whose image does not exist yet, without attestations or scan', () => {
    assert.deepEqual(canary.jobs.build.strategy.matrix.service, '${{ fromJSON(needs.plan.outputs.build) }}');
    const missing = canary.jobs.plan.steps.find((s) => s.id === 'missing');
    assert.equal(missing.env.SERVICES, '${{ steps.plan.outputs.services }}');
    assert.match(missing.run, /docker buildx imagetools inspect "\$prefix\/\$service:\$TAG"/);
    assert.equal(canary.jobs.build.with.attest, undefined, 'one package version per canary');
    assert.deepEqual(canary.jobs.build.permissions, { contents: 'read', packages: 'write' });
  });

  test('fork PRs are skipped instead of failing on a read-only token', () => {
    assert.equal(canary.jobs.plan.if, 'github.event.pull_request.head.repo.full_name == github.repository');
  });
});

describe('canary-recorder.yml', () => {
  const recorder = loadWorkflow('canary-recorder.yml');
  const record = recorder.jobs.record;
  const step = record.steps.find((s) => s.id === 'record');

  test('reconciles after every pr-canary run and on the PR events that change eligibility', () => {
    assert.deepEqual(recorder.on.pull_request_target.types,
      ['synchronize', 'reopened', 'labeled', 'unlabeled', 'converted_to_draft', 'ready_for_review', 'closed']);
    assert.equal(record.if, "github.event_name == 'pull_request_target' || github.event_name == 'workflow_run'");
    assert.equal(step.run, 'node .github/scripts/canary-recorder.mjs');
  });

  test('runs the recorder with the settings, the state remote, and reads images with packages: read', () => {
    assert.deepEqual(record.permissions, { contents: 'read', 'pull-requests': 'write', packages: 'read' });
    assert.equal(step.env.GITHUB_TOKEN, '${{ github.token }}');
    assert.equal(step.env.REGISTRY_USER, '${{ github.actor }}');
    assert.equal(step.env.MAX_PRS, '${{ vars.CANARY_MAX_PRS }}');
    assert.equal(step.env.TTL_DAYS, '${{ vars.CANARY_TTL_DAYS }}');
    assert.equal(step.env.CANARY_API_URL, '${{ vars.CANARY_API_URL }}');
  });

  test('scans what it recorded, reporting on the PR\'s head without blocking anything', () => {
    const scan = recorder.jobs.scan;
    assert.equal(scan.needs, 'record');
    assert.equal(scan.uses, './.github/workflows/image-scan.yml');
    assert.deepEqual(scan.strategy.matrix.include, '${{ fromJSON(needs.record.outputs.scan) }}');
    assert.deepEqual(scan.with, {
      image: '${{ matrix.image }}', digest: '${{ matrix.digest }}', category: 'image-${{ matrix.service }}', blocking: false,
      ref: 'refs/pull/${{ matrix.pr }}/head', sha: '${{ matrix.sha }}',
    });
    assert.equal(record.outputs.scan, '${{ steps.record.outputs.scan }}');
  });

  test('expires idle canaries daily and by hand, with the TTL from the input, else the variable, else the script\'s 7 days', () => {
    const expire = recorder.jobs.expire;
    const ttl = expire.steps.find((s) => s.run?.includes('canary-ttl.mjs'));
    assert.equal(typeof recorder.on.schedule[0].cron, 'string');
    assert.equal(expire.if, "github.event_name == 'schedule' || github.event_name == 'workflow_dispatch'");
    assert.ok('ttl-days' in recorder.on.workflow_dispatch.inputs);
    assert.equal(recorder.on.workflow_dispatch.inputs['dry-run'].type, 'boolean');
    assert.equal(ttl.env.TTL_DAYS, '${{ inputs.ttl-days || vars.CANARY_TTL_DAYS }}');
    assert.equal(ttl.run, 'node .github/scripts/canary-ttl.mjs ${DRY_RUN:+"$DRY_RUN"}');
    assert.deepEqual(expire.permissions, { contents: 'read', 'pull-requests': 'write' });
    assert.match(readRepoFile('.github/scripts/canary-ttl.mjs'), /DEFAULT_TTL_DAYS/);
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

  test('PR canaries are pushed without attestations (one package version each); kept images with them', () => {
    assert.equal(image.on.workflow_call.inputs.attest.default, false);
    assert.equal(push.with.provenance, '${{ inputs.attest }}');
    assert.equal(loadWorkflow('published-image.yml').jobs.build.with.attest, true);
  });

  test('hands the pushed digest on: as its output, and as an artifact only when asked (the release)', () => {
    assert.equal(image.on.workflow_call.outputs.digest.value, '${{ jobs.build.outputs.digest }}');
    assert.equal(image.jobs.build.outputs.digest, '${{ steps.push.outputs.digest }}');
    const upload = image.jobs.build.steps.find((s) => s.uses?.startsWith('actions/upload-artifact@'));
    assert.equal(upload.if, 'inputs.digest-artifact');
    assert.equal(upload.with.name, 'image-digest-${{ inputs.service }}');
    assert.equal(image.on.workflow_call.inputs['digest-artifact'].default, false);
  });
});

describe('published-image.yml and image-scan.yml', () => {
  const published = loadWorkflow('published-image.yml');
  const scan = loadWorkflow('image-scan.yml');

  test('a kept image is scanned by the digest that was pushed, and a fixable High or Critical fails the run', () => {
    assert.equal(published.jobs.scan.needs, 'build');
    assert.equal(published.jobs.scan.with.digest, '${{ needs.build.outputs.digest }}');
    assert.equal(published.jobs.scan.with.blocking, true);
    const grype = scan.jobs.scan.steps.find((s) => s.uses?.startsWith('anchore/scan-action@'));
    assert.equal(grype.with.image, '${{ inputs.image }}@${{ inputs.digest }}');
    assert.equal(grype.with['fail-build'], '${{ inputs.blocking }}');
  });

  test('SARIF goes to the ref the caller names (a PR\'s head for a canary), even when the scan fails', () => {
    const upload = scan.jobs.scan.steps.find((s) => s.uses?.startsWith('github/codeql-action/upload-sarif@'));
    assert.equal(upload.if, "always() && steps.scan.outputs.sarif != ''");
    assert.equal(upload.with.ref, '${{ inputs.ref }}');
    assert.equal(upload.with.sha, '${{ inputs.sha }}');
  });
});

describe('release.yml', () => {
  const release = loadWorkflow('release.yml');

  test('a v* tag publishes every service under its version, built from the tagged commit, scanned, its digest kept', () => {
    assert.deepEqual(release.on.push, { tags: ['v*'] });
    assert.deepEqual(release.jobs.images.strategy.matrix.service, serviceNames);
    assert.equal(release.jobs.images.uses, './.github/workflows/published-image.yml');
    assert.equal(release.jobs.images.with.tags, '${{ needs.version.outputs.version }}');
    assert.equal(release.jobs.images.with.ref, '${{ github.sha }}');
    assert.equal(release.jobs.images.with['digest-artifact'], true);
  });

  test('the tag pins staging to the digests this run pushed; production and integration-001 copy staging\'s, by hand', () => {
    assert.match(release.jobs.version.steps[0].run, /environment=staging/);
    assert.deepEqual(release.on.workflow_dispatch.inputs.environment.options, ['production', 'integration-001']);
    const steps = release.jobs['deploy-pr'].steps;
    const download = steps.find((s) => s.uses?.startsWith('actions/download-artifact@'));
    assert.equal(download.if, "github.event_name == 'push'");
    assert.deepEqual(download.with, { pattern: 'image-digest-*', 'merge-multiple': true, path: '${{ runner.temp }}/image-digests' });
    const bump = steps.find((s) => s.run?.includes('bump-overlay.sh'));
    assert.match(bump.run, /source=\(--digests "\$RUNNER_TEMP\/image-digests"\)/);
    assert.match(bump.run, /source=\(--from staging\)/);
    assert.match(readRepoFile('.github/scripts/bump-overlay.sh'), /kustomize edit set image "\$image"/);
  });
});

describe('cleanup.yml', () => {
  const cleanup = loadWorkflow('cleanup.yml');

  test('only a daily and manual sweep: deletes closed PRs\' images and open PRs\' superseded ones, reading the state', () => {
    assert.deepEqual(Object.keys(triggers(cleanup)).sort(), ['schedule', 'workflow_dispatch']);
    assert.equal(typeof cleanup.on.schedule[0].cron, 'string');
    const sweep = cleanup.jobs.sweep.steps.find((s) => s.run?.includes('ghcr-cleanup.mjs'));
    assert.equal(sweep.run, 'node .github/scripts/ghcr-cleanup.mjs --sweep');
    assert.equal(sweep.env.STATE_REMOTE, '${{ github.server_url }}/${{ github.repository }}.git');
    assert.equal(cleanup.jobs.sweep.environment, 'canary-recorder', 'where the package admin\'s token is');
    assert.deepEqual(cleanup.jobs.sweep.permissions, { contents: 'read', 'pull-requests': 'read' });
  });
});

describe('cluster-smoke.yml', () => {
  const smoke = loadWorkflow('cluster-smoke.yml');
  const steps = smoke.jobs.smoke.steps;
  const runs = steps.map((s) => s.run ?? '').join('\n');
  const indexOf = (pattern) => steps.findIndex((s) => pattern.test(s.run ?? ''));

  test('pins every component it installs', () => {
    for (const key of ['KIND', 'KIND_NODE_IMAGE', 'REGISTRY_IMAGE', 'GATEWAY_API_VERSION', 'LINKERD_CHART_VERSION', 'TRAEFIK_CHART_VERSION', 'ARGOCD_VERSION']) {
      assert.match(smoke.env[key], /\d+\.\d+/, key);
    }
    assert.match(smoke.env.KIND, /^sigs\.k8s\.io\/kind@v\d+\.\d+\.\d+$/);
    assert.match(runs, /--version "\$LINKERD_CHART_VERSION"/);
    assert.match(runs, /--version "\$TRAEFIK_CHART_VERSION"/);
    assert.match(runs, /argo-cd\/\$ARGOCD_VERSION\/manifests\/install\.yaml/);
  });

  test('in order: cluster, registry, images of this commit pushed, mesh and edge, Argo CD, stable, PR canaries, checks, pruning', () => {
    const order = [/kind create cluster/, /docker run -d --restart=always -p 127\.0\.0\.1:5001:5000 --name kind-registry/, /docker push/,
      /linkerd-control-plane/, /traefik\/traefik/, /argo-cd/,
      /apply --server-side -k \.smoke\/stable/, /smoke\/pr-applications\.js/, /^\s*route 1 /m, /kubectl -n argocd delete application/];
    const positions = order.map(indexOf);
    assert.ok(positions.every((p) => p >= 0), positions.join(','));
    assert.deepEqual([...positions].sort((a, b) => a - b), positions);
  });

  test('builds both services from the checked-out commit and every pod runs the pushed digest, served as ghcr.io', () => {
    assert.match(runs, /docker build -f "\$project\/Dockerfile" -t "\$image" \./);
    assert.match(runs, /image="localhost:5001\/example-org\/\$service:smoke"/);
    assert.match(runs, /\/etc\/containerd\/certs\.d\/ghcr\.io\/hosts\.toml/);
    assert.match(runs, /\[host\."http:\/\/kind-registry:5000"\]/);
    assert.match(runs, /for service in \$\(node \.github\/scripts\/services\.mjs names/);
    assert.match(runs, /printf ' {2}- name: ghcr\.io\/example-org\/%s\\n {4}digest: %s\\n' "\$service" "\$digest"/);
    assert.doesNotMatch(runs, /kind load/);
    assert.equal(smoke.jobs.smoke.env.REVISION, '${{ github.event.pull_request.head.sha || github.sha }}');
  });

  test('the PR canaries come from the ApplicationSet simulation with records of the pushed digests, and Argo CD syncs them to Healthy', () => {
    assert.match(runs, /pr-applications\.js --repo-url "\$REPO_URL" --revision "\$REVISION" "\$\{digests\[@\]\}"\s+\\\s+--pr 1:api-service,store-service --pr 2:api-service/);
    assert.match(runs, /digests\+=\(--digest "\$pair"\)/);
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
